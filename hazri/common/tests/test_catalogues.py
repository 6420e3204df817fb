"""Every string marked for translation in the code is in the Hindi catalogue, translated;
and the Persian and Russian catalogues hold every Hindi entry, translated, with all
their plural forms (docs/languages.md).

The strings are extracted as `make messages` extracts them (Django's makemessages,
xgettext underneath), from a copy of the sources in a temporary folder: the real
catalogue is never rewritten by a test."""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.skipif(shutil.which("xgettext") is None, reason="no gettext")

HAZRI = Path(settings.BASE_DIR) / "hazri"
LOCALE = HAZRI / "locale"
SOURCES = {".py", ".html", ".txt"}
SKIPPED = {"node_modules", "vendor", "locale", "migrations", "__pycache__"}
NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def _entries(text: str) -> list[tuple[dict[str, str], dict[int, str]]]:
    """A po file's entries: each one's fields and its plural msgstr forms. An entry ends
    where a comment or a new msgctxt/msgid follows a msgstr (a blank line is optional)."""
    found: list[tuple[dict[str, str], dict[int, str]]] = []
    fields: dict[str, str] = {}
    forms: dict[int, str] = {}
    last: tuple[str, int | None] | None = None
    for raw in [*text.splitlines(), "#"]:
        line = raw.strip()
        if line.startswith('"') and last is not None:
            name, index = last
            if index is None:
                fields[name] += _unquote(line[1:-1])
            else:
                forms[index] += _unquote(line[1:-1])
            continue
        match = _LINE.match(line)
        starts = match is not None and match.group(1) in ("msgctxt", "msgid")
        if (not line or line.startswith("#") or starts) and ("msgstr" in fields or forms):
            found.append((fields, forms))
            fields, forms = {}, {}
        last = None
        if match is None:
            continue
        name, index, value = match.group(1), match.group(2), _unquote(match.group(3))
        if index is not None:
            forms[int(index)] = value
            last = ("msgstr", int(index))
        else:
            fields[name] = value
            last = (name, None)
    return found


def catalogue(path: Path) -> tuple[dict[tuple[str, str], object], int]:
    """(msgctxt, msgid) -> msgstr (a list of forms for a plural), and nplurals; read
    from a po file as gettext writes it (obsolete #~ entries are comments: left out)."""
    entries: dict[tuple[str, str], object] = {}
    header = ""
    for fields, forms in _entries(path.read_text(encoding="utf-8")):
        if "msgid" not in fields:
            continue
        if fields["msgid"] == "" and "msgctxt" not in fields:
            header = fields.get("msgstr", "")
            continue
        key = (fields.get("msgctxt", ""), fields["msgid"])
        if "msgid_plural" in fields:
            entries[key] = [forms[n] for n in sorted(forms)]
        else:
            entries[key] = fields.get("msgstr", "")
    count = NPLURALS.search(header)
    return entries, int(count.group(1)) if count else 2


def untranslated(value: object, nplurals: int) -> bool:
    if isinstance(value, list):
        return len(value) < nplurals or not all(value)
    return not value


def copy_sources(target: Path) -> None:
    for source in HAZRI.rglob("*"):
        parts = set(source.relative_to(HAZRI).parts)
        if source.suffix in SOURCES and source.is_file() and not parts & SKIPPED:
            copy = target / source.relative_to(HAZRI)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], object]:
    root = tmp_path_factory.mktemp("sources")
    copy_sources(root / "hazri")
    locale = root / "locale"
    (locale / "hi" / "LC_MESSAGES").mkdir(parents=True)
    cwd = Path.cwd()
    try:
        os.chdir(root / "hazri")
        with override_settings(LOCALE_PATHS=[str(locale)]):
            call_command("makemessages", locale=["hi"], verbosity=0, no_obsolete=True)
    finally:
        os.chdir(cwd)
    entries, _forms = catalogue(locale / "hi" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100  # the extraction found the code's strings
    return entries


def test_every_marked_string_is_in_the_hindi_catalogue_and_translated(extracted) -> None:
    hindi, nplurals = catalogue(LOCALE / "hi" / "LC_MESSAGES" / "django.po")
    missing = sorted(key for key in extracted if key not in hindi)
    empty = sorted(key for key in extracted if key in hindi and untranslated(hindi[key], nplurals))
    assert not missing, f"{len(missing)} strings not in the Hindi catalogue: {missing}"
    assert not empty, f"{len(empty)} strings untranslated in Hindi: {empty}"


@pytest.mark.parametrize("language", ["fa", "ru"])
def test_persian_and_russian_hold_every_hindi_entry_translated(language: str) -> None:
    hindi, _forms = catalogue(LOCALE / "hi" / "LC_MESSAGES" / "django.po")
    other, nplurals = catalogue(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert nplurals == {"fa": 2, "ru": 3}[language]
    missing = sorted(key for key in hindi if key not in other)
    empty = sorted(key for key in hindi if key in other and untranslated(other[key], nplurals))
    assert not missing, f"{len(missing)} Hindi entries not in {language}: {missing[:50]}"
    assert not empty, f"{len(empty)} untranslated in {language}: {empty[:50]}"


def test_a_missing_translation_is_caught(tmp_path: Path) -> None:
    """The check can fail: a catalogue with an empty msgstr and a short plural."""
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n%10==1 ? 0 : 1);\\n"\n\n'
        'msgid "Save"\nmsgstr ""\n\n'
        'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "a"\nmsgstr[1] "b"\n',
        encoding="utf-8",
    )
    entries, nplurals = catalogue(po)
    assert nplurals == 3
    assert untranslated(entries[("", "Save")], nplurals)
    assert untranslated(entries[("", "%(n)s day")], nplurals)
