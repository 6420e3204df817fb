"""The records app's objects as the permission model lets a user reach them ("not
yours" and "does not exist" are one 404)."""

from typing import Any

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of, require, require_role
from hazri.org.models import School, Section
from hazri.people.models import Student
from hazri.people.selectors import current_enrolment
from hazri.records.models import TransferCertificate


def tc_visible(user: Any, tc_id: int) -> TransferCertificate:
    """A TC of the user's schools or area, or of their own child (or themselves)."""
    return require(
        TransferCertificate.objects.select_related("school", "student"),
        actor_of(user),
        Action.VIEW,
        tc_id,
        field="certificate",
        noun="transfer certificate",
    )


def section_to_promote(user: Any, section_id: int) -> Section:
    """A section the user sees, of a school where they may admit and promote (else 403)."""
    section = access.section_visible(user, section_id)
    require_role(actor_of(user), Action.ADMIT, section.school, section=section, field="section")
    return section


def school_to_admit(user: Any, school_id: int) -> School:
    """A school the user sees and may admit to (else 403)."""
    school = access.school_visible(user, school_id)
    require_role(actor_of(user), Action.ADMIT, school, field="school")
    return school


def school_leaving(student: Student) -> School | None:
    """The school whose roll the child is on now: the one that issues their TC."""
    enrolment = current_enrolment(student)
    return enrolment.school if enrolment is not None else None


def section_named(user: Any, section_id: int | None, *, field: str) -> Section | None:
    """A section a request names in `field`, seen by the user (None where none is)."""
    if section_id is None:
        return None
    return require(
        Section.objects.select_related("school", "academic_year"),
        actor_of(user),
        Action.VIEW,
        section_id,
        field=field,
        noun="section",
    )


def sections_open(school: School, day: Any) -> list[Section]:
    """The school's sections of the session that holds the day (to admit into)."""
    return list(
        Section.objects.filter(
            school=school, academic_year__starts_on__lte=day, academic_year__ends_on__gte=day
        ).select_related("academic_year")
    )
