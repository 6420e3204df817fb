"""Students with weak attendance (SPEC §1.7), counted from the packed roll calls of
each school's last school days."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from hazri.attendance import rules
from hazri.attendance.models import RollCall
from hazri.dashboards.models import FollowUp, SchoolDay
from hazri.org import selectors as org
from hazri.org.models import School
from hazri.people.models import Student


@dataclass(frozen=True)
class StudentRate:
    student: Student
    school: School
    held: int  # meetings marked while on the roll
    attended: int
    school_days: int  # days with a roll call that had the student
    days_absent: int  # days absent from every meeting marked
    last_follow_up: FollowUp | None

    @property
    def pct(self) -> float:
        return round(100 * self.attended / self.held, 1) if self.held else 100.0

    @property
    def absent_days_pct(self) -> float:
        return round(100 * self.days_absent / self.school_days, 1) if self.school_days else 0.0


def window_start(school: School, end: dt.date, school_days: int) -> dt.date:
    """The first of the school's last `school_days` school days up to `end`."""
    days = list(
        SchoolDay.objects.filter(school=school, day__lte=end, is_school_day=True)
        .order_by("-day")
        .values_list("day", flat=True)[:school_days]
    )
    return days[-1] if days else end


def low_attendance_students(
    *,
    schools: list[School],
    end: dt.date,
    school_days: int = 30,
    threshold: float | None = None,
    chronic_pct: float | None = None,
) -> list[StudentRate]:
    """Students under the attendance threshold or chronically absent, worst first."""
    found: list[StudentRate] = []
    for school in schools:
        policy = org.policy_for_school(school)
        low = policy.low_attendance_pct if threshold is None else threshold
        chronic = policy.chronic_absence_pct if chronic_pct is None else chronic_pct
        start = window_start(school, end, school_days)
        held: dict[int, int] = defaultdict(int)
        came: dict[int, int] = defaultdict(int)
        days: dict[int, dict[dt.date, bool]] = defaultdict(dict)
        for rollcall in (
            RollCall.objects.filter(
                school_id=school.pk, day__gte=start, day__lte=end, is_current=True
            )
            .select_related("roster")
            .only("day", "marks", "roster__member_ids")
        ):
            for member, code in zip(rollcall.roster.members, rollcall.marks, strict=True):
                held[member] += 1
                present = code in (rules.PRESENT, rules.DUTY)
                came[member] += present
                days[member][rollcall.day] = days[member].get(rollcall.day, False) or present
        weak = [
            member
            for member in held
            if 100 * came[member] / held[member] < low
            or 100 * sum(not v for v in days[member].values()) / len(days[member]) >= chronic
        ]
        students = Student.objects.in_bulk(weak)
        follow_ups: dict[int, FollowUp] = {}
        for follow_up in FollowUp.objects.filter(school=school, student_id__in=weak).order_by(
            "recorded_at"
        ):
            follow_ups[follow_up.student_id] = follow_up
        found += [
            StudentRate(
                student=students[m],
                school=school,
                held=held[m],
                attended=came[m],
                school_days=len(days[m]),
                days_absent=sum(not v for v in days[m].values()),
                last_follow_up=follow_ups.get(m),
            )
            for m in weak
            if m in students
        ]
    return sorted(found, key=lambda r: (r.pct, r.student.name))
