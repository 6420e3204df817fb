"""Issuing and revoking signed documents, and registering the state's signing keys.

Issuing needs the ISSUE action on the school (its head, its administrator, a
superuser) and a configured private key whose public half is registered and current.
Each document is signed twice with that key: the full Verifiable Credential
(eddsa-jcs-2022) and the compact QR form (COSE_Sign1). Nothing is deleted: revoking
records who, when and why, and flips the document's bit in its status list.
"""

import datetime as dt
import re
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazri.accounts.access import Action, actor_of, require_role
from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Invalid
from hazri.common.text import clean_text
from hazri.credentials import compact as qrform
from hazri.credentials import documents, proofs
from hazri.credentials import keys as keytext
from hazri.credentials.models import Credential, SigningKey
from hazri.org.models import School
from hazri.people.models import Student

MAX_REASON = 500
MAX_NAME = 200
_SHORT_KEY = re.compile(r"[a-z][a-z0-9]{0,7}")


class SigningKeyMissing(Conflict):
    """No usable private key: none configured, unreadable, or not the registered one."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="key", code="no_signing_key")


def configured_private_key() -> Ed25519PrivateKey:
    """The private key from HAZRI_SIGNING_KEY (the text itself) or HAZRI_SIGNING_KEY_FILE."""
    text = settings.HAZRI_SIGNING_KEY
    if not text and settings.HAZRI_SIGNING_KEY_FILE:
        try:
            text = Path(settings.HAZRI_SIGNING_KEY_FILE).read_text()
        except OSError as error:
            raise SigningKeyMissing(
                _("The signing key file cannot be read: %(error)s") % {"error": error.strerror}
            ) from None
    if not text:
        raise SigningKeyMissing(
            _("No signing key is configured (HAZRI_SIGNING_KEY_FILE or HAZRI_SIGNING_KEY).")
        )
    try:
        return keytext.private_from_text(text)
    except keytext.KeyError_ as error:
        raise SigningKeyMissing(str(error)) from None


def _signer(now: dt.datetime) -> tuple[SigningKey, Ed25519PrivateKey]:
    private = configured_private_key()
    kid = keytext.kid_of(private.public_key())
    row = SigningKey.objects.filter(kid=kid, retired_at__isnull=True).first()
    if row is None or row.valid_from > now or (row.valid_until and row.valid_until <= now):
        raise SigningKeyMissing(
            _("The configured signing key %(kid)s is not the registered current key.")
            % {"kid": kid}
        )
    return row, private


def _facts(compact_facts: dict[str, Any]) -> dict[str, Any]:
    """The QR's facts: short keys, plain values, small enough for a readable QR."""
    if not isinstance(compact_facts, dict):
        raise Invalid(_("The QR's facts must be a map."), field="compact", code="invalid")
    for key, value in compact_facts.items():
        if not isinstance(key, str) or not _SHORT_KEY.fullmatch(key) or key == "k":
            raise Invalid(
                _("A QR fact's name is 1 to 8 lower-case letters or digits (not k)."),
                field=f"compact.{key}",
                code="invalid",
            )
        if isinstance(value, str) and "\x00" in value:
            raise Invalid(_("This holds a control character."), field=f"compact.{key}")
    if documents.compact_size(compact_facts) > documents.MAX_COMPACT_BYTES:
        raise Invalid(
            _("The QR's facts take more than %(n)s bytes.") % {"n": documents.MAX_COMPACT_BYTES},
            field="compact",
            code="too_long",
        )
    return compact_facts


