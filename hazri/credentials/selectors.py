"""Reading signed documents: a document's QR (text and SVG), a student's and a school's
documents, the published keys and the status lists."""

import base64
import gzip
from typing import Any

import segno
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from hazri.accounts.access import Action, actor_of, require, restrict
from hazri.credentials import documents, proofs
from hazri.credentials import keys as keytext
from hazri.credentials.models import Credential, SigningKey
from hazri.credentials.services import _signer

# Medium (15% of the code may be lost, as the EU's health certificates print them):
# a report card's ~200 bytes fit version 10-11; quartile would take 12-13.
QR_ERROR = "m"


def qr_text(credential: Credential) -> str:
    """The compact signed form the QR carries: "HZ1:" + base45."""
    return credential.qr


def qr_code(credential: Credential) -> segno.QRCode:
    return segno.make_qr(credential.qr, error=QR_ERROR, boost_error=False)


def qr_svg(credential: Credential, *, scale: int = 4) -> str:
    """The QR code as an inline SVG element, for pages and PDFs."""
    return str(qr_code(credential).svg_inline(scale=scale, title=credential.name))


def credentials_of_student(student_id: int) -> QuerySet[Credential]:
    """A student's documents, newest first (the lifelong record's timeline shows them);
    the caller has already checked who may see the student."""
    return (
        Credential.objects.filter(student_id=student_id)
        .select_related("school", "key")
        .order_by("-issued_at", "-pk")
    )


def credentials_of_school(school_id: int) -> QuerySet[Credential]:
    return (
        Credential.objects.filter(school_id=school_id)
        .select_related("student", "key")
        .order_by("-issued_at", "-pk")
    )


def credential_visible(user: Any, credential_id: int) -> Credential:
    """One document the user may see (its school's staff and officers, the family)."""
    return require(
        Credential.objects.select_related("school", "student", "key"),
        actor_of(user),
        Action.VIEW,
        credential_id,
        field="credential",
        noun="document",
    )


def credentials_visible(user: Any) -> QuerySet[Credential]:
    return restrict(Credential.objects.all(), actor_of(user), Action.VIEW)


def signing_keys() -> list[SigningKey]:
    return list(SigningKey.objects.order_by("valid_from", "pk"))


def key_out(key: SigningKey) -> dict[str, Any]:
    public = keytext.public_from_b64(key.public_key)
    return {
        "kid": key.kid,
        "type": "Multikey",
        "id": f"{settings.HAZRI_CREDENTIAL_ISSUER}#{key.kid}",
        "controller": settings.HAZRI_CREDENTIAL_ISSUER,
        "publicKeyMultibase": proofs.public_multikey(public),
        "publicKey": key.public_key,
        "validFrom": documents.moment(key.valid_from),
        "validUntil": documents.moment(key.valid_until) if key.valid_until else None,
        "withdrawn": documents.moment(key.retired_at) if key.retired_at else None,
    }


def published_keys() -> dict[str, Any]:
    """The state's public keys with their validity: what an offline check needs."""
    return {
        "issuer": settings.HAZRI_CREDENTIAL_ISSUER,
        "name": settings.HAZRI_CREDENTIAL_ISSUER_NAME,
        "keys": [key_out(key) for key in signing_keys()],
    }


def revoked_indexes(list_number: int) -> list[int]:
    start = list_number * documents.LIST_SIZE
    return list(
        Credential.objects.filter(
            pk__gte=start, pk__lt=start + documents.LIST_SIZE, revoked_at__isnull=False
        ).values_list("pk", flat=True)
    )


def encoded_list(positions: list[int]) -> str:
    """The bits (first document = the first byte's highest bit), GZIP-compressed,
    multibase base64url without padding, as the Bitstring Status List writes them."""
    bits = bytearray(documents.LIST_SIZE // 8)
    for position in positions:
        bits[position // 8] |= 0x80 >> (position % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def status_list(list_number: int) -> dict[str, Any]:
    """The signed BitstringStatusListCredential of one list (signed as it is read: a
    revocation shows at once; signing writes nothing)."""
    url = documents.status_list_url(settings.HAZRI_PUBLIC_URL, list_number * documents.LIST_SIZE)
    now = timezone.now()
    positions = [i % documents.LIST_SIZE for i in revoked_indexes(list_number)]
    unsigned = {
        "@context": [documents.VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": settings.HAZRI_CREDENTIAL_ISSUER,
        "validFrom": documents.moment(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(positions),
        },
    }
    key, private = _signer(now)
    return proofs.sign(
        unsigned,
        private,
        verification_method=f"{settings.HAZRI_CREDENTIAL_ISSUER}#{key.kid}",
        created=documents.moment(now),
    )
