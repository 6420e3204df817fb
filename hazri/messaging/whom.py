"""Who may write to whom about a child (SPEC §5.4), judged on the child's school's
today:

* a guardian writes to the child's class teacher, to the subject teachers of the
  child's section, and to the head of the child's school (each posted there today,
  with a teaching assignment for the section today, the head by the posting alone);
* a teacher writes to the guardians of the children of the sections they teach today;
* the head writes to the guardians of any child of the school.

Nobody else: the pages and endpoints answer them the one 404.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hazri.accounts.access import Actor, Role
from hazri.common.errors import NotFound
from hazri.org import selectors as org
from hazri.org.models import Section
from hazri.people.models import Enrolment, Posting, Staff, Student, TeachingAssignment
from hazri.people.selectors import sections_rolls

CLASS_TEACHER, SUBJECT_TEACHER, HEAD = "class_teacher", "subject_teacher", "head"
ROLE_NAMES = {
    CLASS_TEACHER: _("Class teacher"),
    SUBJECT_TEACHER: _("Subject teacher"),
    HEAD: _("Head of school"),
}


@dataclass(frozen=True)
class Addressee:
    """A member of staff a guardian may write to about a child, and why."""

    staff: Staff
    role: str  # CLASS_TEACHER, SUBJECT_TEACHER or HEAD
    subjects: tuple[str, ...] = ()

    @property
    def role_name(self) -> str:
        return str(ROLE_NAMES[self.role])


def _covering(day: dt.date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def enrolment_today(student_id: int) -> Enrolment | None:
    """The child's enrolment on their school's today (None: on no school's roll)."""
    enrolments = (
        Enrolment.objects.filter(student_id=student_id)
        .select_related("school", "section", "section__school")
        .order_by("-starts_on", "-pk")
    )
    for enrolment in enrolments:
        today = org.school_today(enrolment.school)
        if enrolment.starts_on <= today and (
            enrolment.ends_on is None or enrolment.ends_on >= today
        ):
            return enrolment
    return None


def addressees(actor: Actor, student: Student) -> list[Addressee]:
    """Whom a guardian may write to about their child: none for anyone else."""
    if student.pk not in actor.children:
        return []
    enrolment = enrolment_today(student.pk)
    if enrolment is None:
        return []
    school, today = enrolment.school, org.school_today(enrolment.school)
    posted = Posting.objects.filter(_covering(today), school=school, staff__user__isnull=False)
    teachers = set(
        posted.filter(role__in=[Role.HEAD, Role.TEACHER]).values_list("staff_id", flat=True)
    )
    heads = [p.staff for p in posted.filter(role=Role.HEAD).select_related("staff").order_by("pk")]
    assignments = (
        TeachingAssignment.objects.filter(
            _covering(today), school=school, section=enrolment.section
        )
        .select_related("staff", "subject")
        .order_by("pk")
    )
    found: dict[int, Addressee] = {}
    for a in sorted(assignments, key=lambda a: a.subject_id is not None):
        if a.staff_id not in teachers:
            continue
        known = found.get(a.staff_id)
        if a.subject_id is None:
            found[a.staff_id] = Addressee(a.staff, CLASS_TEACHER, known.subjects if known else ())
        else:
            role = known.role if known else SUBJECT_TEACHER
            subjects = (*(known.subjects if known else ()), str(a.subject))
            found[a.staff_id] = Addressee(a.staff, role, subjects)
    for staff in heads:
        found.setdefault(staff.pk, Addressee(staff, HEAD))
    own = getattr(actor.user, "staff", None)
    return [a for a in found.values() if own is None or a.staff.pk != own.pk]


def staff_reaches(actor: Actor, student_id: int) -> Enrolment | None:
    """The child's enrolment today if the actor, as the head of the child's school or a
    teacher of the child's section today, may write to the child's guardians."""
    enrolment = enrolment_today(student_id)
    if enrolment is None:
        return None
    today = org.school_today(enrolment.school)
    roles = actor.roles_at(enrolment.school_id, today)
    if Role.HEAD in roles:
        return enrolment
    if Role.TEACHER in roles and actor.teaches(enrolment.section_id, today):
        return enrolment
    return None


def own_staff(actor: Actor) -> Staff | None:
    if not actor.authenticated:
        return None
    return Staff.objects.filter(user_id=actor.user.pk).first()


def may_write(actor: Actor, student: Student, staff: Staff) -> bool:
    """May the actor write in a thread about this child with this member of staff?"""
    if staff.user_id is not None and staff.user_id == actor.user.pk:
        return staff_reaches(actor, student.pk) is not None
    return any(a.staff.pk == staff.pk for a in addressees(actor, student))


def require_addressee(actor: Actor, student: Student, staff_id: int) -> Staff:
    """The member of staff a guardian names, if they may write to them; else the 404."""
    for addressee in addressees(actor, student):
        if addressee.staff.pk == staff_id:
            return addressee.staff
    raise NotFound(f"No member of staff {staff_id} you may write to.", field="staff")


@dataclass(frozen=True)
class Writable:
    """A child a member of staff may write to the family of."""

    student_id: int
    name: str
    section_id: int
    section: str


def students_to_write(actor: Actor) -> list[Writable]:
    """The children whose families the actor (a head or a teacher) may write to today:
    the head's whole school, a teacher's sections; by section, then roll order."""
    sections: dict[int, tuple[Section, dt.date]] = {}
    for school_id in sorted(actor.schools_posted()):
        roles = actor.roles_at(school_id)
        if Role.HEAD in roles:
            wanted = Section.objects.filter(school_id=school_id)
        elif Role.TEACHER in roles:
            taught = {a.section_id for a in actor.assignments if a.school_id == school_id}
            wanted = Section.objects.filter(pk__in=sorted(taught))
        else:
            continue
        for section in wanted.select_related("school", "academic_year").order_by("grade", "name"):
            today = org.school_today(section.school)
            if Role.HEAD in roles or actor.teaches(section.pk, today):
                sections[section.pk] = (section, today)
    found: list[Writable] = []
    for section, today in sections.values():
        roll = sections_rolls([section], today).get(section.pk, [])
        found += [Writable(m.id, m.name, section.pk, section.label) for m in roll]
    return found


def class_sections(actor: Actor) -> list[Section]:
    """The sections the actor may send a notice to today: those they are class teacher
    of, or every section of a school they head."""
    found: list[Section] = []
    for school_id in sorted(actor.schools_posted()):
        roles = actor.roles_at(school_id)
        if Role.HEAD in roles:
            wanted = Section.objects.filter(school_id=school_id)
        elif Role.TEACHER in roles:
            mine = {a.section_id for a in actor.assignments if a.subject_id is None}
            wanted = Section.objects.filter(school_id=school_id, pk__in=sorted(mine))
        else:
            continue
        for section in wanted.select_related("school").order_by("grade", "name"):
            today = org.school_today(section.school)
            if Role.HEAD in roles or any(
                a.section_id == section.pk and a.subject_id is None and a.covers(today)
                for a in actor.assignments
            ):
                found.append(section)
    return found