@transaction.atomic
def credential_issue(
    *,
    kind: str,
    school: School,
    student: Student | None,
    subject: dict[str, Any],
    compact: dict[str, Any],
    by: Any,
    name: str = "",
) -> Credential:
    """Sign and store one document: its Verifiable Credential and its QR form."""
    require_role(actor_of(by), Action.ISSUE, school, field="school")
    if kind not in documents.KINDS:
        raise Invalid(_("No such kind of document."), field="kind", code="invalid")
    if not isinstance(subject, dict):
        raise Invalid(_("The document's facts must be a map."), field="subject", code="invalid")
    facts = _facts(compact)
    title = clean_text(name, field="name", limit=MAX_NAME, required=False) or str(
        Credential.Kind(kind).label
    )
    now = timezone.now()
    key_row, private = _signer(now)
    credential = Credential.objects.create(
        school=school,
        student=student,
        kind=kind,
        name=title,
        key=key_row,
        document={},
        qr="",
        issued_at=now,
        issued_by=by if getattr(by, "is_authenticated", False) else None,
    )
    issuer = settings.HAZRI_CREDENTIAL_ISSUER
    unsigned = documents.unsigned_vc(
        kind=kind,
        index=credential.status_index,
        issuer=issuer,
        issuer_name=settings.HAZRI_CREDENTIAL_ISSUER_NAME,
        name=title,
        issued_at=now,
        subject=subject,
        base_url=settings.HAZRI_PUBLIC_URL,
    )
    try:
        credential.document = proofs.sign(
            unsigned,
            private,
            verification_method=f"{issuer}#{key_row.kid}",
            created=documents.moment(now),
        )
    except proofs.ProofError as error:
        raise Invalid(str(error), field="subject", code="invalid") from None
    claims = documents.qr_claims(
        kind=kind, index=credential.status_index, issued_at=now, facts=facts
    )
    credential.qr = qrform.seal(claims, private, key_row.kid)
    credential.save(update_fields=["document", "qr"])
    audit_record(
        user=by,
        action="credentials.issue",
        obj=credential,
        school_id=school.pk,
        detail={"kind": kind, "student": student.pk if student else None, "kid": key_row.kid},
    )
    return credential


@transaction.atomic
def credential_revoke(*, credential: Credential, reason: str, by: Any) -> Credential:
    """Withdraw a document: its status bit is set; the document and who, when and why
    are kept."""
    credential = (
        Credential.objects.select_for_update().select_related("school").get(pk=credential.pk)
    )
    require_role(actor_of(by), Action.ISSUE, credential.school, field="credential")
    why = clean_text(reason, field="reason", limit=MAX_REASON, required=True)
    if credential.revoked_at is not None:
        raise Conflict(_("This document was already revoked."), field="credential", code="revoked")
    credential.revoked_at = timezone.now()
    credential.revoked_by = by
    credential.revoked_reason = why
    credential.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    audit_record(
        user=by,
        action="credentials.revoke",
        obj=credential,
        school_id=credential.school_id,
        detail={"reason": why},
    )
    return credential


@transaction.atomic
def signing_key_register(*, public_key: Any, valid_from: dt.datetime | None = None) -> SigningKey:
    """Make a public key the current one (rotation): the key before it stops signing now
    and stays listed, verifying what it signed."""
    now = timezone.now()
    start = valid_from or now
    kid = keytext.kid_of(public_key)
    if SigningKey.objects.filter(kid=kid).exists():
        raise Conflict(_("This key is already registered."), field="key", code="exists")
    SigningKey.objects.filter(retired_at__isnull=True, valid_until__isnull=True).update(
        valid_until=start
    )
    return SigningKey.objects.create(
        kid=kid, public_key=keytext.public_to_b64(public_key), valid_from=start
    )


@transaction.atomic
def signing_key_retire(*, kid: str, reason: str) -> SigningKey:
    """Withdraw a key (thought compromised): nothing it signed is vouched for any more."""
    key = SigningKey.objects.select_for_update().filter(kid=kid).first()
    if key is None:
        raise Invalid(_("No such key."), field="kid", code="not_found")
    if key.retired_at is not None:
        raise Conflict(_("This key was already withdrawn."), field="kid", code="retired")
    key.retired_at = timezone.now()
    key.retired_reason = clean_text(reason, field="reason", limit=MAX_REASON, required=True)
    if key.valid_until is None or key.valid_until > key.retired_at:
        key.valid_until = key.retired_at
    key.save(update_fields=["retired_at", "retired_reason", "valid_until"])
    return key
