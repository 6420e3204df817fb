"""Who may export which school's Ed-Fi attendance, and for how long a range."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from hazri.accounts.access import Action, Actor, require
from hazri.common.errors import Invalid
from hazri.interop.edfi.events import school_events
from hazri.org.models import School

# A month of a big school is about 100,000 events (25 days, 2 meetings, 1,000
# students); longer ranges and whole areas go through the command line.
MAX_DAYS = 31


def school_for_export(actor: Actor, school_id: int, *, field: str = "school") -> School:
    """The school, if the actor may export it (EXCHANGE); one 404 otherwise."""
    return require(
        School.objects.all(), actor, Action.EXCHANGE, school_id, field=field, noun="school"
    )


def checked_range(start: dt.date, end: dt.date, *, limit: int | None = MAX_DAYS) -> None:
    if end < start:
        raise Invalid(_("The last day is before the first."), field="end", code="range")
    if limit is not None and (end - start).days + 1 > limit:
        raise Invalid(
            _("At most %(days)s days at a time.") % {"days": limit}, field="end", code="range"
        )


def attendance_export(
    actor: Actor, school_id: int, start: dt.date, end: dt.date
) -> tuple[School, dict[str, Any]]:
    school = school_for_export(actor, school_id)
    checked_range(start, end)
    return school, school_events(school, start, end)


def filename(school: School, start: dt.date, end: dt.date) -> str:
    return f"edfi-attendance-{school.code}-{start.isoformat()}-{end.isoformat()}.json"
