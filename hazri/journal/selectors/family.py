"""Who reads and signs a diary: the child a user may open, the school a child's week
belongs to, a notice a user may see, and the class teacher's list of who signed."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, Role, actor_of, require, today_in
from hazri.common.errors import Forbidden, NotFound
from hazri.common.templatetags.hazri_tags import local_name
from hazri.journal.models import AbsenceNotice, Acknowledgement
from hazri.journal.selectors.diary import monday_of
from hazri.journal.selectors.timetable import week_of
from hazri.org import selectors as org
from hazri.org.models import School, Section
from hazri.people.models import Enrolment, Guardianship, Student
from hazri.people.selectors import RollMember, section_roll


def diary_today() -> dt.date:
    """The day a diary opens on without a week: the deployment's (the state's) today."""
    return today_in(settings.TIME_ZONE)


def family_students(user: Any) -> list[Student]:
    """The user's children (any schools) and their own student record, by name."""
    return [member.student for member in access.family_of(user)]


def student_for_diary(user: Any, student_id: int) -> Student:
    """A child whose diary the user may read: their own family's, or a student of the
    schools they work in or oversee; any other is one 404."""
    return access.student_visible(user, student_id)


def school_of(student: Student, day: dt.date) -> School:
    """The school the student is enrolled in on the day (else their latest)."""
    enrolments = list(
        Enrolment.objects.filter(student=student)
        .select_related("school")
        .order_by("starts_on", "pk")
    )
    on_day = [
        e for e in enrolments if e.starts_on <= day and (e.ends_on is None or e.ends_on >= day)
    ]
    found = (on_day or enrolments)[-1:]
    if not found:
        raise NotFound(f"Student {student.pk} is on no school's roll.", field="student")
    return found[0].school


def roll_day(section: Section, week: dt.date) -> dt.date:
    """The day whose roll a week's list is of: the week's last day that has come."""
    days = week_of(week)
    today = org.school_today(section.school)
    return max(days[0], min(days[-1], today))


def notice_visible(user: Any, notice_id: int) -> AbsenceNotice:
    return require(
        AbsenceNotice.objects.select_related("student", "school"),
        actor_of(user),
        Action.VIEW,
        notice_id,
        field="notice",
        noun="absence notice",
    )


def notices_of(student: Student) -> list[AbsenceNotice]:
    return list(AbsenceNotice.objects.filter(student=student).order_by("-starts_on", "-pk"))


@dataclass(frozen=True)
class AckRow:
    student: RollMember
    guardians: list[str]
    signed: list[Acknowledgement]


def require_class_teacher(user: Any, section: Section, week: dt.date) -> None:
    """The section's class teacher during the week (an assignment with no subject), or
    the school's head; else Forbidden (the section itself was found visible)."""
    actor = actor_of(user)
    days = week_of(week)
    if actor.is_superuser or actor.role_at(section.school_id) == Role.HEAD:
        return
    if any(
        a.section_id == section.pk and a.subject_id is None and any(a.covers(d) for d in days)
        for a in actor.assignments
    ):
        return
    raise Forbidden(
        "Only the class teacher of this section and the head see who signed the diary.",
        field="section",
        code="not_class_teacher",
    )


def acknowledgements_of(section: Section, week: dt.date, on: dt.date) -> list[AckRow]:
    """The section's students (its roll on `on`) with their guardians and who of them
    signed the week: three queries."""
    monday = monday_of(week)
    roll = section_roll(section, on)
    ids = [member.id for member in roll]
    guardians: dict[int, list[str]] = defaultdict(list)
    for link in Guardianship.objects.filter(student_id__in=ids).select_related("guardian"):
        guardians[link.student_id].append(local_name(link.guardian))
    signed: dict[int, list[Acknowledgement]] = defaultdict(list)
    for ack in (
        Acknowledgement.objects.filter(school_id=section.school_id, student_id__in=ids, week=monday)
        .select_related("signed_by")
        .order_by("signed_at", "pk")
    ):
        signed[ack.student_id].append(ack)
    return [AckRow(member, guardians[member.id], signed[member.id]) for member in roll]
