"""What a signed document says, built from its facts: the Verifiable Credential (W3C VC
Data Model 2.0) and the claims of its QR. Pure functions: no database."""

import datetime as dt
import uuid
from typing import Any

import cbor2

from hazri.credentials import compact

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
# A status list holds 131,072 documents (16 KiB of bits): the size the Bitstring Status
# List recommends so that fetching a list tells nobody which document is checked.
LIST_SIZE = 131_072
# kind → (the credential's type, its code in the QR)
KINDS = {
    "report_card": ("ReportCardCredential", "rc"),
    "transfer_certificate": ("TransferCertificateCredential", "tc"),
}
KIND_OF_CODE = {code: kind for kind, (_type, code) in KINDS.items()}
MAX_COMPACT_BYTES = 400  # the facts' CBOR; with the envelope the QR stays near version 11


def moment(at: dt.datetime) -> str:
    """An XML Schema dateTime in UTC to the second, as VC documents write them."""
    return at.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def status_list_url(base_url: str, index: int) -> str:
    return f"{base_url}/api/v1/credentials/status/{index // LIST_SIZE}"


def unsigned_vc(
    *,
    kind: str,
    index: int,
    issuer: str,
    issuer_name: str,
    name: str,
    issued_at: dt.datetime,
    subject: dict[str, Any],
    base_url: str,
) -> dict[str, Any]:
    vc_type, _code = KINDS[kind]
    status_url = status_list_url(base_url, index)
    return {
        "@context": [VC_CONTEXT],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", vc_type],
        "name": name,
        "issuer": {"id": issuer, "name": issuer_name},
        "validFrom": moment(issued_at),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{status_url}#{index % LIST_SIZE}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index % LIST_SIZE),
            "statusListCredential": status_url,
        },
    }


def qr_claims(
    *, kind: str, index: int, issued_at: dt.datetime, facts: dict[str, Any]
) -> dict[Any, Any]:
    """No issuer claim: the key's id names the key, and the published key list its
    issuer (28 bytes saved; a QR version smaller)."""
    return {
        6: int(issued_at.timestamp()),
        7: index,
        compact.FACTS: {"k": KINDS[kind][1], **facts},
    }


def compact_size(facts: dict[str, Any]) -> int:
    return len(cbor2.dumps(facts))


def status_index_of(document: dict[str, Any]) -> int | None:
    """The document's place in the status lists, from its credentialStatus (None if it
    names none or a malformed one)."""
    status = document.get("credentialStatus")
    if not isinstance(status, dict) or status.get("type") != "BitstringStatusListEntry":
        return None
    url, position = status.get("statusListCredential"), status.get("statusListIndex")
    if not isinstance(url, str) or not isinstance(position, str) or not position.isdigit():
        return None
    number = url.rsplit("/", 1)[-1]
    if not number.isdigit() or len(number) > 9 or len(position) > 9:
        return None
    return int(number) * LIST_SIZE + int(position)
