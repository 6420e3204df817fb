"""Reads for the register: a section's month built from its roll calls."""

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from hazri.accounts.names import person_name
from hazri.attendance import rules, seams
from hazri.attendance.models import Approval, RollCall
from hazri.common import sql
from hazri.org import selectors as org
from hazri.org.models import School, Section
from hazri.people.models import Enrolment
from hazri.registers.grid import Carried, Change, Grid, StudentOnRoll, build_grid
from hazri.registers.models import ExamResult, MonthCertification


def month_days(month: dt.date) -> list[dt.date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return [month.replace(day=day) for day in range(1, last + 1)]


def certification_for(*, section: Section, day: dt.date) -> MonthCertification | None:
    return MonthCertification.objects.filter(
        school_id=section.school_id, section=section, month=day.replace(day=1)
    ).first()


@dataclass(frozen=True)
class Register:
    school: School
    section: Section
    month: dt.date
    grid: Grid
    certification: MonthCertification | None
    pending: list[RollCall]  # changes after certification waiting for approval

    @property
    def days(self) -> list[dt.date]:
        return month_days(self.month)


def section_register(*, section: Section, month: dt.date, today: dt.date) -> Register:
    """The paper register of one section for one month (SPEC §3.4–3.6)."""
    school = section.school
    month = month.replace(day=1)
    days = month_days(month)
    policy = org.policy_for_school(school)
    statuses = org.school_calendar(school, days[0], days[-1], policy=policy)
    enrolments = list(
        Enrolment.objects.filter(school_id=school.pk, section=section, starts_on__lte=days[-1])
        .exclude(ends_on__lt=days[0])
        .select_related("student", "admission")
    )
    students = _students(enrolments)
    versions = list(
        RollCall.objects.filter(
            school_id=school.pk, section=section, day__gte=days[0], day__lte=days[-1]
        )
        .exclude(approval=Approval.REJECTED)
        .select_related("roster", "taken_by")
        .order_by("day", "meeting", "captured_at", "version")
    )
    marks, history, pending = _marks_and_history(versions)
    grid = build_grid(
        days=days,
        statuses=statuses,
        meetings_per_day=policy.meetings_per_day,
        students=students,
        marks=marks,
        history=history,
        carried=_carried(section, [s.id for s in students], before=days[0]),
        today=today,
    )
    return Register(
        school=school,
        section=section,
        month=month,
        grid=grid,
        certification=certification_for(section=section, day=month),
        pending=pending,
    )


def _students(enrolments: list[Enrolment]) -> list[StudentOnRoll]:
    spells: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in enrolments:
        spells[enrolment.student_id].append(enrolment)
    students = []
    for items in spells.values():
        latest = max(items, key=lambda e: e.starts_on)
        students.append(
            StudentOnRoll(
                id=latest.student_id,
                name=latest.student.name,
                name_local=latest.student.name_local,
                admission_no=latest.admission.admission_no,
                origin=latest.origin,
                admitted_on=latest.admission.admitted_on,
                roll_no=latest.roll_no,
                spells=tuple(sorted((e.starts_on, e.ends_on) for e in items)),
            )
        )
    return students


def _marks_and_history(
    versions: list[RollCall],
) -> tuple[
    dict[tuple[dt.date, int], dict[int, str]],
    dict[tuple[dt.date, int, int], list[Change]],
    list[RollCall],
]:
    by_key: dict[tuple[dt.date, int], list[RollCall]] = defaultdict(list)
    pending = []
    for version in versions:
        if version.approval == Approval.PENDING:
            pending.append(version)
            continue
        by_key[(version.day, version.meeting)].append(version)
    marks: dict[tuple[dt.date, int], dict[int, str]] = {}
    history: dict[tuple[dt.date, int, int], list[Change]] = defaultdict(list)
    for key, chain in by_key.items():
        current = next((v for v in chain if v.is_current), chain[-1])
        # Read the versions in capture order, up to the current one.
        chain = [v for v in chain if v.captured_at <= current.captured_at]
        previous: dict[int, str] = {}
        for version in chain:
            codes = dict(rules.unpack_marks(version.roster.members, version.marks))
            for student, code in codes.items():
                before = previous.get(student)
                if before is not None and before != code:
                    history[(key[0], key[1], student)].append(
                        Change(
                            code=before,
                            by=person_name(version.taken_by),
                            at=version.captured_at,
                            note=version.note,
                            after_certification=version.approval == Approval.APPROVED,
                        )
                    )
            previous = codes
        marks[key] = dict(rules.unpack_marks(current.roster.members, current.marks))
    return marks, history, pending


def _carried(section: Section, student_ids: list[int], *, before: dt.date) -> dict[int, Carried]:
    """Meetings attended and held from the session's start to `before`, in any section
    of the same school the student was in."""
    year = section.academic_year
    if before <= year.starts_on or not student_ids:
        return {}
    sections = (
        Enrolment.objects.filter(
            school_id=section.school_id,
            student_id__in=student_ids,
            section__academic_year=year,
        )
        .values_list("section_id", flat=True)
        .distinct()
    )
    wanted = set(student_ids)
    attended: dict[int, int] = defaultdict(int)
    held: dict[int, int] = defaultdict(int)
    rollcalls = (
        RollCall.objects.filter(
            school_id=section.school_id,
            section_id__in=list(sections),
            is_current=True,
            day__gte=year.starts_on,
            day__lt=before,
        )
        .select_related("roster")
        .only("marks", "roster__member_ids")
    )
    for rollcall in rollcalls:
        for student, code in rules.unpack_marks(rollcall.roster.members, rollcall.marks):
            if student in wanted:
                held[student] += 1
                if code in rules.ATTENDED_CODES:
                    attended[student] += 1
    return {student: Carried(attended[student], held[student]) for student in held}


# --- The month lock, plugged into attendance (attendance.seams) ---------------------------

CERTIFIED_SQL = (
    "(SELECT COUNT(*) FROM registers_monthcertification "
    "WHERE school_id = %s AND section_id = %s AND month = %s)"
)


def certified_months(
    school_ids: Sequence[int], section_ids: Sequence[int], months: Collection[dt.date]
) -> set[tuple[int, dt.date]]:
    """The (section id, first of month) pairs certified among these: a roll call of
    such a month is a change that waits for an officer's approval."""
    month = sql.field(MonthCertification, "month")
    values = sql.params(MonthCertification, "month", sorted(months))
    return set(
        sql.select(
            "SELECT section_id, month FROM registers_monthcertification "
            f"WHERE school_id IN ({sql.placeholders(school_ids)}) "
            f"AND section_id IN ({sql.placeholders(section_ids)}) "
            f"AND month IN ({sql.placeholders(values)})",
            [*school_ids, *section_ids, *values],
            [None, month],
        )
    )


def month_lock() -> seams.MonthLock:
    return seams.MonthLock(
        certified_sql=CERTIFIED_SQL,
        certified=certified_months,
        month_field=sql.field(MonthCertification, "month"),
    )


def exam_results_current(section: Section) -> dict[int, ExamResult]:
    """The current session result of each student of the section, by student id."""
    return {
        exam.student_id: exam
        for exam in ExamResult.objects.filter(
            school_id=section.school_id, section=section, is_current=True
        )
    }


def exam_results_of_student(student_id: int) -> list[ExamResult]:
    """Every version of every session result of the child, in every school (the
    lifelong record), oldest session first and, within one, oldest version first."""
    return list(
        ExamResult.objects.filter(student_id=student_id)
        .select_related("section__academic_year", "school", "recorded_by")
        .order_by("section__academic_year__starts_on", "section_id", "version")
    )
