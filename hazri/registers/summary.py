"""The month-end class-wise summary a school enters on the state portal (SPEC §3.12).

Per class and section: students on the roll at month end (girls, boys), working
days, total attendance in student-days, and the average daily attendance. With two
meetings a day a student-day is two attended meetings, so a forenoon-only day
counts half (the register's own arithmetic: meetings attended / meetings a day).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, F, Q, Sum

from hazri.attendance.models import RollCall
from hazri.common.figures import PORTAL_PLACES, round_half_up
from hazri.org import selectors as org
from hazri.org.models import School, Section
from hazri.people.models import Enrolment
from hazri.registers.selectors import month_days


@dataclass(frozen=True)
class SummaryRow:
    school_code: str
    school_name: str
    grade: int
    section: str
    enrolled: int
    girls: int
    boys: int
    working_days: int
    days_marked: int
    attendance_days: Decimal  # student-days attended
    average_attendance: Decimal
    percent: Decimal | None

    FIELDS = (
        "school_code",
        "school_name",
        "grade",
        "section",
        "enrolled",
        "girls",
        "boys",
        "working_days",
        "days_marked",
        "attendance_days",
        "average_attendance",
        "percent",
    )

    def values(self) -> list[object]:
        return [getattr(self, name) for name in self.FIELDS]


def _round(value: Fraction) -> Decimal:
    return round_half_up(value, PORTAL_PLACES)


def monthly_summary(*, schools: list[School], month: dt.date, today: dt.date) -> list[SummaryRow]:
    """One row per section of the given schools, in school code, class, section order."""
    days = month_days(month.replace(day=1))
    first, last = days[0], days[-1]
    as_of = min(last, today)
    school_ids = [s.pk for s in schools]
    sections = list(
        Section.objects.filter(
            school_id__in=school_ids,
            academic_year__starts_on__lte=last,
            academic_year__ends_on__gte=first,
        )
        .select_related("school")
        .order_by("school__code", "grade", "name")
    )
    enrolled = {
        row["section_id"]: row
        for row in Enrolment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=as_of),
            school_id__in=school_ids,
            section__in=sections,
            starts_on__lte=as_of,
        )
        .values("section_id")
        .annotate(
            total=Count("student_id", distinct=True),
            girls=Count("student_id", filter=Q(student__gender="F"), distinct=True),
            boys=Count("student_id", filter=Q(student__gender="M"), distinct=True),
        )
    }
    attended: dict[int, int] = defaultdict(int)
    marked_days: dict[int, set[dt.date]] = defaultdict(set)
    for row in (
        RollCall.objects.filter(
            school_id__in=school_ids,
            section__in=sections,
            is_current=True,
            day__gte=first,
            day__lte=last,
        )
        .values("section_id", "day")
        .annotate(came=Sum(F("present") + F("duty")))
    ):
        attended[row["section_id"]] += row["came"]
        marked_days[row["section_id"]].add(row["day"])
    working: dict[int, int] = {}
    meetings: dict[int, int] = {}
    for school in schools:
        policy = org.policy_for_school(school)
        calendar = (
            org.school_calendar(school, first, as_of, policy=policy) if as_of >= first else {}
        )
        working[school.pk] = sum(status.is_school_day for status in calendar.values())
        meetings[school.pk] = policy.meetings_per_day
    rows = []
    for section in sections:
        counts = enrolled.get(section.pk, {"total": 0, "girls": 0, "boys": 0})
        days_worked = working[section.school_id]
        # Exact fractions, rounded once at the end (hazri.common.figures).
        student_days = Fraction(attended[section.pk], meetings[section.school_id])
        average = student_days / days_worked if days_worked else Fraction(0)
        rows.append(
            SummaryRow(
                school_code=section.school.code,
                school_name=section.school.name,
                grade=section.grade,
                section=section.name,
                enrolled=counts["total"],
                girls=counts["girls"],
                boys=counts["boys"],
                working_days=days_worked,
                days_marked=len(marked_days[section.pk]),
                attendance_days=_round(student_days),
                average_attendance=_round(average),
                percent=_round(100 * average / counts["total"]) if counts["total"] else None,
            )
        )
    return rows


HEADERS = (
    "School code",
    "School",
    "Class",
    "Section",
    "Enrolled",
    "Girls",
    "Boys",
    "Working days",
    "Days marked",
    "Attendance (student-days)",
    "Average attendance",
    "Average %",
)
