"""Reads of invitations, and who may issue them: the school's head and administrator
(Action.ADMIT) and the superuser. "Not yours" and "does not exist" are one 404."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of, require, require_role
from hazri.common.errors import NotFound
from hazri.org.models import School, Section
from hazri.org.selectors import school_today
from hazri.people.models import Guardian, Guardianship, Staff, Student
from hazri.people.selectors import section_roll
from hazri.signon.models import Invitation

LIST_LIMIT = 500


def school_for_invitations(user: Any, school_id: int) -> School:
    school = access.school_visible(user, school_id)
    require_role(actor_of(user), Action.ADMIT, school, field="school")
    return school


def section_for_invitations(user: Any, section_id: int) -> Section:
    section = access.section_visible(user, section_id)
    require_role(actor_of(user), Action.ADMIT, section.school, field="section")
    return section


def invitation_for_admin(user: Any, invitation_id: int) -> Invitation:
    invitation = require(
        Invitation.objects.select_related("school"),
        actor_of(user),
        Action.VIEW,
        invitation_id,
        field="invitation",
        noun="invitation",
    )
    require_role(actor_of(user), Action.ADMIT, invitation.school, field="invitation")
    return invitation


def target_by_id(kind: str, target_id: int) -> Guardian | Staff | Student:
    found: Guardian | Staff | Student | None = None
    if kind == "guardian":
        found = Guardian.objects.filter(pk=target_id).first()
    elif kind == "staff":
        found = Staff.objects.filter(pk=target_id).first()
    elif kind == "student":
        found = Student.objects.filter(pk=target_id).first()
    if found is None:
        raise NotFound(f"No {kind} {target_id} at this school.", field="target")
    return found


def invitation_state(invitation: Invitation, now: dt.datetime | None = None) -> str:
    if invitation.used_at is not None:
        return "used"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= (now or timezone.now()):
        return "expired"
    return "live"


@dataclass(frozen=True)
class InvitationRow:
    id: int
    kind: str
    name: str
    section: str
    state: str
    created_at: dt.datetime
    expires_at: dt.datetime
    used_at: dt.datetime | None
    # For the page's "send a new code" to one guardian of a class.
    guardian_id: int | None = None
    section_id: int | None = None


def invitations_of_school(
    school: School, *, section_id: int | None = None, limit: int = LIST_LIMIT
) -> list[InvitationRow]:
    """The school's invitations, newest first (codes are never shown again)."""
    rows = Invitation.objects.filter(school=school).select_related(
        "section", "guardian", "staff", "student"
    )
    if section_id is not None:
        rows = rows.filter(section_id=section_id)
    now = timezone.now()
    return [invitation_row(i, now) for i in rows.order_by("-created_at", "-pk")[:limit]]


def invitation_row(invitation: Invitation, now: dt.datetime | None = None) -> InvitationRow:
    target = invitation.guardian or invitation.staff or invitation.student
    return InvitationRow(
        id=invitation.pk,
        kind=invitation.kind,
        name=target.name if target else "",
        section=invitation.section.label if invitation.section else "",
        state=invitation_state(invitation, now),
        created_at=invitation.created_at,
        expires_at=invitation.expires_at,
        used_at=invitation.used_at,
        guardian_id=invitation.guardian_id,
        section_id=invitation.section_id,
    )


def children_in_section(guardian_ids: list[int], section_id: int | None) -> dict[int, list[str]]:
    """For the slips: each guardian's children on the section's roll (by name)."""
    found: dict[int, list[str]] = defaultdict(list)
    links = Guardianship.objects.filter(guardian_id__in=guardian_ids).select_related("student")
    if section_id is not None:
        links = links.filter(student__enrolments__section_id=section_id).distinct()
    for link in links.order_by("student__name"):
        found[link.guardian_id].append(link.student.name)
    return found


def guardians_to_invite(section: Section, *, roll: list[int] | None = None) -> list[Guardianship]:
    """The guardians without an account of the children on the section's roll today,
    each once, through their first child on the roll (in roll order)."""
    if roll is None:
        roll = [member.id for member in section_roll(section, school_today(section.school))]
    order = {student_id: n for n, student_id in enumerate(roll)}
    links = (
        Guardianship.objects.filter(student_id__in=roll, guardian__user__isnull=True)
        .select_related("guardian", "student")
        .order_by("guardian_id")
    )
    first_child: dict[int, Guardianship] = {}
    for link in links:
        held = first_child.get(link.guardian_id)
        if held is None or order[link.student_id] < order[held.student_id]:
            first_child[link.guardian_id] = link
    return sorted(first_child.values(), key=lambda g: order[g.student_id])
