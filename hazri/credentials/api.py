"""Signed documents in the JSON API: verifying one (anyone, no login), the state's
published keys and status lists (anyone), a student's and a school's documents, one
document with its QR text and signed JSON, and revoking one (ISSUE)."""

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from hazri.accounts import selectors as access
from hazri.common import files
from hazri.common.api import ErrorOut, PathId, request_user
from hazri.common.errors import Invalid
from hazri.credentials import selectors, services, verify
from hazri.credentials.schemas import (
    CredentialDetailOut,
    CredentialListOut,
    CredentialRevokeIn,
    SigningKeysOut,
    VerifyIn,
    VerifyOut,
    credential_detail_out,
    credential_out,
    verify_out,
)

router = Router(tags=["credentials"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)
PUBLIC_ERRORS: dict[int, Any] = dict.fromkeys((400, 409, 422, 429), ErrorOut)
PageNo = Annotated[int, Query(ge=1, le=100_000)]
PAGE = 100


@router.post(
    "/verify",
    auth=None,
    response={200: VerifyOut, **PUBLIC_ERRORS},
    summary="Verify a signed document (no login)",
    description=(
        "Send exactly one of: the QR's text (qr), the Verifiable Credential's JSON "
        "(document), or a JPEG/PNG photo of the QR (image, base64). The answer is genuine, "
        "altered (the signature fails: something was changed), revoked (withdrawn by the "
        "issuer) or unknown_key (not signed by a key the state published for that time), "
        "and, when genuine or revoked, what the document itself shows. 422: not a "
        "document at all. 429: too many checks from this address (Retry-After)."
    ),
)
def verify_document(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    given = [name for name in ("qr", "document", "image") if getattr(payload, name) is not None]
    if len(given) != 1:
        raise Invalid(_("Send exactly one of qr, document or image."), field="qr", code="one_of")
    verify.throttle(request)
    if payload.qr is not None:
        verdict = verify.verify_qr(payload.qr)
    elif payload.document is not None:
        verdict = verify.verify_document(payload.document)
    else:
        assert payload.image is not None
        upload = files.from_base64(payload.image.name, payload.image.data, "image")
        verdict = verify.verify_image(upload)
    return verify_out(verdict)


@router.get(
    "/credentials/keys",
    auth=None,
    response=SigningKeysOut,
    summary="The state's published signing keys (no login)",
    description="Every key with its validity: what an offline check needs (docs/credentials.md).",
)
def signing_keys(request: HttpRequest) -> dict[str, Any]:
    return selectors.published_keys()


@router.get(
    "/credentials/status/{list_number}",
    auth=None,
    response={200: dict[str, Any], 409: ErrorOut},
    summary="A revocation status list (no login)",
    description=(
        "The signed BitstringStatusListCredential a document's credentialStatus names: "
        "bit n set means document n of this list was revoked."
    ),
)
def status_list(
    request: HttpRequest, list_number: Annotated[int, Path(ge=0, le=100_000)]
) -> dict[str, Any]:
    return selectors.status_list(list_number)


@router.get(
    "/students/{student_id}/credentials",
    response={200: CredentialListOut, **ERRORS},
    summary="A student's signed documents",
)
def student_credentials(request: HttpRequest, student_id: PathId) -> dict[str, Any]:
    student = access.student_visible(request_user(request), student_id)
    items = list(selectors.credentials_of_student(student.pk)[:PAGE])
    return {"count": len(items), "items": [credential_out(c) for c in items]}


@router.get(
    "/schools/{school_id}/credentials",
    response={200: CredentialListOut, **ERRORS},
    summary="The documents a school has issued, newest first",
)
def school_credentials(request: HttpRequest, school_id: PathId, page: PageNo = 1) -> dict[str, Any]:
    school = access.school_visible(request_user(request), school_id)
    found = selectors.credentials_of_school(school.pk)
    items = list(found[(page - 1) * PAGE : page * PAGE])
    return {"count": found.count(), "items": [credential_out(c) for c in items]}


@router.get(
    "/credentials/{credential_id}",
    response={200: CredentialDetailOut, **ERRORS},
    summary="One signed document: its QR text and its Verifiable Credential",
)
def credential_detail(request: HttpRequest, credential_id: PathId) -> dict[str, Any]:
    credential = selectors.credential_visible(request_user(request), credential_id)
    return credential_detail_out(credential)


@router.post(
    "/credentials/{credential_id}/revoke",
    response={200: CredentialDetailOut, **ERRORS},
    summary="Revoke a document (its school's head or administrator)",
    description="Its bit in the status list is set; the document, who, when and why are kept.",
)
def credential_revoke(
    request: HttpRequest, credential_id: PathId, payload: CredentialRevokeIn
) -> dict[str, Any]:
    user = request_user(request)
    credential = selectors.credential_visible(user, credential_id)
    revoked = services.credential_revoke(credential=credential, reason=payload.reason, by=user)
    return credential_detail_out(selectors.credential_visible(user, revoked.pk))
