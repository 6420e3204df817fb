"""Rosters as they stood on a given day, rebuilt from dated enrolments and postings."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from hazri.common import sql
from hazri.org.models import School, Section
from hazri.people.models import Admission, Enrolment, Guardianship, Posting, Student
from hazri.people.roll import RollEntry, order_roll


@dataclass(frozen=True)
class RollMember:
    id: int
    name: str
    name_local: str
    admission_no: str
    roll_no: int | None
    gender: str


def active_on(day: dt.date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def section_roll(section: Section, day: dt.date) -> list[RollMember]:
    """The section's students on `day`, in the legal roll order (SPEC §3.2)."""
    return sections_rolls([section], day)[section.pk]


def sections_rolls(sections: list[Section], day: dt.date) -> dict[int, list[RollMember]]:
    """Rolls of many sections in one query, each in the legal roll order (SPEC §3.2)."""
    if not sections:
        return {}
    school_ids = {section.school_id for section in sections}
    enrolments = Enrolment.objects.filter(
        active_on(day), school_id__in=school_ids, section__in=sections
    ).select_related("student", "admission")
    grouped: dict[int, dict[int, Enrolment]] = {section.pk: {} for section in sections}
    for enrolment in enrolments:
        grouped[enrolment.section_id][enrolment.student_id] = enrolment
    result = {}
    for section_id, by_student in grouped.items():
        ordered = order_roll(
            RollEntry(
                member=e.student_id,
                name=e.student.name,
                origin=e.origin,
                admitted_on=e.admission.admitted_on,
                roll_no=e.roll_no,
            )
            for e in by_student.values()
        )
        result[section_id] = [
            RollMember(
                id=entry.member,
                name=by_student[entry.member].student.name,
                name_local=by_student[entry.member].student.name_local,
                admission_no=by_student[entry.member].admission.admission_no,
                roll_no=by_student[entry.member].roll_no,
                gender=by_student[entry.member].student.gender,
            )
            for entry in ordered
        ]
    return result


@dataclass(frozen=True)
class StaffMember:
    id: int
    name: str
    name_local: str
    role: str
    employee_code: str


ROLE_ORDER: dict[str, int] = {Posting.Role.HEAD: 0, Posting.Role.TEACHER: 1, Posting.Role.OTHER: 2}


def school_staff_roll(school: School, day: dt.date) -> list[StaffMember]:
    """Staff posted to the school on `day`: the head first, then teachers, then others."""
    postings = Posting.objects.filter(active_on(day), school=school).select_related("staff")
    members = {
        p.staff_id: StaffMember(
            id=p.staff_id,
            name=p.staff.name,
            name_local=p.staff.name_local,
            role=p.role,
            employee_code=p.staff.employee_code,
        )
        for p in postings
    }
    return sorted(
        members.values(), key=lambda m: (ROLE_ORDER.get(m.role, 9), m.name.casefold(), m.id)
    )


# --- Whom a user is: the reads the permission model (accounts.access) builds on ----------


@dataclass(frozen=True)
class PostingSpan:
    """A posting of the user's, with its school's time zone (a posting is judged on the
    day being acted on, in the school's own time)."""

    school_id: int
    role: str
    starts_on: dt.date
    ends_on: dt.date | None
    timezone: str

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


@dataclass(frozen=True)
class AssignmentSpan:
    school_id: int
    section_id: int
    subject_id: int | None  # None: the section's class teacher
    starts_on: dt.date
    ends_on: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


_STARTS, _ENDS = sql.field(Posting, "starts_on"), sql.field(Posting, "ends_on")


def postings_of_user(user_id: int) -> list[PostingSpan]:
    """Every posting of the user, past and future, in one query. Plain SQL: every
    submit asks this, and building the ORM query cost more than running it."""
    rows = sql.select(
        "SELECT p.school_id, p.role, p.starts_on, p.ends_on, sc.timezone FROM people_posting p "
        "JOIN people_staff s ON s.id = p.staff_id JOIN org_school sc ON sc.id = p.school_id "
        "WHERE s.user_id = %s",
        [user_id],
        [None, None, _STARTS, _ENDS, None],
    )
    return [PostingSpan(*row) for row in rows]


def assignments_of_user(user_id: int) -> list[AssignmentSpan]:
    """Every teaching assignment of the user, past and future, in one query."""
    rows = sql.select(
        "SELECT a.school_id, a.section_id, a.subject_id, a.starts_on, a.ends_on "
        "FROM people_teachingassignment a JOIN people_staff s ON s.id = a.staff_id "
        "WHERE s.user_id = %s",
        [user_id],
        [None, None, None, _STARTS, _ENDS],
    )
    return [AssignmentSpan(*row) for row in rows]


def children_of_user(user_id: int) -> set[int]:
    """The students whose guardian the user is."""
    return set(
        Guardianship.objects.filter(guardian__user_id=user_id).values_list("student_id", flat=True)
    )


def student_of_user(user_id: int) -> int | None:
    return Student.objects.filter(user_id=user_id).values_list("pk", flat=True).first()


def rolls_on(
    wanted: Iterable[tuple[Section, dt.date]],
) -> dict[tuple[int, dt.date], list[RollEntry]]:
    """The roll of each (section, day) in the legal order: what sections_rolls
    gives (the same enrolments, the same order_roll), read in one query for all
    of them, as plain values because a submit needs only ids and names."""
    days_of: dict[int, list[dt.date]] = {}
    schools: set[int] = set()
    for section, day in wanted:
        schools.add(section.school_id)
        if day not in days_of.setdefault(section.pk, []):
            days_of[section.pk].append(day)
    entries: dict[tuple[int, dt.date], dict[int, RollEntry]] = {
        (pk, day): {} for pk, days in days_of.items() for day in days
    }
    ids = sorted(days_of)
    first = sql.param(Enrolment, "starts_on", min(day for _, day in entries))
    last = sql.param(Enrolment, "starts_on", max(day for _, day in entries))
    # Enrolments active on any of the days (people.active_on), as plain SQL: every
    # submit reads this.
    dated = sql.field(Enrolment, "starts_on")
    rows = sql.select(
        "SELECT e.section_id, e.student_id, s.name, e.origin, a.admitted_on, e.roll_no, "
        "e.starts_on, e.ends_on "
        "FROM people_enrolment e JOIN people_student s ON s.id = e.student_id "
        "JOIN people_admission a ON a.id = e.admission_id "
        f"WHERE e.school_id IN ({sql.placeholders(sorted(schools))}) "
        f"AND e.section_id IN ({sql.placeholders(ids)}) "
        "AND e.starts_on <= %s AND (e.ends_on IS NULL OR e.ends_on >= %s)",
        [*sorted(schools), *ids, last, first],
        [None, None, None, None, sql.field(Admission, "admitted_on"), None, dated, dated],
    )
    for section_id, student_id, name, origin, admitted_on, roll_no, starts, ends in rows:
        entry = RollEntry(
            member=student_id, name=name, origin=origin, admitted_on=admitted_on, roll_no=roll_no
        )
        for day in days_of[section_id]:
            if starts <= day and (ends is None or ends >= day):
                entries[(section_id, day)][student_id] = entry
    return {key: order_roll(by_student.values()) for key, by_student in entries.items()}


def current_enrolment(student: Student) -> Enrolment | None:
    """The enrolment the student is on now (open-ended, the latest begun), with its
    school and section; None for a child on no school's roll."""
    return (
        Enrolment.objects.filter(student=student, ends_on__isnull=True)
        .select_related("school", "section", "section__school", "section__academic_year")
        .order_by("-starts_on", "-pk")
        .first()
    )
