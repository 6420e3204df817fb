"""The report card's PDF: A4 portrait, a card a page, and Devanagari and Persian drawn
as HarfBuzz shapes them (joined Arabic letters, conjuncts), with the text kept."""

import datetime as dt
import re
import subprocess

import pytest

from hazri.registers.tests.test_exports import page_count, pdf_text, poppler
from hazri.reportcards.pdf import Printed, cards_pdf, is_rtl
from hazri.reportcards.selectors import section_facts
from hazri.reportcards.tests.rc_world import card_world
from hazri.testing.shaping import FONTS, cmap_glyphs, drawn_spans, hb_shape

PERSIAN = "زهرا محمدی"
PERSIAN_REMARK = "دانش‌آموز کوشا"  # with a zero-width non-joiner


def test_rtl_is_told_by_the_first_strong_character() -> None:
    assert is_rtl(PERSIAN) and is_rtl("  ۱۲ " + PERSIAN)
    assert not is_rtl("ज़ोया ख़ान") and not is_rtl("12 Zoya") and not is_rtl("")


@pytest.fixture
def printed(world) -> list[Printed]:
    made = card_world(world)
    made.bhavna.name_local = PERSIAN
    made.bhavna.save(update_fields=["name_local"])
    cards = section_facts(world.section, made.journal.term1)
    out = []
    for card in cards:
        if card.student_id == made.bhavna.pk:
            card = type(card)(**{**card.__dict__, "remarks": [PERSIAN_REMARK]})
        out.append(Printed(card=card, version=1, issued_on=dt.date(2026, 10, 2).isoformat()))
    return out


@pytest.mark.django_db
def test_a_sections_cards_print_one_a4_page_each(printed, tmp_path) -> None:
    pdf = cards_pdf(printed)
    assert page_count(pdf, tmp_path) == 5
    source = tmp_path / "cards.pdf"
    source.write_bytes(pdf)
    info = subprocess.run(
        [poppler("pdfinfo"), str(source)], check=True, capture_output=True, text=True
    ).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore[union-attr]
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
    pages = [pdf_text(pdf, tmp_path, n) for n in range(1, 6)]
    assert all("Report card" in page and "Term 1" in page for page in pages)
    (zoya,) = [page for page in pages if "Zoya Khan" in page]  # one page, her own
    assert "Helps others" in zoya and "Late" not in zoya  # the held remark is not printed
    assert "ज़ोया ख़ान" in zoya  # the /ActualText: copy and search work
    assert "Attended" in zoya and "1 (33.3%)" in zoya


@pytest.mark.django_db
def test_devanagari_and_persian_are_shaped_by_harfbuzz(printed, tmp_path, caplog) -> None:
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf = cards_pdf(printed)
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]  # no boxes
    source = tmp_path / "cards.pdf"
    source.write_bytes(pdf)
    fonts = subprocess.run(
        [poppler("pdffonts"), str(source)], check=True, capture_output=True, text=True
    ).stdout
    assert re.search(r"Noto-Naskh-Arabic .* yes", fonts)  # embedded
    assert re.search(r"Noto-Sans-Devanagari .* yes", fonts)
    spans = drawn_spans(pdf)
    arabic = FONTS / "NotoNaskhArabic-Regular.ttf"
    devanagari = FONTS / "NotoSansDevanagari-Regular.ttf"
    for text, font in [
        (PERSIAN, arabic),
        (PERSIAN_REMARK, arabic),
        ("ज़ोया ख़ान", devanagari),
        ("आरव शर्मा", devanagari),
    ]:
        shaped = hb_shape(font, text)
        assert spans[text] == shaped, text
        # Shaping changed the glyphs: joined forms, reordered or fused characters.
        assert shaped != cmap_glyphs(font, text)
        assert shaped != cmap_glyphs(font, text)[::-1]


@pytest.mark.django_db
def test_a_year_card_prints_each_terms_grade_the_result_and_the_rank(world, tmp_path) -> None:
    from hazri.accounts.models import User
    from hazri.reportcards.services import rank_policy_set

    made = card_world(world)
    rank_policy_set(
        unit=world.state, show_rank=True, by=User.objects.create_superuser("root", password="x")
    )
    aarav = next(c for c in section_facts(world.section, None) if c.student_id == made.aarav.pk)
    text = pdf_text(cards_pdf([Printed(card=aarav, version=3, issued_on="2027-03-31")]), tmp_path)
    assert "Final grade" in text and "Term 1" in text and "Term 2" in text
    assert "Passed · 91.50%" in text
    assert "Rank in the class: 1 of 2" in text  # only Aarav and Zoya have final grades
    assert "3 · issued 2027-03-31" in text
