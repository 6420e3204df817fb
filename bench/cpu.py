"""What the CPU did during a benchmark: busy, idle, and stolen by the hypervisor.

On a shared virtual machine the host may run other guests on "our" cores: that time
shows as *steal* in /proc/stat and makes every timing slower without any change in
the code (on this 2-core VM 8-16 % steal has been seen with nothing running). Each
benchmark reports the shares over its measured part, so two runs can be compared.
"""

from pathlib import Path
from typing import Any

_FIELDS = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")


def sample() -> dict[str, int] | None:
    """The machine's CPU counters now (clock ticks), or None where there is no /proc/stat."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    return dict(zip(_FIELDS, (int(value) for value in first[1 : 1 + len(_FIELDS)]), strict=False))


def shares(before: dict[str, int] | None, after: dict[str, int] | None) -> dict[str, Any]:
    """Busy, idle and steal as % of all CPU time between two samples."""
    if before is None or after is None:
        return {}
    spent = {name: after.get(name, 0) - before.get(name, 0) for name in _FIELDS}
    total = sum(spent.values()) or 1
    busy = total - spent["idle"] - spent["iowait"] - spent["steal"]
    return {
        "busy_pct": round(100 * busy / total, 1),
        "idle_pct": round(100 * (spent["idle"] + spent["iowait"]) / total, 1),
        "steal_pct": round(100 * spent["steal"] / total, 1),
    }
