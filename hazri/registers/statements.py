"""A student's attendance over a date range: the statement parents receive after
each test and the half-yearly exam (SPEC §3.10)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from hazri.attendance import rules
from hazri.attendance.models import RollCall
from hazri.org.models import School
from hazri.people.models import Enrolment, Student


@dataclass
class Tally:
    held: int = 0
    present: int = 0
    duty: int = 0
    absent: int = 0
    leave: int = 0

    @property
    def attended(self) -> int:
        return self.present + self.duty

    @property
    def percent(self) -> float | None:
        return round(100 * self.attended / self.held, 1) if self.held else None

    def add(self, code: str) -> None:
        self.held += 1
        if code == rules.PRESENT:
            self.present += 1
        elif code == rules.DUTY:
            self.duty += 1
        elif code == rules.ABSENT:
            self.absent += 1
        else:
            self.leave += 1


@dataclass
class Statement:
    student: Student
    start: dt.date
    end: dt.date
    total: Tally = field(default_factory=Tally)
    months: dict[dt.date, Tally] = field(default_factory=dict)
    absent_days: list[dt.date] = field(default_factory=list)


MAX_RANGE = dt.timedelta(days=400)


def student_statement(
    *, student: Student, start: dt.date, end: dt.date, schools: QuerySet[School] | None = None
) -> Statement:
    """Meetings held and attended, by month, from the roll calls of every section the
    student was enrolled in during the range (across schools)."""
    enrolments_qs = Enrolment.objects.filter(student=student, starts_on__lte=end).exclude(
        ends_on__lt=start
    )
    if schools is not None:
        enrolments_qs = enrolments_qs.filter(school__in=schools)
    enrolments = list(enrolments_qs)
    statement = Statement(student=student, start=start, end=end)
    months: dict[dt.date, Tally] = defaultdict(Tally)
    absent: set[dt.date] = set()
    for enrolment in enrolments:
        rollcalls = (
            RollCall.objects.filter(
                school_id=enrolment.school_id,
                section_id=enrolment.section_id,
                is_current=True,
                day__gte=max(start, enrolment.starts_on),
                day__lte=min(end, enrolment.ends_on or end),
            )
            .select_related("roster")
            .only("day", "marks", "roster__member_ids")
            .order_by("day")
        )
        for rollcall in rollcalls:
            members = rollcall.roster.members
            if student.pk not in members:
                continue
            code = rollcall.marks[members.index(student.pk)]
            statement.total.add(code)
            months[rollcall.day.replace(day=1)].add(code)
            if code == rules.ABSENT:
                absent.add(rollcall.day)
    statement.months = dict(sorted(months.items()))
    statement.absent_days = sorted(absent)
    return statement
