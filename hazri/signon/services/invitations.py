"""Issuing, revoking and redeeming personal invitations (SPEC §5.6).

The caller has already been allowed to admit at the school (Action.ADMIT, checked by
hazri.signon.selectors); these functions check the records themselves: the target
belongs to the school, a code is live. Re-issuing revokes the target's older live
invitation: only the newest slip works.
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hazri.accounts.models import User
from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Invalid, NotFound
from hazri.org.models import School, Section
from hazri.org.selectors import school_today
from hazri.people.models import (
    Admission,
    Enrolment,
    Guardian,
    Guardianship,
    Posting,
    Staff,
    Student,
)
from hazri.people.selectors import active_on, section_roll
from hazri.signon.codes import code_digest, code_new, code_normal
from hazri.signon.models import Invitation
from hazri.signon.selectors import guardians_to_invite

Kind = Invitation.Kind
Target = Guardian | Staff | Student


@dataclass(frozen=True)
class Issued:
    """A new invitation and its code: the only moment the code is known."""

    invitation: Invitation
    code: str


def live(now: dt.datetime | None = None) -> Q:
    """Invitations that may still be redeemed."""
    return Q(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now())


def target_of(invitation: Invitation) -> Target:
    if invitation.kind == Kind.GUARDIAN:
        assert invitation.guardian is not None
        return invitation.guardian
    if invitation.kind == Kind.STAFF:
        assert invitation.staff is not None
        return invitation.staff
    assert invitation.student is not None
    return invitation.student


def _target_field(kind: str) -> str:
    return {Kind.GUARDIAN: "guardian", Kind.STAFF: "staff", Kind.STUDENT: "student"}[Kind(kind)]


def _check_target(school: School, kind: str, target: Target) -> None:
    """The record is the school's: a student on its books, a guardian of one, staff
    posted to it (today, in the school's zone)."""
    today = school_today(school)
    on_books = Admission.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=today), school=school
    )
    if kind == Kind.STUDENT:
        ok = on_books.filter(student_id=target.pk).exists()
    elif kind == Kind.GUARDIAN:
        children = Guardianship.objects.filter(guardian_id=target.pk).values("student_id")
        ok = on_books.filter(student_id__in=children).exists()
    else:
        ok = Posting.objects.filter(active_on(today), school=school, staff_id=target.pk).exists()
    if not ok:
        # Another school's record and no record are the same answer: ids are not probed.
        raise NotFound(f"No {kind} {target.pk} at {school.name}.", field="target")


def _current_section(school: School, student: Student | None) -> Section | None:
    if student is None:
        return None
    found = (
        Enrolment.objects.filter(active_on(school_today(school)), school=school, student=student)
        .select_related("section")
        .first()
    )
    return found.section if found else None


def _create(
    *,
    by: Any,
    school: School,
    kind: str,
    target: Target,
    section: Section | None,
    child: Student | None,
    now: dt.datetime,
) -> Issued:
    field = _target_field(kind)
    # Only the newest slip works: an older live one for the same record is revoked.
    Invitation.objects.filter(live(now), school=school, kind=kind, **{field: target}).update(
        revoked_at=now
    )
    code = code_new()
    invitation = Invitation.objects.create(
        school=school,
        section=section,
        kind=kind,
        code_digest=code_digest(code),
        created_at=now,
        created_by=by if by is not None and by.is_authenticated else None,
        expires_at=now + dt.timedelta(days=settings.HAZRI_INVITATION_DAYS),
        **{field: target},
        **({"student": child} if kind == Kind.GUARDIAN and child is not None else {}),
    )
    return Issued(invitation=invitation, code=code)


@transaction.atomic
def invitation_issue(*, by: Any, school: School, kind: str, target: Target) -> Issued:
    """One invitation for one guardian, member of staff or student of the school."""
    if kind not in Kind.values:
        raise Invalid("The kind must be guardian, staff or student.", field="kind")
    _check_target(school, kind, target)
    child: Student | None = None
    if kind == Kind.STUDENT:
        child = target  # type: ignore[assignment]
    elif kind == Kind.GUARDIAN:
        child = (
            Student.objects.filter(
                guardians__pk=target.pk, admissions__school=school, admissions__left_on__isnull=True
            )
            .order_by("pk")
            .first()
        )
    now = timezone.now()
    issued = _create(
        by=by,
        school=school,
        kind=kind,
        target=target,
        section=_current_section(school, child),
        child=child,
        now=now,
    )
    audit_record(user=by, action="invitation.issue", obj=issued.invitation, school_id=school.pk)
    return issued


@transaction.atomic
def invitations_issue_for_section(
    *, by: Any, section: Section, kind: str, only: Collection[int] | None = None
) -> list[Issued]:
    """Invitations for a section's roll today: every child's guardians (one each, however
    many children they have there), or every child as a student. Records that already
    have an account are left out; re-issuing revokes the older live slips. `only`, for
    guardians: just these guardians' (those the notices can reach)."""
    if kind not in (Kind.GUARDIAN, Kind.STUDENT):
        raise Invalid("A section's invitations are for guardians or students.", field="kind")
    school = section.school
    roll = [member.id for member in section_roll(section, school_today(school))]
    now = timezone.now()
    issued: list[Issued] = []
    if kind == Kind.STUDENT:
        students = Student.objects.in_bulk(roll)
        for student_id in roll:
            student = students[student_id]
            if student.user_id is None:
                issued.append(
                    _create(
                        by=by,
                        school=school,
                        kind=kind,
                        target=student,
                        section=section,
                        child=student,
                        now=now,
                    )
                )
    else:
        for link in guardians_to_invite(section, roll=roll):
            if only is None or link.guardian_id in only:
                issued.append(
                    _create(
                        by=by,
                        school=school,
                        kind=kind,
                        target=link.guardian,
                        section=section,
                        child=link.student,
                        now=now,
                    )
                )
    audit_record(
        user=by,
        action="invitation.issue_section",
        obj=section,
        school_id=school.pk,
        detail={"kind": kind, "count": len(issued)},
    )
    return issued


