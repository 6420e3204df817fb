"""The credentials API's shapes."""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from hazri.common.api import Text
from hazri.credentials.models import Credential
from hazri.credentials.offline import Verdict


class VerifyImageIn(Schema):
    name: Text = Field(max_length=200)
    data: Text = Field(max_length=7_000_000, description="A JPEG or PNG photo, base64 (≤ 5 MB)")


class VerifyIn(Schema):
    """Exactly one of: the QR's text, the credential's JSON, a photo of the QR."""

    qr: Text | None = Field(None, max_length=4400, description='The QR text, "HZ1:…"')
    document: Text | None = Field(
        None, max_length=200_000, description="The Verifiable Credential, as JSON text"
    )
    image: VerifyImageIn | None = None


class VerifyFactOut(Schema):
    label: str
    value: str


class VerifyOut(Schema):
    status: Literal["genuine", "altered", "revoked", "unknown_key"]
    kind: str = Field(description="report_card or transfer_certificate ('' unless genuine)")
    number: int | None = Field(None, description="The document's number (its status index)")
    issued_at: dt.datetime | None = None
    key: str = Field(description="The id of the key it names")
    shows: list[VerifyFactOut] = Field(description="What the document itself shows")


def verify_out(verdict: Verdict) -> dict[str, Any]:
    return {
        "status": verdict.status,
        "kind": verdict.kind,
        "number": verdict.number,
        "issued_at": verdict.issued_at,
        "key": verdict.kid,
        "shows": [{"label": label, "value": value} for label, value in verdict.shows],
    }


class SigningKeyOut(Schema):
    kid: str
    type: str
    id: str
    controller: str
    publicKeyMultibase: str
    publicKey: str = Field(description="Ed25519 raw public key, base64")
    validFrom: str
    validUntil: str | None
    withdrawn: str | None


class SigningKeysOut(Schema):
    issuer: str
    name: str
    keys: list[SigningKeyOut]


class CredentialOut(Schema):
    id: int
    kind: str
    name: str
    school: int
    student: int | None
    issued_at: dt.datetime
    key: str
    revoked_at: dt.datetime | None
    revoked_reason: str


class CredentialListOut(Schema):
    count: int
    items: list[CredentialOut]


class CredentialDetailOut(CredentialOut):
    qr: str = Field(description='The compact signed form the QR carries, "HZ1:…"')
    document: dict[str, Any] = Field(description="The signed Verifiable Credential")


class CredentialRevokeIn(Schema):
    reason: Text = Field(max_length=500)


def credential_out(credential: Credential) -> dict[str, Any]:
    return {
        "id": credential.pk,
        "kind": credential.kind,
        "name": credential.name,
        "school": credential.school_id,
        "student": credential.student_id,
        "issued_at": credential.issued_at,
        "key": credential.key.kid,
        "revoked_at": credential.revoked_at,
        "revoked_reason": credential.revoked_reason,
    }


def credential_detail_out(credential: Credential) -> dict[str, Any]:
    return {**credential_out(credential), "qr": credential.qr, "document": credential.document}
