"""For tests (this app's and the apps that issue documents): a fresh signing key in a
temporary folder, configured and registered as the current key."""

from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import override_settings

from hazri.credentials import keys as keytext
from hazri.credentials.models import Credential, SigningKey
from hazri.credentials.services import credential_issue, signing_key_register
from hazri.org.models import School
from hazri.people.models import Student


def install_signing_key(settings: Any, folder: Path) -> tuple[Ed25519PrivateKey, SigningKey]:
    """Generate a key, write it to `folder`, point HAZRI_SIGNING_KEY_FILE at it (through
    pytest-django's `settings`) and register it; the previous key stops signing."""
    private = Ed25519PrivateKey.generate()
    path = folder / f"signing-{keytext.kid_of(private.public_key())}.pem"
    path.write_text(keytext.private_to_pem(private))
    path.chmod(0o600)
    settings.HAZRI_SIGNING_KEY_FILE = str(path)
    settings.HAZRI_SIGNING_KEY = ""
    return private, signing_key_register(public_key=private.public_key())


SAMPLE_SUBJECT = {
    "type": "ReportCard",
    "student": {"name": "Anita Verma", "stateId": "SAM0010001"},
    "school": {"name": "Rampur Primary", "code": "23010100101"},
    "term": "2026-27 Term 1",
    "grades": [
        {"subject": "Mathematics", "grade": "B"},
        {"subject": "Hindi", "grade": "A"},
    ],
}
SAMPLE_FACTS = {
    "n": "Anita Verma",
    "id": "SAM0010001",
    "s": "23010100101",
    "t": "2026-27 T1",
    "g": "MA:B HI:A",
}


def sample_credential(school: School, student: Student | None, by: Any, **kw: Any) -> Credential:
    """A report card issued by `by` (a key must be installed: install_signing_key)."""
    args: dict[str, Any] = {
        "kind": "report_card",
        "subject": SAMPLE_SUBJECT,
        "compact": SAMPLE_FACTS,
        "name": "Report card, Term 1",
    }
    return credential_issue(school=school, student=student, by=by, **{**args, **kw})


def signed_sample(school: School, student: Student | None, by: Any) -> Credential:
    """A sample document signed with a fresh key that is configured only while it is
    signed (for tests that need a document but no key of their own)."""
    private = Ed25519PrivateKey.generate()
    signing_key_register(public_key=private.public_key())
    with override_settings(
        HAZRI_SIGNING_KEY=keytext.private_to_pem(private), HAZRI_SIGNING_KEY_FILE=""
    ):
        return sample_credential(school, student, by)
