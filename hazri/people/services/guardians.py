"""Linking guardians to the children they answer for.

Guardianships are not sent to devices nor counted by rollups: a parent's access is
judged per request from them (hazri.accounts), so nothing else needs bumping.
"""

from typing import Any

from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Invalid
from hazri.people.models import Guardian, Guardianship, Student
from hazri.people.services._boundary import Actor, service


@service
def guardian_link(
    *, guardian: Guardian, student: Student, relation: str, by: Actor
) -> Guardianship:
    """Record that `guardian` is the student's mother, father or other guardian."""
    if relation not in Guardianship.Relation.values:
        raise Invalid(f"'{relation}' is not a relation.", field="relation", code="bad_relation")
    if Guardianship.objects.filter(guardian=guardian, student=student).exists():
        raise Conflict(
            f"{guardian.name} is already a guardian of {student.name}.",
            field="student",
            code="already_linked",
        )
    link = Guardianship.objects.create(guardian=guardian, student=student, relation=relation)
    audit_record(
        user=by,
        action="guardianship.link",
        obj=link,
        school_id=None,
        detail={"guardian": guardian.pk, "student": student.pk, "relation": relation},
    )
    return link


@service
def guardian_unlink(*, guardianship: Guardianship, by: Actor) -> None:
    """Remove a guardianship; the audit event keeps who it linked and who removed it."""
    detail = {
        "guardian": guardianship.guardian_id,
        "student": guardianship.student_id,
        "relation": guardianship.relation,
    }
    audit_record(
        user=by, action="guardianship.unlink", obj=guardianship, school_id=None, detail=detail
    )
    deleted, _ = Guardianship.objects.filter(pk=guardianship.pk).delete()
    if not deleted:
        raise Conflict("That guardianship is already gone.", field="guardianship", code="gone")


@service
def guardian_add(
    *, name: str, phone: str, by: Actor, name_local: str = "", email: str = "", user: Any = None
) -> Guardian:
    """A new guardian (a family admitted online: hazri.admissions), maybe with their login."""
    if not name.strip():
        raise Invalid("A guardian needs a name.", field="guardian_name", code="required")
    guardian = Guardian.objects.create(
        name=name.strip(),
        name_local=name_local.strip(),
        phone=phone.strip(),
        email=email.strip(),
        user=user if user is not None and user.is_authenticated else None,
    )
    audit_record(
        user=by, action="guardian.add", obj=guardian, school_id=None, detail={"phone": phone}
    )
    return guardian
