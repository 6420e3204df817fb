"""The offline app in its four languages, server side: each plural string in the form
of each CLDR category from the catalogue, the page's direction, and the shell's
version following the strings."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from hazri.sync import strings, views
from hazri.sync.tests.languages import TEST_LOCALE, app_languages, cldr_category  # noqa: F401

pytestmark = pytest.mark.usefixtures("app_languages")


def carried(html: str) -> dict:  # type: ignore[type-arg]
    found = re.search(r'<script id="hazri-strings" type="application/json">(.*?)</script>', html)
    assert found is not None
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_each_language_has_a_form_per_plural_category() -> None:
    forms = strings.plural_forms()
    assert set(forms) == {"en", "hi", "fa", "ru"}
    for language, table in forms.items():
        assert len(table) == len(strings.UI_PLURALS)
        for key, by_category in table.items():
            assert set(by_category) == set(strings.PLURAL_SAMPLES[language]), (language, key)
    assert forms["ru"]["%(count)s photo"] == {
        "one": "%(count)s фотография",
        "few": "%(count)s фотографии",
        "many": "%(count)s фотографий",
        "other": "%(count)s фотографии",
    }
    assert forms["fa"]["%(count)s photo"] == {"one": "%(count)s عکس", "other": "%(count)s عکس"}
    assert forms["en"]["%(count)s photo chosen"] == {
        "one": "%(count)s photo chosen",
        "other": "%(count)s photos chosen",
    }


def test_the_form_of_a_count_is_the_catalogues_for_that_count() -> None:
    """For every count, the form of its CLDR category (what the app shows) is what the
    catalogue's ngettext gives for it: the sample numbers stand for their categories.
    Only translated strings (the test catalogues, and the full ones where present);
    from 1 up, as Hindi's catalogue counts 0 as plural where CLDR says "one"."""
    forms = strings.plural_forms()
    checked = 0
    for language in strings.LANGUAGES:
        for key, entry in zip(forms[language], strings.UI_PLURALS, strict=True):
            with translation.override(language):
                if language != "en" and entry.format(count=1) == key:
                    continue  # not translated: English forms
                for n in range(1, 260):
                    shown = forms[language][key][cldr_category(language, n)]
                    assert shown == entry.format(count=n), (language, key, n)
                    checked += 1
    assert checked >= 259 * len(strings.UI_PLURALS) * 2, "English and Russian at least"


def test_the_page_carries_every_language_and_its_direction() -> None:
    client = Client()
    html = client.get("/app/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    page = carried(html)
    assert set(page) == {"en", "hi", "fa", "ru", "plurals"}
    assert set(page["plurals"]) == {"en", "hi", "fa", "ru"}
    assert page["ru"]["Save attendance"] == "Сохранить посещаемость"
    assert page["fa"]["Today"] == "امروز"
    assert page["plurals"]["ru"]["%(count)s photo"]["many"] == "%(count)s фотографий"
    # A Persian user's browser gets the page right to left before the app starts.
    persian = client.get("/app/", HTTP_ACCEPT_LANGUAGE="fa-IR,fa;q=0.9").content.decode()
    assert '<html lang="fa" dir="rtl">' in persian
    russian = client.get("/app/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="ru" dir="ltr">' in russian


def test_the_shell_changes_when_the_strings_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """One more translated string is a new version: a new service worker and offline copy."""
    before = views.shell().version
    monkeypatch.setattr(views, "UI_STRINGS", [*views.UI_STRINGS, "Hazri offline app"])
    views.strings_json.cache_clear()
    assert "Hazri offline app" in json.loads(views.strings_json())["hi"]
    assert views.shell().version != before


@pytest.mark.parametrize("language", ["fa", "ru"])
def test_every_text_of_the_app_is_translated_where_the_catalogue_is(language: str) -> None:
    """Once hazri/locale/<language> is there, the app has every text in it (the brand
    may stay as it is)."""
    catalogue = Path(settings.BASE_DIR) / "hazri" / "locale" / language / "LC_MESSAGES"
    if not (catalogue / "django.mo").exists():
        pytest.skip(f"no {language} catalogue in hazri/locale yet")
    page = json.loads(views.strings_json())
    missing = [key for key in strings.UI_STRINGS if key not in page[language] and key != "Hazri"]
    assert not missing, missing
    english = page["plurals"]["en"]
    same = [
        key
        for key, forms in page["plurals"][language].items()
        if forms["one"] == english[key]["one"]
    ]
    assert not same, same


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
@pytest.mark.parametrize("language", ["fa", "ru"])
def test_the_test_catalogues_are_compiled(language: str, tmp_path: Path) -> None:
    po = TEST_LOCALE / language / "LC_MESSAGES" / "django.po"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(po)], check=True)
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), "run msgfmt on " + str(po)
