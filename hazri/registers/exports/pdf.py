"""The register as a PDF: A4 landscape, one month per document, drawn by WeasyPrint
with the Noto fonts so that Devanagari names are shaped (conjuncts, matras), not boxes.

The header rows repeat on every page of a long roll; the page margins carry the school,
class, month and certification line, and the page number.
"""

import logging
from typing import Any

import pydyf
import weasyprint
import weasyprint.draw.text as weasy_text
from django.template.loader import render_to_string
from django.utils import translation

from hazri.registers.exports.layout import Sheet, build_sheet, column_heading, meeting_legend
from hazri.registers.exports.strips import FONT_PT, build_strips
from hazri.registers.selectors import Register

logger = logging.getLogger(__name__)

TEMPLATE = "registers/register_pdf.html"


def _with_actual_text(draw_first_line: Any) -> Any:
    """Wrap WeasyPrint's line drawing so that every line of non-ASCII text carries its
    own text as /ActualText.

    WeasyPrint maps each glyph to the characters of the first cluster it was drawn in,
    which breaks Devanagari copy-and-search: the vowel sign ा drawn first inside र्मा
    maps to nothing, and every later ा is lost. /ActualText is the PDF's answer for
    shaped scripts: readers (pdftotext, browsers, screen readers) take the text from it
    and the glyphs only for drawing."""

    def drawn_with_actual_text(stream: Any, textbox: Any, *args: Any, **kwargs: Any) -> Any:
        text = getattr(textbox, "text", "")
        if not text or text.isascii():
            return draw_first_line(stream, textbox, *args, **kwargs)
        properties = pydyf.Dictionary({"ActualText": pydyf.String(text)})
        pydyf.Stream.begin_marked_content(stream, "Span", properties)
        try:
            return draw_first_line(stream, textbox, *args, **kwargs)
        finally:
            pydyf.Stream.end_marked_content(stream)

    drawn_with_actual_text.hazri_actual_text = True  # type: ignore[attr-defined]
    return drawn_with_actual_text


def install_actual_text() -> bool:
    """Idempotent; False (and the PDF still renders, with poorer text) if this
    WeasyPrint no longer has the function it wraps."""
    current = getattr(weasy_text, "draw_first_line", None)
    if current is None:
        logger.warning("WeasyPrint has no draw_first_line: PDF text is not /ActualText")
        return False
    if not getattr(current, "hazri_actual_text", False):
        weasy_text.draw_first_line = _with_actual_text(current)
    return True


install_actual_text()


PAGE_WIDTH_MM = 297 - 2 * 7
NUMBER_MM, SR_MM = 5.5, 10.0

# A closed day's name is written up its column, on one line, in a header row as tall as
# the longest name needs (a holiday's name cut to "दीपावली अवक" is no label). Widths are
# estimated per code point: Noto Sans and Noto Sans Devanagari stay under 0.62 em
# (test_every_closed_days_name_fits_its_column measures the drawn lines).
LABEL_PT = 6.0
LABEL_EM_PER_CHAR = 0.62
LABEL_MIN_MM, LABEL_MAX_MM = 11.5, 40.0


def label_lengths_mm(sheet: Sheet) -> dict[str, str]:
    longest = max((len(head.label) for head in sheet.heads if not head.open), default=0)
    needed = longest * LABEL_EM_PER_CHAR * LABEL_PT * 25.4 / 72 + 0.8
    label = max(LABEL_MIN_MM, min(LABEL_MAX_MM, needed))
    return {
        "label": f"{label:.2f}mm",
        "label_row": f"{label + 0.5:.2f}mm",
        "label_shift": f"{label + 0.3:.2f}mm",
        # Beyond the tallest row a page can spare, a name is shortened, visibly ("…").
        "label_chars": str(int((LABEL_MAX_MM - 0.8) / (LABEL_EM_PER_CHAR * LABEL_PT * 25.4 / 72))),
    }


def sheet_html(sheet: Sheet) -> str:
    strips = build_strips(sheet, page_width_mm=PAGE_WIDTH_MM, fixed_mm=(NUMBER_MM, SR_MM))
    return render_to_string(
        TEMPLATE,
        {
            "sheet": sheet,
            "strips": strips,
            "register": sheet.register,
            "legend": meeting_legend(sheet.meetings_per_day),
            "heading": column_heading(sheet.meetings_per_day),
            "LANGUAGE_CODE": translation.get_language() or "en",
            "LANGUAGE_BIDI": translation.get_language_bidi(),
            "g": {
                **strips.widths,
                **label_lengths_mm(sheet),
                "font_pt": FONT_PT,
                "number": f"{NUMBER_MM}mm",
                "sr": f"{SR_MM}mm",
            },
        },
    )


def html_pdf(html: str) -> bytes:
    document = weasyprint.HTML(string=html, base_url=None)
    return document.write_pdf()  # type: ignore[no-any-return]


def register_pdf(register: Register) -> bytes:
    """The month's register as PDF bytes, in the active language."""
    return html_pdf(sheet_html(build_sheet(register)))
