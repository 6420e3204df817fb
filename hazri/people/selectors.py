"""Rosters as they stood on a given day, rebuilt from dated enrolments and postings."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from hazri.org import selectors as org
from hazri.org.models import School, Section
from hazri.people.models import Enrolment, Posting
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


def schools_posted_today(user_id: int | None, now: dt.datetime | None = None) -> list[School]:
    """The schools a user is posted to, each posting judged on its school's own today
    (the school's time zone, not the server's), by name. No user (anonymous): none."""
    if user_id is None:
        return []
    schools: dict[int, School] = {}
    for posting in Posting.objects.filter(staff__user_id=user_id).select_related("school"):
        today = org.school_today(posting.school, now)
        if posting.starts_on <= today and (posting.ends_on is None or today <= posting.ends_on):
            schools[posting.school_id] = posting.school
    return sorted(schools.values(), key=lambda school: (school.name, school.pk))
