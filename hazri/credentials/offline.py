"""Checking a document with the state's published keys alone: no server, no database,
no Django. `check_qr` reads a QR's text, `check_document` a Verifiable Credential; both
answer genuine, altered or unknown key (whether it was revoked needs the status list:
the server's check adds it). Run as a program for a state's own checks:

    python -m hazri.credentials.offline "HZ1:…" --keys keys.json
"""

import argparse
import datetime as dt
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hazri.credentials import compact, documents, proofs
from hazri.credentials import keys as keytext

GENUINE = "genuine"
ALTERED = "altered"
REVOKED = "revoked"
UNKNOWN_KEY = "unknown_key"

# What the QR's short keys mean (issuers keep to these; others are shown as they are).
FACT_LABELS = {
    "n": "Name",
    "id": "State id",
    "dob": "Date of birth",
    "s": "School (UDISE)",
    "sn": "School",
    "c": "Class",
    "t": "Term",
    "y": "Year",
    "g": "Grades",
    "a": "Attendance",
    "r": "Result",
    "d": "Date",
    "to": "Leaving for",
}
MAX_SHOWN = 60


class KeyListError(ValueError):
    """The published key list cannot be read."""


@dataclass(frozen=True)
class PublishedKey:
    kid: str
    public: Ed25519PublicKey
    valid_from: dt.datetime
    valid_until: dt.datetime | None = None
    withdrawn: dt.datetime | None = None

    def vouches_at(self, at: dt.datetime | None) -> bool:
        """Whether the key was the state's signing key then (and was never withdrawn).
        Times are compared to the second: a QR's time has no fractions."""
        if self.withdrawn is not None:
            return False
        if at is None:
            return True
        start = self.valid_from.replace(microsecond=0)
        return start <= at and (self.valid_until is None or at <= self.valid_until)


@dataclass(frozen=True)
class Verdict:
    status: str
    kid: str = ""
    kind: str = ""
    number: int | None = None
    issued_at: dt.datetime | None = None
    shows: list[tuple[str, str]] = field(default_factory=list)


def _moment(text: Any) -> dt.datetime | None:
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(str(text))
    except ValueError:
        raise KeyListError(f"{text!r} is not a date and time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def read_keys(published: Any) -> dict[str, PublishedKey]:
    """The keys of a published list (the JSON of GET /api/v1/credentials/keys)."""
    if not isinstance(published, dict) or not isinstance(published.get("keys"), list):
        raise KeyListError("The key list is not a JSON object with a list of keys.")
    found: dict[str, PublishedKey] = {}
    for item in published["keys"]:
        try:
            public = (
                proofs.public_from_multikey(item["publicKeyMultibase"])
                if "publicKeyMultibase" in item
                else keytext.public_from_b64(item["publicKey"])
            )
            found[str(item["kid"])] = PublishedKey(
                kid=str(item["kid"]),
                public=public,
                valid_from=_moment(item["validFrom"]) or dt.datetime.min.replace(tzinfo=dt.UTC),
                valid_until=_moment(item.get("validUntil")),
                withdrawn=_moment(item.get("withdrawn")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise KeyListError(f"A key in the list cannot be read: {error}") from None
    return found


def _flat(value: Any, path: str, out: list[tuple[str, str]]) -> None:
    if len(out) >= MAX_SHOWN:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _flat(item, f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _flat(item, f"{path}[{n}]", out)
    else:
        out.append((path, "" if value is None else str(value)))


def shown_facts(facts: Mapping[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, value in facts.items():
        if key != "k":
            _flat(value, FACT_LABELS.get(str(key), str(key)), out)
    return out


def check_qr(text: str, keys: Mapping[str, PublishedKey]) -> Verdict:
    """A QR's verdict (compact.CompactError when the text is not a Hazri QR)."""
    opened = compact.open_text(text)
    facts = opened.facts
    iat, number = opened.claims.get(6), opened.claims.get(7)
    issued = dt.datetime.fromtimestamp(iat, dt.UTC) if isinstance(iat, int) else None
    verdict = Verdict(
        status=GENUINE,
        kid=opened.kid,
        kind=documents.KIND_OF_CODE.get(str(facts.get("k")), ""),
        number=number if isinstance(number, int) else None,
        issued_at=issued,
        shows=shown_facts(facts),
    )
    key = keys.get(opened.kid)
    if key is None or not key.vouches_at(issued):
        return Verdict(status=UNKNOWN_KEY, kid=opened.kid)
    if not opened.verifies_with(key.public):
        return Verdict(status=ALTERED, kid=opened.kid)
    return verdict


def check_document(document: Any, keys: Mapping[str, PublishedKey], *, issuer: str) -> Verdict:
    """A Verifiable Credential's verdict (proofs.ProofError when it has no proof of ours)."""
    proof = proofs.proof_of(document)
    method = proof["verificationMethod"]
    controller, _hash, kid = method.partition("#")
    try:
        created = dt.datetime.fromisoformat(str(proof.get("created", "")).replace("Z", "+00:00"))
    except ValueError:
        raise proofs.ProofError("the proof's created time is not a date and time") from None
    key = keys.get(kid)
    if controller != issuer or key is None or not key.vouches_at(created):
        return Verdict(status=UNKNOWN_KEY, kid=kid)
    if not proofs.verify(document, key.public):
        return Verdict(status=ALTERED, kid=kid)
    kinds = {vc_type: kind for kind, (vc_type, _code) in documents.KINDS.items()}
    types = document.get("type") if isinstance(document.get("type"), list) else []
    shows: list[tuple[str, str]] = []
    if document.get("name"):
        shows.append(("name", str(document["name"])))
    _flat(document.get("credentialSubject"), "", shows)
    return Verdict(
        status=GENUINE,
        kid=kid,
        kind=next((kinds[t] for t in types if t in kinds), ""),
        number=documents.status_index_of(document),
        issued_at=created,
        shows=shows,
    )


def report(verdict: Verdict) -> str:
    """The verdict as lines of text, for a terminal."""
    lines = [verdict.status]
    if verdict.status == GENUINE:
        lines.append(f"kind: {verdict.kind}  number: {verdict.number}  key: {verdict.kid}")
        if verdict.issued_at:
            lines.append(f"issued: {verdict.issued_at.isoformat()}")
        lines += [f"{label}: {value}" for label, value in verdict.shows]
        lines.append("(whether it was revoked is known online, from the status list)")
    return "\n".join(lines) + "\n"


def check_with_key_file(text: str, path: str) -> Verdict:
    """The QR's verdict with the key list saved from GET /api/v1/credentials/keys."""
    with open(path, encoding="utf-8") as file:
        keys = read_keys(json.load(file))
    return check_qr(text, keys)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check a Hazri document's QR text with the state's published keys."
    )
    parser.add_argument("qr", help='the QR code\'s text, "HZ1:…"')
    parser.add_argument("--keys", required=True, help="the published key list (JSON file)")
    args = parser.parse_args(argv)
    try:
        verdict = check_with_key_file(args.qr, args.keys)
    except (OSError, json.JSONDecodeError, KeyListError, compact.CompactError) as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    sys.stdout.write(report(verdict))
    return 0 if verdict.status == GENUINE else 1


if __name__ == "__main__":
    sys.exit(main())
