"""A real Hazri server on a throwaway SQLite file, for the offline app's tests that
kill the server or time a long sync (test_pwa_fault.py). Not a test module.

    python -m hazri.sync.tests.serve_world build DB --sections 40 --pupils 2
    python -m hazri.sync.tests.serve_world serve DB PORT [--delay SECONDS]

`build` migrates DB, builds the test world with "today" a school morning at Rampur
plus SECTIONS more sections of PUPILS pupils, and prints their ids as JSON.
`serve` runs `runserver` (no reloader) on it; --delay makes every roll call of a
batch take that much longer to store, like a loaded server, so a test can kill it
half-way through a batch.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def _setup(db: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["HAZRI_SQLITE_PATH"] = db
    os.environ.setdefault("HAZRI_VAR_DIR", str(Path(db).parent))
    import django

    django.setup()


def build(db: str, sections: int, pupils: int) -> dict[str, Any]:
    _setup(db)
    from django.core.management import call_command

    from hazri.org.selectors import school_today
    from hazri.sync.tests.pwa_support import add_section, school_morning
    from hazri.testing.world import build_world

    call_command("migrate", verbosity=0, interactive=False)
    world = build_world()
    school_morning(world)
    made = []
    for n in range(sections):
        names = [(f"Pupil {n:02d}-{p:02d}", f"छात्र {n:02d}-{p:02d}") for p in range(pupils)]
        section, _ = add_section(world, 1 + n % 8, f"S{n:02d}", names, code=f"{n:03d}")
        made.append(section.pk)
    return {"sections": made, "today": school_today(world.school).isoformat()}


def serve(db: str, port: int, delay: float) -> None:
    _setup(db)
    from django.core.management import call_command

    if delay:
        from hazri.attendance import services
        from hazri.attendance.services import rollcalls

        original = services.rollcall_submit
        original_many = services.rollcalls_submit

        def slow_submit(**kwargs: Any) -> Any:
            time.sleep(delay)
            return original(**kwargs)

        def slow_many(**kwargs: Any) -> Any:
            # A batch is stored in one transaction: the delay comes after the commit,
            # so a kill can land between a batch stored and its answer.
            result = original_many(**kwargs)
            time.sleep(delay * len(kwargs["items"]))
            return result

        services.rollcall_submit = slow_submit  # type: ignore[assignment]
        services.rollcalls_submit = slow_many  # type: ignore[assignment]
        # A single submit is a batch of one inside the package: slowed the same way.
        rollcalls.rollcalls_submit = slow_many  # type: ignore[assignment]
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("build")
    one.add_argument("db")
    one.add_argument("--sections", type=int, default=40)
    one.add_argument("--pupils", type=int, default=2)
    two = sub.add_parser("serve")
    two.add_argument("db")
    two.add_argument("port", type=int)
    two.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args(argv)
    if args.command == "build":
        sys.stdout.write(json.dumps(build(args.db, args.sections, args.pupils)) + "\n")
    else:
        serve(args.db, args.port, args.delay)


if __name__ == "__main__":
    main(sys.argv[1:])
