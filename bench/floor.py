"""What the framework alone costs a request here, and the least a stored roll call
costs: the floor under bench/ingest.py.

    bash scripts/with-postgres.sh .venv/bin/python bench/floor.py [--seconds 10]

The same gunicorn (production settings, `--workers` sync workers), wrk, district and
requests as the ingest benchmark's single submits (its `prepare`: a section's real roll
each, compact, shuffled across 60 schools), posted to five endpoints of
bench/floor_app.py that do more and more of what a submit does: a plain Django view
(`plain`); Django Ninja with nothing (`ninja`); + the device's bearer token (`token`);
+ the real roll-call schema (`parse`); + storing the roll call with the functions a
submit writes with, but no rule and none of the reads the rules need (`store`: the
section, then in one transaction its roster, the row, the school-day recount and the
audit row). For each: requests/s, p50/p99 and the CPU a request cost by process, which
is what a single submit's figures in bench/results/ingest.json can be set against: the
`store` row is the most single submits/s this stack can take on this machine, whatever
the rules cost. Written to bench/results/floor.json.
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

from django.db import connection

# bench/ingest.py: the settings (it sets Django up), its district and requests, wrk and
# the CPU accounting.
from ingest import ROOT, postgres_settings, prepare, run_wrk, start_gunicorn

ENDPOINTS = (
    ("plain Django view", "/plain"),
    ("Django Ninja, nothing", "/api/ninja"),
    ("+ bearer token (1 query)", "/api/token"),
    ("+ roll-call schema", "/api/parse"),
    ("+ store it (no rules)", "/api/store"),
)


def measure(lines: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Each endpoint under wrk, in turn, on one gunicorn; stops at the first error."""
    server, port = start_gunicorn("bench.floor_app:application", args.workers)
    results: dict[str, Any] = {}
    try:
        for name, url in ENDPOINTS:
            base = f"http://127.0.0.1:{port}{url}"
            run_wrk(base, str(lines), 2, args.connections)  # warm
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as bench/ingest.py does after its warmup
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
    parser.add_argument("--schools", type=int, default=60)
    parser.add_argument("--students", type=int, default=24000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "floor.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hazri-floor-") as tmp:
        # The ingest benchmark's district and single submits (removed with the folder).
        setup = prepare(args.schools, args.students, 1, Path(tmp))
        results = measure(Path(setup["single_file"]), args)
    print(
        f"Framework floor: gunicorn x{args.workers}, wrk -c{args.connections}, {args.seconds}s "
        f"each; {setup['single_requests']} single roll calls of {setup['avg_roll']} students "
        f"from {setup['schools']} schools"
    )
    server_settings = postgres_settings()
    print(f"PostgreSQL: {server_settings}")
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
                "setup": {k: v for k, v in setup.items() if not k.endswith("_file")},
                "postgres": server_settings,
                "endpoints": results,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
