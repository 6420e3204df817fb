"""The headmaster's and teachers' pages: thin views over the attendance services."""

from hazri.attendance.views.home import home
from hazri.attendance.views.school import school_day
from hazri.attendance.views.sections import section_history, section_mark
from hazri.attendance.views.staff import staff_history, staff_mark

__all__ = [
    "home",
    "school_day",
    "section_history",
    "section_mark",
    "staff_history",
    "staff_mark",
]
