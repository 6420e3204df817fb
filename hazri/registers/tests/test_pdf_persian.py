"""The register's PDF in Persian: right to left, the Jalali months of its Gregorian
month in Persian digits, and Persian drawn as HarfBuzz shapes it (joined letters, the
zero-width non-joiner kept apart), names and labels alike."""

import datetime as dt
import re
import subprocess

import pytest
from django.utils import translation
from django.utils.translation import gettext

from hazri.registers.exports.layout import build_sheet
from hazri.registers.exports.pdf import register_pdf, sheet_html
from hazri.registers.selectors import section_register
from hazri.registers.tests.test_exports import MONTH, TODAY, poppler
from hazri.registers.tests.test_pages import october
from hazri.testing.shaping import FONTS, cmap_glyphs, drawn_spans, hb_shape

pytestmark = pytest.mark.django_db

# Sara Niknam, written with a zero-width non-joiner between نیک and نام.
PERSIAN_NAME = "سارا نیک\u200cنام"


def persian_register(world):  # type: ignore[no-untyped-def]
    october(world)
    student = world.students[0]
    student.name_local = PERSIAN_NAME
    student.save(update_fields=["name_local"])
    return section_register(section=world.section, month=MONTH, today=TODAY)


def test_the_persian_register_reads_right_to_left_in_the_jalali_calendar(world) -> None:
    register = persian_register(world)
    with translation.override("fa"):
        sheet = build_sheet(register)
        html = sheet_html(sheet)
    assert re.search(r'<html lang="fa" dir="rtl">', html)
    # October 2026 runs from 9 Mehr to 9 Aban 1405.
    assert sheet.month_label.startswith("مهر–آبان ۱۴۰۵")
    assert PERSIAN_NAME in [row.name for row in sheet.rows]
    with translation.override("en"):
        assert '<html lang="en" dir="ltr">' in sheet_html(build_sheet(register))


def test_persian_names_and_labels_are_shaped_by_harfbuzz(world, tmp_path, caplog) -> None:
    register = persian_register(world)
    with translation.override("fa"), caplog.at_level("WARNING", logger="weasyprint"):
        pdf = register_pdf(register)
        title = gettext("Attendance register")
        present = gettext("Present")
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]  # no boxes
    source = tmp_path / "register.pdf"
    source.write_bytes(pdf)
    fonts = subprocess.run(
        [poppler("pdffonts"), str(source)], check=True, capture_output=True, text=True
    ).stdout
    assert re.search(r"Noto-Naskh-Arabic .* yes", fonts)  # embedded
    assert any("\u0600" <= c <= "\u06ff" for c in title + present)  # translated
    spans = drawn_spans(pdf)
    arabic = FONTS / "NotoNaskhArabic-Regular.ttf"
    for text in (PERSIAN_NAME, present):
        shaped = hb_shape(arabic, text)
        assert spans[text] == shaped, text
        # Shaping changed the glyphs: joined forms, not each letter's own glyph.
        assert shaped != cmap_glyphs(arabic, text)
        assert shaped != cmap_glyphs(arabic, text)[::-1]
    # The title line (title, school, class) is drawn, as are the Jalali month's digits.
    assert [text for text in spans if text.startswith(title)]
    assert [text for text in spans if "مهر–آبان ۱۴۰۵" in text]


def test_a_jalali_day_on_the_register_page(world) -> None:
    from hazri.common import localize

    with translation.override("fa"):
        assert localize.day(dt.date(2026, 10, 1), "j F Y") == "۹ مهر ۱۴۰۵"
