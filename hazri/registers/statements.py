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
class Statement:
    """Counts are of meetings, as the register counts them (a school that meets twice a
    day holds two a day); `absent_days` are the days with an absence in any meeting, so
    a child absent all of 3 two-meeting days is "absent 6 meetings on 3 days"."""

    student: Student
    start: dt.date
    end: dt.date
    total: rules.Counts = field(default_factory=rules.Counts)
    months: dict[dt.date, rules.Counts] = field(default_factory=dict)
    absent_days: list[dt.date] = field(default_factory=list)

    def days_absent(self, month: dt.date | None = None) -> int:
        """Days with an absence, in the month (its first day) or the whole range."""
        if month is None:
            return len(self.absent_days)
        return sum(1 for day in self.absent_days if day.replace(day=1) == month)


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
    # The student's codes by month, counted once at the end (in C, not mark by mark).
    codes: dict[dt.date, list[str]] = defaultdict(list)
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
            code = rules.mark_of(rollcall.roster.members, rollcall.marks, student.pk)
            if code is None:
                continue
            codes[rollcall.day.replace(day=1)].append(code)
            if code == rules.ABSENT:
                absent.add(rollcall.day)
    months = {month: rules.count_marks("".join(codes[month])) for month in sorted(codes)}
    return Statement(
        student=student,
        start=start,
        end=end,
        total=sum(months.values(), rules.Counts()),
        months=months,
        absent_days=sorted(absent),
    )
