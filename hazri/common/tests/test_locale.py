"""The Hindi catalogue is complete, and the compiled files (hi, fa, ru) match theirs."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "hazri" / "locale"
PO = LOCALE / "hi" / "LC_MESSAGES" / "django.po"


def entries() -> list[str]:
    return PO.read_text().split("\n\n")[1:]


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    untranslated = [e for e in entries() if re.search(r'\nmsgstr ""\s*$', "\n" + e.strip())]
    fuzzy = [e for e in entries() if "#, fuzzy" in e]
    assert not untranslated, untranslated[:3]
    assert not fuzzy, fuzzy[:3]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
@pytest.mark.parametrize("language", ["hi", "fa", "ru"])
def test_the_compiled_catalogue_is_up_to_date(tmp_path: Path, language: str) -> None:
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(po)], check=True)
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), (
        f"run `cd hazri && ../manage.py compilemessages -l {language}` and commit django.mo"
    )
