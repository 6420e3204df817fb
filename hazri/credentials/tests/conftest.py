from pathlib import Path
from typing import Any

import pytest

from hazri.credentials.models import Credential
from hazri.credentials.testing import install_signing_key, sample_credential
from hazri.testing.world import World


@pytest.fixture
def signing_key(db: None, settings: Any, tmp_path: Path) -> Any:
    return install_signing_key(settings, tmp_path)


def issue(world: World, **kw: Any) -> Credential:
    school = kw.pop("school", world.school)
    student = kw.pop("student", world.students[0])
    return sample_credential(school, student, kw.pop("by", world.ravi), **kw)
