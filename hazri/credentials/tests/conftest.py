from pathlib import Path
from typing import Any

import pytest

from hazri.credentials.models import Credential
from hazri.credentials.services import credential_issue
from hazri.credentials.testing import install_signing_key
from hazri.testing.world import World

SUBJECT = {
    "type": "ReportCard",
    "student": {"name": "Anita Verma", "stateId": "SAM0010001"},
    "school": {"name": "Rampur Primary", "code": "23010100101"},
    "term": "2026-27 Term 1",
    "grades": [
        {"subject": "Mathematics", "grade": "B"},
        {"subject": "Hindi", "grade": "A"},
    ],
}
FACTS = {
    "n": "Anita Verma",
    "id": "SAM0010001",
    "s": "23010100101",
    "t": "2026-27 T1",
    "g": "MA:B HI:A",
}


@pytest.fixture
def signing_key(db: None, settings: Any, tmp_path: Path) -> Any:
    return install_signing_key(settings, tmp_path)


def issue(world: World, **kw: Any) -> Credential:
    args: dict[str, Any] = {
        "kind": "report_card",
        "school": world.school,
        "student": world.students[0],
        "subject": SUBJECT,
        "compact": FACTS,
        "by": world.ravi,
        "name": "Report card, Term 1",
    }
    return credential_issue(**{**args, **kw})