@transaction.atomic
def invitations_issue_for_staff(*, by: Any, school: School) -> list[Issued]:
    """Invitations for the school's staff posted today who have no account yet."""
    today = school_today(school)
    members = (
        Staff.objects.filter(
            postings__in=Posting.objects.filter(active_on(today), school=school),
            user__isnull=True,
        )
        .distinct()
        .order_by("name", "pk")
    )
    now = timezone.now()
    issued = [
        _create(by=by, school=school, kind=Kind.STAFF, target=m, section=None, child=None, now=now)
        for m in members
    ]
    audit_record(
        user=by,
        action="invitation.issue_staff",
        obj=school,
        school_id=school.pk,
        detail={"count": len(issued)},
    )
    return issued


@transaction.atomic
def invitation_revoke(*, by: Any, invitation: Invitation) -> Invitation:
    if invitation.used_at is not None:
        raise Conflict("This invitation was used already.", field="invitation", code="used")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            user=by, action="invitation.revoke", obj=invitation, school_id=invitation.school_id
        )
    return invitation


def invitation_for_code(code: str, *, lock: bool = False) -> Invitation:
    """The live invitation with this code, or Invalid (field "code") saying why not."""
    if code_normal(code) is None:
        raise Invalid("That is not an invitation code.", field="code", code="unknown_code")
    rows = Invitation.objects.select_related("school", "section", "guardian", "staff", "student")
    if lock:
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(code_digest=code_digest(code)).first()
    if invitation is None:
        raise Invalid("No invitation has this code.", field="code", code="unknown_code")
    if invitation.revoked_at is not None:
        raise Invalid("This invitation was withdrawn.", field="code", code="revoked_code")
    if invitation.used_at is not None:
        raise Invalid("This invitation was used already.", field="code", code="used_code")
    if invitation.expires_at <= timezone.now():
        raise Invalid("This invitation has expired.", field="code", code="expired_code")
    return invitation


@transaction.atomic
def invitation_redeem(*, code: str, user: Any) -> Invitation:
    """Binds the user to the invitation's record (Guardian.user, Staff.user or
    Student.user); the code is good once."""
    invitation = invitation_for_code(code, lock=True)
    target = target_of(invitation)
    if target.user_id not in (None, user.pk):
        raise Conflict(
            "This record already has an account: ask the school.", field="code", code="bound"
        )
    kind_of_user = {
        Kind.GUARDIAN: Guardian.objects.filter(user=user),
        Kind.STAFF: Staff.objects.filter(user=user),
        Kind.STUDENT: Student.objects.filter(user=user),
    }[Kind(invitation.kind)]
    if kind_of_user.exclude(pk=target.pk).exists():
        raise Conflict(
            "Your account already belongs to another such record.", field="code", code="bound"
        )
    if target.user_id is None:
        target.user = user
        target.save(update_fields=["user"])
    invitation.used_at = timezone.now()
    invitation.used_by = user
    invitation.save(update_fields=["used_at", "used_by"])
    audit_record(
        user=user, action="invitation.redeem", obj=invitation, school_id=invitation.school_id
    )
    return invitation


def passwords_for_guardians() -> bool:
    """Whether parents may have passwords: not while the state's sign-on is on (the
    accounts app's HAZRI_PASSWORDS_FOR_GUARDIANS, when it defines one)."""
    default = not settings.HAZRI_OIDC_ISSUER
    return bool(getattr(settings, "HAZRI_PASSWORDS_FOR_GUARDIANS", default))


def _check_new_login(username: str, password: str, *, name: str) -> None:
    try:
        User.username_validator(username)
        ok = 0 < len(username) <= 150
    except ValidationError:
        ok = False
    if not ok:
        raise Invalid(
            "A username is letters, digits and @ . + - _ only.", field="username", code="username"
        )
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict("This username is taken: choose another.", field="username", code="taken")
    try:
        password_validation.validate_password(password, User(username=username, first_name=name))
    except ValidationError as error:
        raise Invalid(" ".join(error.messages), field="password", code="weak_password") from None


def invitation_redeem_with_password(*, code: str, username: str, password: str) -> Invitation:
    """A new account with a username and password of its owner's choosing, bound by the
    invitation: staff and students (and guardians while sign-on is off)."""
    invitation = invitation_for_code(code)
    if invitation.kind == Kind.GUARDIAN and not passwords_for_guardians():
        raise Invalid(
            "Parents sign in with the state's sign-on: use its button.", field="code", code="sso"
        )
    name = target_of(invitation).name
    username = username.strip()
    _check_new_login(username, password, name=name)
    first, _, last = name.partition(" ")
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username, password=password, first_name=first[:150], last_name=last[:150]
            )
            return invitation_redeem(code=code, user=user)
    except IntegrityError:
        raise Conflict(
            "This username is taken: choose another.", field="username", code="taken"
        ) from None
