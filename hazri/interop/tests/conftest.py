from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def storage(settings: Any, tmp_path: Path) -> Path:
    """Each test's exchanges keep their zips in its own folder (HAZRI_INTEROP_DIR)."""
    settings.HAZRI_INTEROP_DIR = tmp_path / "interop"
    return tmp_path / "interop"
