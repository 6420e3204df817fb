import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hazri.common.schedule import JOBS, Scheduler


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs (rollup refresh every minute, nightly rollups, pruning) "
        "as background tasks; run `hazri db_worker` beside it to execute them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Enqueue what is due now, then exit"
        )
        parser.add_argument(
            "--interval", type=float, default=10.0, help="Seconds between checks (default 10)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scheduler = Scheduler()
        if options["once"]:
            for path in scheduler.tick():
                self.stdout.write(f"enqueued {path}")
            return
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Scheduling {len(JOBS)} jobs; stop with Ctrl-C.")
        while not stopping:
            for path in scheduler.tick():
                self.stdout.write(f"enqueued {path}", ending="\n")
            self.stdout.flush()
            slept = 0.0
            while slept < options["interval"] and not stopping:
                time.sleep(0.5)
                slept += 0.5
