import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hazri.dashboards.services import schooldays_rebuild
from hazri.org.models import School


class Command(BaseCommand):
    help = (
        "Rebuild the school-day rollups the dashboards read. Run it nightly: by default it "
        "redoes the last 45 days up to today, so calendar and enrolment changes reach the "
        "figures and schools that have not marked yet have their rows. Or give a range."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--start", type=dt.date.fromisoformat, help="YYYY-MM-DD (default today)"
        )
        parser.add_argument("--end", type=dt.date.fromisoformat, help="YYYY-MM-DD (default start)")

    def handle(self, *args: Any, **options: Any) -> None:
        end = options["end"] or timezone.localdate()
        start = options["start"] or end - dt.timedelta(days=options["days"] - 1)
        if end < start:
            raise CommandError("--end is before --start.")
        schools = list(School.objects.order_by("pk"))
        written = 0
        for offset in range(0, len(schools), 500):
            written += schooldays_rebuild(
                schools=schools[offset : offset + 500], start=start, end=end
            )
        self.stdout.write(f"Wrote {written} school-day rollups ({start} to {end}).")
