"""Officers' dashboards on a synthetic state: p50/p95 of every dashboard endpoint at
every level, through the API and by calling the selectors directly.

    bash scripts/with-postgres.sh .venv/bin/python bench/dashboard.py --db postgres --scale 0.05
    .venv/bin/python bench/dashboard.py --db sqlite --scale 0.02

Scale 1.0 is the issue's state: 100,000 schools (~20 million students on roll), a
SchoolDay row per school and calendar day over the span holding 220 school days, and
the raw roll calls of the latest 22 school days (by default only for the schools of
the benchmarked block: see --rollcall-schools). bench/dashboard_data.py makes the data (bench/dashboard_load.py loads it).

SQLite runs on a temporary file with the project's settings (WAL), never on
var/hazri.sqlite3; PostgreSQL needs DATABASE_URL (scripts/with-postgres.sh) and an
empty database. Settings are config.settings.production (DEBUG off). The API is called
through django.test.Client as a state officer (an OfficerGrant on the state). Each
figure is the wall time of one call after a warm-up call, over --runs calls (fewer
when a case spends more than --budget seconds). Target: p95 ≤ 200 ms. Prints a table
and writes JSON to bench/results/dashboard-<db>.json.
"""

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for folder in (str(ROOT), str(HERE)):
    if folder not in sys.path:
        sys.path.insert(0, folder)

from dashboard_cases import Case, cases  # noqa: E402  (next to this file)

TARGET_MS = 200.0


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def timed(call: Callable[[], Any], runs: int, budget: float) -> dict[str, Any]:
    call()  # warm-up
    times: list[float] = []
    began = time.perf_counter()
    while len(times) < runs and (len(times) < 3 or time.perf_counter() - began < budget):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return {
        "n": len(times),
        "p50_ms": round(percentile(times, 0.5), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "max_ms": round(max(times), 2),
    }


def measure(case: Case, client: Any, runs: int, budget: float) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if case.url is not None:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(case.url)
        assert response.status_code == 200, (case.url, response.status_code, response.content)
        body = response.json()
        if isinstance(body, list):
            case.result["rows"] = len(body)
        else:  # an area's rows, or a school's sections
            case.result["rows"] = len(body.get("rows", body.get("sections", [])))
        case.result["queries"] = len(captured.captured_queries)
        case.queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]

        def get() -> None:
            assert client.get(case.url).status_code == 200

        case.result["api"] = timed(get, runs, budget)
    case.result["direct"] = timed(case.direct, runs, budget)
    api = case.result.get("api")
    case.result["over_target"] = bool(api and api["p95_ms"] > TARGET_MS)


HEADER = (
    f"{'endpoint':24} {'level':9} {'range':15} {'API p50':>8} {'p95':>8} "
    f"{'direct p50':>10} {'p95':>8} {'n':>3} {'SQL':>4} {'rows':>5}"
)


def row_text(case: Case) -> str:
    api, direct = case.result.get("api"), case.result["direct"]
    cells = f"{api['p50_ms']:8.1f} {api['p95_ms']:8.1f}" if api else f"{'':8} {'':8}"
    return (
        f"{case.endpoint:24} {case.level:9} {case.span:15} {cells} "
        f"{direct['p50_ms']:10.1f} {direct['p95_ms']:8.1f} {(api or direct)['n']:3} "
        f"{case.result.get('queries', ''):>4} {case.result.get('rows', ''):>5}"
        + ("  > 200 ms" if case.result["over_target"] else "")
    )


def explain(found: list[Case], count: int) -> list[dict[str, Any]]:
    """The plans of the slowest queries of the `count` slowest API cases."""
    from django.db import connection

    slowest = sorted(
        (c for c in found if "api" in c.result), key=lambda c: -c.result["api"]["p50_ms"]
    )[:count]
    plans = []
    for case in slowest:
        for query in case.queries[:2]:
            if float(query["time"]) < 0.005:  # not where the time goes
                continue
            sql = query["sql"]
            prefix = (
                "EXPLAIN (ANALYZE, BUFFERS) "
                if connection.vendor == "postgresql"
                else "EXPLAIN QUERY PLAN "
            )
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql)
                lines = [" ".join(str(v) for v in row) for row in cursor.fetchall()]
            plans.append(
                {"case": case.name, "query_ms": round(float(query["time"]) * 1000, 1),
                 "sql": sql[:3000], "plan": lines}
            )  # fmt: skip
    return plans


def prepare_database() -> dict[str, Any]:
    """Statistics for the planner; the sizes the data takes."""
    from django.db import connection

    started = time.perf_counter()
    info: dict[str, Any] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE" if not connection.in_atomic_block else "ANALYZE")
            cursor.execute("SELECT version()")
            info["database"] = cursor.fetchone()[0].split(" on ")[0]
            for table in ("dashboards_schoolday", "attendance_rollcall", "dashboards_weakstudent"):
                cursor.execute("SELECT pg_table_size(%s), pg_indexes_size(%s)", [table, table])
                data, indexes = cursor.fetchone()
                info[f"{table}_mb"] = {"table": data >> 20, "indexes": indexes >> 20}
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
            if not connection.in_atomic_block:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            info["database"] = f"SQLite {sqlite3.sqlite_version}"
            name = str(connection.settings_dict["NAME"])
            if os.path.exists(name):
                info["file_mb"] = os.path.getsize(name) >> 20
    info["analyze_s"] = round(time.perf_counter() - started, 2)
    return info


