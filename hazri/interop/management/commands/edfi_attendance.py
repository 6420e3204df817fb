"""`hazri edfi-attendance --area RJ-JPR --start 2026-10-01 --end 2026-10-31 --out DIR`:
every school's Ed-Fi attendance events, one JSON file per school (the page and the API
give one school at most 31 days; the operator's command has no such limit)."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hazri.common.errors import Invalid
from hazri.interop.edfi.events import school_events
from hazri.interop.edfi.export import checked_range, filename
from hazri.org.models import OrgUnit, School


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: use YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Write Ed-Fi attendance events (JSON) for a school or every school of an area."

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--school", help="the school's UDISE code")
        scope.add_argument("--area", help="an org unit's code: every school under it")
        parser.add_argument("--start", required=True, type=_day, help="first day, YYYY-MM-DD")
        parser.add_argument("--end", required=True, type=_day, help="last day, YYYY-MM-DD")
        parser.add_argument("--out", required=True, type=Path, help="a directory for the files")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end, out = options["start"], options["end"], options["out"]
        try:
            checked_range(start, end, limit=None)
        except Invalid as error:
            raise CommandError(str(error)) from None
        if options["school"]:
            schools = School.objects.filter(code=options["school"])
        else:
            unit = OrgUnit.objects.filter(code=options["area"]).first()
            if unit is None:
                raise CommandError(f"No org unit {options['area']!r}.")
            schools = School.objects.filter(unit_path__startswith=unit.path)
        schools = schools.order_by("code")
        if not schools.exists():
            raise CommandError("No such school.")
        out.mkdir(parents=True, exist_ok=True)
        events = 0
        for school in schools.iterator(chunk_size=200):
            bundle = school_events(school, start, end)
            events += len(bundle["studentSchoolAttendanceEvents"])
            events += len(bundle["studentSectionAttendanceEvents"])
            path = out / filename(school, start, end)
            path.write_text(json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8")
            self.stdout.write(str(path))
        self.stdout.write(f"{events} events.")
