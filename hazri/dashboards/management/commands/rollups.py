import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hazri.common.errors import Conflict
from hazri.dashboards import rollups, weak
from hazri.org import selectors as org


class Command(BaseCommand):
    help = (
        "Rebuild the rollups the dashboards read: every school's days, then every unit's "
        "days and the school-days' trails (their last 30 school days). Run it nightly "
        "(the scheduler does): by default it redoes the last 45 days up to today, so calendar and enrolment changes "
        "and corrections reach the figures. Or give a range to backfill. A range that "
        "reaches yesterday also remakes the weak-student lists of large areas, as of "
        "yesterday."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", type=dt.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--end", type=dt.date.fromisoformat, help="YYYY-MM-DD (default today)")
        parser.add_argument(
            "--days", type=int, default=45, help="Without --start: how many days up to --end"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The rollups span the whole tree: its today is the newest of the states'.
        today = org.tree_today()
        end = options["end"] or today
        if options["days"] < 1:
            raise CommandError("--days must be at least 1.")
        start = options["start"] or end - dt.timedelta(days=options["days"] - 1)
        if end < start:
            raise CommandError("--end is before --start.")
        written = rollups.nightly(start=start, end=end)
        self.stdout.write(
            f"Wrote {written.schools} school-day and {written.units} unit-day rollups "
            f"({start} to {end})."
        )
        yesterday = today - dt.timedelta(days=1)
        if end >= yesterday:
            try:
                listed = weak.build(as_of=yesterday)
            except Conflict as error:
                raise CommandError(error.message) from error
            self.stdout.write(
                f"Listed {listed.students} students of {listed.schools} schools under "
                f"{listed.kept_below}% or often absent, as of {yesterday}."
            )