def configure(args: argparse.Namespace) -> Path | None:
    """Settings and an empty, migrated database for a run from the command line;
    returns the temporary folder to remove afterwards."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        HAZRI_SECRET_KEY="bench-only-" + "x" * 40,
        HAZRI_ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        HAZRI_SSL_REDIRECT="0",
    )
    if args.db == "postgres" and "DATABASE_URL" not in os.environ:
        sys.exit("--db postgres runs through scripts/with-postgres.sh (DATABASE_URL).")
    folder = Path(tempfile.mkdtemp(prefix="hazri-dashboard-"))
    (folder / "staticfiles").mkdir()  # whitenoise wants one; nothing is served from it
    os.environ["HAZRI_VAR_DIR"] = str(folder)
    if args.db == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        os.environ["HAZRI_SQLITE_PATH"] = str(folder / "bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return folder


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.02, help="1.0 = 100,000 schools")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--days", type=int, default=220, help="school days of rollups")
    parser.add_argument("--rollcall-days", type=int, default=22)
    parser.add_argument(
        "--rollcall-schools",
        default="block",
        help="schools with raw roll calls: 'block' (the benchmarked block), 'all', or a number",
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--budget", type=float, default=30, help="seconds a case may take")
    parser.add_argument("--explain", type=int, default=3, help="slowest API cases to explain")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", help="default: bench/results/dashboard-<db>.json")
    args = parser.parse_args(argv)
    if args.days < 30:
        parser.error("--days must be at least 30: the month ranges need a month of rollups")

    from django.apps import apps

    folder = None if apps.ready else configure(args)  # in-process (tests): as set up
    if folder is not None:  # a SIGTERM still removes the temporary files
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return run(args)
    finally:
        if folder is not None:
            from django.db import connections

            connections.close_all()
            shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace) -> dict[str, Any]:
    import cpu
    import dashboard_data
    from django.db import connection
    from django.test import Client

    from hazri.dashboards import rollups
    from hazri.org.models import School

    if School.objects.exists():
        sys.exit("The benchmark needs an empty database.")
    db = "postgres" if connection.vendor == "postgresql" else connection.vendor
    started = time.perf_counter()
    world = dashboard_data.build(
        scale=args.scale,
        school_days=args.days,
        rollcall_days=min(args.rollcall_days, args.days),
        rollcall_schools=args.rollcall_schools,
        seed=args.seed,
    )
    info = prepare_database()
    generation = {k: round(v, 2) for k, v in world.seconds.items()}
    generation["analyze"] = info.pop("analyze_s")
    generation["total"] = round(time.perf_counter() - started, 2)
    sizes = world.sizes
    print(
        f"{sizes['schools']:,} schools ({sizes['districts']} districts, {sizes['blocks']} blocks, "
        f"{sizes['clusters']} clusters), {sizes['students_on_roll']:,} students on roll; "
        f"{sizes['schoolday_rows']:,} SchoolDay rows ({sizes['calendar_days']} days "
        f"{sizes['first_day']}..{sizes['last_day']}, {sizes['school_days']} school days); "
        f"{sizes['rollcalls']:,} roll calls ({sizes['rollcall_days']} school days) for "
        f"{sizes['rollcall_schools']:,} schools (--rollcall-schools {sizes['rollcall_sample']}), "
        f"{sizes['students_rows']:,} student rows; benchmarked district/block/cluster have "
        f"{sizes['schools_in']['district']}/{sizes['schools_in']['block']}/"
        f"{sizes['schools_in']['cluster']} schools"
    )
    print(f"generated in {generation['total']} s: {generation}; {info}")
    behind = rollups.freshness(start=world.days[0], end=world.end).behind
    if behind:
        raise SystemExit(f"The rollups are incomplete: {len(behind)} days are not counted.")

    client = Client()
    client.force_login(world.officer)
    found = cases(world)
    print(f"\n{db}, scale {args.scale}: ms per call, target p95 ≤ {TARGET_MS:.0f} ms")
    print(HEADER)
    before = cpu.sample()
    for case in found:
        measure(case, client, args.runs, args.budget)
        print(row_text(case), flush=True)
    machine_cpu = cpu.shares(before, cpu.sample())
    print(f"CPU while measuring: {machine_cpu}")
    plans = explain(found, args.explain) if args.explain else []
    over = [c.name for c in found if c.result["over_target"]]
    print(f"\nover the target: {', '.join(over) if over else 'none'}")
    for plan in plans:
        print(f"\n-- {plan['case']}: {plan['query_ms']} ms\n{plan['sql'][:400]}")
        print("\n".join(plan["plan"]))
    report = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {os.cpu_count()} cores",
        "python": platform.python_version(),
        # Steal: time the hypervisor gave to other guests (slows every figure).
        "cpu_while_measuring": machine_cpu,
        "db": db,
        **info,
        "scale": args.scale,
        "runs": args.runs,
        "target_ms": TARGET_MS,
        "sizes": sizes,
        "generation_s": generation,
        "reader_behind_days": len(behind),
        "results": [
            {"endpoint": c.endpoint, "level": c.level, "range": c.span, "url": c.url, **c.result}
            for c in found
        ],
        "over_target": over,
        "plans": plans,
    }
    out = Path(args.out or HERE / "results" / f"dashboard-{db}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    print(f"written to {os.path.relpath(out)}")
    return report


if __name__ == "__main__":
    main()
