"""What the framework alone costs a request here: the floor under bench/ingest.py.

    bash scripts/with-postgres.sh .venv/bin/python bench/floor.py [--seconds 10]

The same gunicorn (production settings, `--workers` sync workers) and wrk as the ingest
benchmark, posting the same kind of body (a single roll call of 38 students, compact),
to four endpoints of bench/floor_app.py that stop earlier and earlier: the token and
the real roll-call schema (`parse`), the token only (`token`), Django Ninja with
nothing (`ninja`), and a plain Django view (`plain`). Nothing is stored. For each:
requests/s, p50/p99 and the CPU a request cost by process, which is what a single
submit's figures in bench/results/ingest.json can be set against: what is left over
is the rules, the reads and writes, and PostgreSQL. Written to bench/results/floor.json.
"""

import argparse
import datetime as dt
import json
import os
import platform
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management import call_command

# bench/ingest.py: the settings (it sets Django up), wrk and the CPU accounting.
from ingest import ROOT, run_wrk, start_gunicorn

from hazri.accounts.models import DeviceToken, User
from hazri.accounts.services import token_digest

ENDPOINTS = (
    ("plain Django view", "/plain"),
    ("Django Ninja, nothing", "/api/ninja"),
    ("+ bearer token (1 query)", "/api/token"),
    ("+ roll-call schema", "/api/parse"),
)


def body() -> dict[str, object]:
    """A single roll call as the teacher app sends it: 38 students, 4 absent."""
    captured = dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)
    return {
        "client_uuid": "{uuid}",
        "section": 1,
        "day": "2026-11-20",
        "meeting": 1,
        "captured_at": captured.isoformat(),
        "students": list(range(1001, 1039)),
        "codes": "P" * 34 + "A" * 4,
        "device_clock": "{clock}",
    }


def measure(lines: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Each endpoint under wrk, in turn, on one gunicorn; stops at the first error."""
    server, port = start_gunicorn("bench.floor_app:application", args.workers)
    results: dict[str, Any] = {}
    try:
        for name, url in ENDPOINTS:
            base = f"http://127.0.0.1:{port}{url}"
            run_wrk(base, str(lines), 2, args.connections)  # warm
            measured = run_wrk(base, str(lines), args.seconds, args.connections)
            if measured["non_2xx"] or measured["socket_errors"]:
                sys.exit(f"{url} answered errors:\n{measured['raw']}")
            results[name] = {k: v for k, v in measured.items() if k != "raw"}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "floor.json"))
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="floor-bench")
    DeviceToken.objects.get_or_create(
        user=user, name="bench", defaults={"key_digest": token_digest("floor-bench-key")}
    )
    with tempfile.TemporaryDirectory(prefix="hazri-floor-") as tmp:
        lines = Path(tmp) / "requests.txt"  # removed with the folder, whatever happens
        lines.write_text(f"floor-bench-key\t{json.dumps(body())}\n")
        results = measure(lines, args)
    print(
        f"Framework floor: gunicorn x{args.workers}, wrk -c{args.connections}, {args.seconds}s each"
    )
    print(f"{'':28}{'req/s':>9}{'p99 ms':>9}   CPU ms a request (gunicorn, postgres, wrk); steal %")
    for name, r in results.items():
        ms = r["cpu_ms_per_request"]
        print(
            f"{name:28}{r['requests_per_s']:>9.0f}{r['p99_ms'] or 0:>9.1f}   "
            f"{ms['gunicorn']}, {ms['postgres']}, {ms['wrk']}; {r['cpu'].get('steal_pct')}"
        )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(
        json.dumps(
            {
                "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.node()} {os.cpu_count()} cores",
                "workers": args.workers,
                "connections": args.connections,
                "seconds": args.seconds,
                "endpoints": results,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
