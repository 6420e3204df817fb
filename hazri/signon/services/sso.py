"""Who a sign-in through the state's sign-on is: an identity bound before, or a first
sign-in bound by a pending invitation code or by one verified claim matching exactly
one guardian's record. Nobody else gets an account."""

import hashlib
import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hazri.accounts.models import User
from hazri.audit.services import audit_record
from hazri.common.errors import Forbidden
from hazri.people.models import Guardian, Staff
from hazri.signon.models import Invitation, SsoIdentity
from hazri.signon.services.invitations import invitation_for_code, invitation_redeem, target_of

# A claim that may bind, the claim saying it was verified, and the guardian's field.
MATCHABLE = {
    "phone_number": ("phone_number_verified", "phone"),
    "email": ("email_verified", "email"),
}


class NoBinding(Forbidden):
    """Nothing ties this sign-on account to a record of ours."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="code", code="no_binding")


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def guardians_matching(claims: dict[str, Any]) -> list[Guardian]:
    """The guardians whose record matches a verified claim named in
    HAZRI_OIDC_MATCH_CLAIMS (an unverified claim matches nothing)."""
    found: dict[int, Guardian] = {}
    for claim in settings.HAZRI_OIDC_MATCH_CLAIMS:
        if claim not in MATCHABLE:
            continue
        verified, column = MATCHABLE[claim]
        value = claims.get(claim)
        if not isinstance(value, str) or claims.get(verified) is not True:
            continue
        if column == "phone":
            digits = _digits(value)
            if len(digits) < 8:
                continue
            # Stored phones are free text: narrow by the last digits, then compare all.
            rows = Guardian.objects.filter(phone__endswith=digits[-4:])
            found.update({g.pk: g for g in rows if _digits(g.phone) == digits})
        else:
            rows = Guardian.objects.filter(Q(email__iexact=value.strip()))
            found.update({g.pk: g for g in rows if value.strip()})
    return list(found.values())


def _new_user(issuer: str, subject: str, claims: dict[str, Any]) -> User:
    username = "sso-" + hashlib.sha256(f"{issuer} {subject}".encode()).hexdigest()[:12]
    name = str(claims.get("name") or "")
    first, _, last = name.partition(" ")
    user = User(
        username=username,
        first_name=str(claims.get("given_name") or first)[:150],
        last_name=str(claims.get("family_name") or last)[:150],
    )
    user.set_unusable_password()
    user.save()
    return user


def _staff_refused(user: Any) -> bool:
    """Staff sign in with the state's sign-on only where HAZRI_OIDC_STAFF allows it."""
    if settings.HAZRI_OIDC_STAFF:
        return False
    return (
        Staff.objects.filter(user=user).exists() and not Guardian.objects.filter(user=user).exists()
    )


@transaction.atomic
def sso_identity_resolve(
    *, issuer: str, subject: str, claims: dict[str, Any], pending_code: str = ""
) -> User:
    """The user this sign-on account signs in as; a first sign-in is bound here (the
    identity, and a new account where the record had none). NoBinding otherwise."""
    identity = (
        SsoIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is not None:
        user: User = identity.user
        if not user.is_active or _staff_refused(user):
            raise NoBinding("This account may not sign in here with the state's sign-on.")
        identity.last_login_at = timezone.now()
        identity.save(update_fields=["last_login_at"])
        return user
    how = ""
    if pending_code:
        invitation = invitation_for_code(pending_code)
        if invitation.kind == Invitation.Kind.STUDENT or (
            invitation.kind == Invitation.Kind.STAFF and not settings.HAZRI_OIDC_STAFF
        ):
            raise NoBinding("This invitation is for a username and password, not the sign-on.")
        target = target_of(invitation)
        user = target.user or _new_user(issuer, subject, claims)
        invitation_redeem(code=pending_code, user=user)
        how = "invitation"
    else:
        matches = guardians_matching(claims)
        if len(matches) != 1:
            raise NoBinding("Use the invitation your school gave you to sign in the first time.")
        guardian = matches[0]
        if guardian.user is None:
            guardian.user = _new_user(issuer, subject, claims)
            guardian.save(update_fields=["user"])
        user = guardian.user
        how = "claim"
    if _staff_refused(user):
        raise NoBinding("This account may not sign in here with the state's sign-on.")
    identity = SsoIdentity.objects.create(
        issuer=issuer, subject=subject, user=user, last_login_at=timezone.now()
    )
    audit_record(user=user, action="sso.bind", obj=identity, school_id=None, detail={"by": how})
    return user
