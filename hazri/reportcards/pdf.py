"""Report cards as a PDF: A4 portrait, one card a page, drawn by WeasyPrint with the
Noto fonts through the register's PDF set-up (its /ActualText wrapping), so that
Devanagari and Persian are shaped — conjuncts, matras, joined Arabic letters — not
boxes. A section's cards print as one document; each card prints its QR code."""

import unicodedata
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from hazri.org.models import Section
from hazri.registers.exports.pdf import html_pdf
from hazri.reportcards import signing
from hazri.reportcards.facts import Card
from hazri.reportcards.models import ReportCard

TEMPLATE = "reportcards/card_pdf.html"


def is_rtl(text: str) -> bool:
    """Whether the text's first strong character is right-to-left (Persian, Urdu)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


@dataclass(frozen=True)
class Printed:
    """One card as printed: its facts, version, whether it was revoked, and its QR."""

    card: Card
    version: int
    issued_on: str
    revoked: bool = False
    qr_src: str = ""  # the credential's QR as a PNG data URI ("" before it is signed)

    @property
    def local_rtl(self) -> bool:
        return is_rtl(self.card.student_local)

    @property
    def school_rtl(self) -> bool:
        return is_rtl(self.card.school_local)


def result_label(result: str) -> str:
    labels = {
        "passed": _("Passed"),
        "supplementary": _("Supplementary"),
        "failed": _("Failed"),
        "absent": _("Absent from exam"),
    }
    return str(labels.get(result, result))


def cards_html(cards: list[Printed]) -> str:
    return render_to_string(
        TEMPLATE,
        {
            "cards": [
                {
                    "p": printed,
                    "remarks": [(r, is_rtl(r)) for r in printed.card.remarks],
                    "teacher_rtl": is_rtl(printed.card.teacher_remark),
                    "result": result_label(printed.card.result),
                }
                for printed in cards
            ],
            "LANGUAGE_CODE": translation.get_language() or "en",
            "LANGUAGE_BIDI": translation.get_language_bidi(),
        },
    )


def cards_pdf(cards: list[Printed]) -> bytes:
    """The cards as PDF bytes, one a page, in the active language."""
    return html_pdf(cards_html(cards))


def printed(card: ReportCard) -> Printed:
    """An issued card as printed: its frozen facts, version and QR; revoked if replaced."""
    return Printed(
        card=Card.from_json(card.facts),
        version=card.version,
        issued_on=card.issued_at.date().isoformat(),
        revoked=not card.is_current,
        qr_src=signing.card_qr_png(card),
    )


def filename(card: ReportCard | None, section: Section, period: str) -> str:
    """report-card-<school code>-<class>-<period>[-<student>-v<version>].pdf"""
    label = "".join(ch for ch in section.label if ch.isalnum())
    base = f"report-card-{section.school.code}-{label}-{period}"
    return f"{base}-{card.student_id}-v{card.version}.pdf" if card else f"{base}.pdf"
