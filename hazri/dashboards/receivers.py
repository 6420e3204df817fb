"""What the dashboards do when the apps below them say something changed."""

import datetime as dt
from typing import Any

from hazri.dashboards.services import schooldays_refresh
from hazri.org.models import School


def schooldays_changed(*, days: list[tuple[School, dt.date]], staff: bool, **_: Any) -> None:
    """Roll calls of these school-days changed (attendance.seams.schooldays_changed):
    refresh their figures in the same transaction. `staff` is false when only student
    roll calls changed, which leaves the staff figures as they are."""
    schooldays_refresh(days=days, staff=staff)
