"""What every benchmark's result file says about how its figures were measured (what,
when, on which machine, on which database under which settings), and where it goes."""

import datetime as dt
import json
import os
import platform
from pathlib import Path
from typing import Any

from django.db import connection

RESULTS = Path(__file__).resolve().parent / "results"

# The settings that decide what a commit costs: with fsync or synchronous_commit off a
# commit does not wait for the disk, and a figure measured so does not size production.
DURABILITY = ("fsync", "synchronous_commit", "full_page_writes", "wal_level", "shared_buffers")


def postgres_settings() -> dict[str, str]:
    """The server's durability settings, as the figures were measured under them."""
    with connection.cursor() as cursor:
        found = {}
        for name in DURABILITY:
            cursor.execute(f"SHOW {name}")
            found[name] = cursor.fetchone()[0]
    durable = found["fsync"] == "on" and found["synchronous_commit"] != "off"
    return {**found, "durable": "yes" if durable else "no (the tests' throwaway server)"}


def sqlite_settings() -> dict[str, str]:
    """The pragmas that decide what a commit costs on SQLite, as the connection has them."""
    with connection.cursor() as cursor:
        found = {}
        for name in ("journal_mode", "synchronous"):
            cursor.execute(f"PRAGMA {name}")
            found[name] = str(cursor.fetchone()[0])
    # synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
    found["synchronous"] = {"0": "OFF", "1": "NORMAL", "2": "FULL", "3": "EXTRA"}.get(
        found["synchronous"], found["synchronous"]
    )
    return found


def header(benchmark: str, args: Any) -> dict[str, Any]:
    """A result's first keys: the benchmark, when, the machine, the database (PostgreSQL
    with its durability settings as the server reports them, or SQLite with its
    pragmas) and the arguments."""
    postgres = connection.vendor == "postgresql"
    return {
        "benchmark": benchmark,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpu": platform.processor() or platform.machine(),
            "cores": os.cpu_count(),
        },
        "db": "postgres" if postgres else "sqlite",
        "database_settings": postgres_settings() if postgres else sqlite_settings(),
        "args": vars(args),
    }


def write(result: dict[str, Any], name: str, args: Any) -> Path:
    """The result to --out, else to results/NAME.json (NAME-postgres.json on PostgreSQL)."""
    suffix = "-postgres" if result.get("db") == "postgres" else ""
    out = Path(args.out) if args.out else RESULTS / f"{name}{suffix}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return out
