"""What the dashboards do when a lower app announces a change (hazri.people.signals)."""

import datetime as dt
from typing import Any

from django.db.models import Min

from hazri.dashboards.models import SchoolDay
from hazri.dashboards.services import schooldays_rebuild
from hazri.org import selectors as org
from hazri.org.models import School


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
