"""What the CPU did during a benchmark: busy, idle, and stolen by the hypervisor.

On a shared virtual machine the host may run other guests on "our" cores: that time
shows as *steal* in /proc/stat and makes every timing slower without any change in
the code (on this 2-core VM 8-16 % steal has been seen with nothing running). Each
benchmark reports the shares over its measured part, so two runs can be compared.
"""

import os
import resource
import subprocess
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


def processes() -> dict[int, tuple[str, int]]:
    """Each live process: its command name and the CPU ticks (user + system) it spent so far."""
    found: dict[int, tuple[str, int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # ended meanwhile
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        # After "(name) ": state is field 3 of proc(5), utime and stime fields 14 and 15.
        fields = text[text.rindex(")") + 2 :].split()
        found[int(stat.parent.name)] = (name, int(fields[11]) + int(fields[12]))
    return found


Snapshot = tuple[dict[str, int] | None, dict[int, tuple[str, int]]]


def snapshot() -> Snapshot:
    """The machine's counters and every process's, at once: what split() compares."""
    return sample(), processes()


def took(
    before: Snapshot, after: Snapshot, names: tuple[str, ...], ended: dict[str, int] | None = None
) -> dict[str, int]:
    """CPU ticks that the processes of each named command spent between two snapshots.
    A process that started in between counts from its start; one that ended in between
    is not seen: `ended` gives such ticks by name (children_ticks())."""
    spent = dict.fromkeys(names, 0) | (ended or {})
    for pid, (name, ticks) in after[1].items():
        if name in spent:
            spent[name] += max(ticks - before[1].get(pid, (name, 0))[1], 0)
    return spent


def split(before: Snapshot, after: Snapshot, spent: dict[str, int]) -> dict[str, float]:
    """% of all the machine's CPU time between two snapshots that each command took
    (`spent`: took()), and "other" for the rest of the busy time."""
    if before[0] is None or after[0] is None:
        return {}
    total = sum(after[0].values()) - sum(before[0].values()) or 1
    busy = total - sum(after[0][f] - before[0][f] for f in ("idle", "iowait", "steal"))
    out = {name: round(100 * ticks / total, 1) for name, ticks in spent.items()}
    out["other"] = round(100 * max(busy - sum(spent.values()), 0) / total, 1)
    return out


def ms(ticks: int) -> float:
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def children_ticks() -> int:
    """CPU ticks (user + system) of this process's children that ended and were waited for."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return round((used.ru_utime + used.ru_stime) * os.sysconf("SC_CLK_TCK"))


def rss_mb(pid: int) -> float:
    """A process's resident memory now, in MB (0 where /proc has no such process)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0.0
    for line in lines:
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def worker_pids(master: int) -> list[int]:
    """The child processes of a server's master (gunicorn's workers)."""
    found = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(p) for p in found.split()]
