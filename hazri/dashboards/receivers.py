"""What the dashboards do when the apps below them announce a change
(hazri.attendance.seams, hazri.people.signals)."""

import datetime as dt
from typing import Any

from django.db.models import Min

from hazri.dashboards.models import SchoolDay
from hazri.dashboards.services import schooldays_rebuild, schooldays_refresh
from hazri.org import selectors as org
from hazri.org.models import School


def schooldays_changed(*, days: list[tuple[School, dt.date]], staff: bool, **_: Any) -> None:
    """Roll calls of these school-days changed (attendance.seams.schooldays_changed):
    refresh their figures in the same transaction. `staff` is false when only student
    roll calls changed, which leaves the staff figures as they are."""
    schooldays_refresh(days=days, staff=staff)


def roll_changed(*, school_ids: list[int], since: dt.date, **_: Any) -> None:
    """A school's roll changed from `since`: rebuild its school-days from then up to its
    today, in the sender's transaction, so their counts (on roll, sections, staff)
    agree with the roll at once; the rewritten rows' new `updated_at` marks those
    days' unit rollups stale for the scheduler (rollups.changed_days).

    Only days that have a row already: a school-day not built yet is built whole when
    it is first wanted, and a posting dated 2009 must not write sixteen years of rows.
    """
    firsts = dict(
        SchoolDay.objects.filter(school_id__in=school_ids)
        .values("school_id")
        .annotate(first=Min("day"))
        .values_list("school_id", "first")
    )
    for school in School.objects.filter(pk__in=list(firsts)).order_by("pk"):
        start = max(since, firsts[school.pk])
        end = org.school_today(school)
        if start <= end:
            schooldays_rebuild(schools=[school], start=start, end=end)
