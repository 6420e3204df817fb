"""Background jobs that keep the rollups current (enqueued by `hazri scheduler`)."""

import datetime as dt

from django_tasks import task

from hazri.dashboards import rollups, weak
from hazri.org import selectors as org


@task()
def refresh_rollups() -> list[str]:
    """Every minute: rebuild the unit rollups of the days whose school-days changed."""
    return [day.isoformat() for day in rollups.refresh()]


@task()
def nightly_rollups(days: int = 45) -> dict[str, int]:
    """Every night: redo the last `days` days of school-day and unit rollups, so that
    calendar, enrolment and late corrections reach the figures and the trails; then
    the weak-student lists up to yesterday (the last whole day)."""
    end = org.tree_today()
    written = rollups.nightly(start=end - dt.timedelta(days=days - 1), end=end)
    listed = weak.build(as_of=end - dt.timedelta(days=1))
    return {
        "school_days": written.schools,
        "unit_days": written.units,
        "weak_students": listed.students,
    }
