"""The PDF register's rows as strips of fixed-width text, for speed.

WeasyPrint lays out every table cell and every styled span on its own; a month of 60
students is 60 x 62 meeting cells plus totals, which takes seconds. So each row's
meetings (and its four sums, and each per-meeting total) are drawn as ONE cell holding
a line of text in fixed-width slots. Noto Sans digits are tabular (572/1000 em) and its
spaces have known widths, so a slot is two digits and a space: "12 ", figure space +
"7 ", or a letter padded with spaces to the same width (to within a few thousandths of
an em, the error carried into the next letter's padding so that it never adds up).
The red A's are a second line drawn over the first, blank but for the A's: no span per
A. Only the rare greyed "?" and corrected cells are spans. The grid lines and grey days
are the cell's background, a one-pixel-high PNG drawn to the same slots; the header
above uses real columns of exactly the slots' widths.
"""

import base64
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from PIL import Image  # WeasyPrint's own dependency

from hazri.registers.exports.layout import Sheet, SheetCell, SheetRow
from hazri.registers.grid import CellKind

FONT_PT = 6.5
UNITS = 1000  # Noto Sans units per em
DIGIT, SPACE, DOT = 572, 260, 268  # advances in units: tabular digits, space, full stop
TWO_DIGITS = 2 * DIGIT
EM_MM = FONT_PT * 25.4 / 72
SLOT_MM = (TWO_DIGITS + SPACE) / UNITS * EM_MM  # two meetings a day: 3.2 mm a slot
WIDE_GAP = 4  # spaces between slots when one meeting a day leaves room: 5 mm a slot
FIGURE_SPACE = "\u2007"  # as wide as a digit
PUNCTUATION_SPACE = "\u2008"  # as wide as a full stop
BLANK = FIGURE_SPACE * 2
# Noto Sans spaces and their advances (the same in bold), to pad a letter to two
# digits' width.
SPACES = {
    " ": 260,
    "\u2002": 500,
    "\u2004": 333,
    "\u2005": 250,
    "\u2006": 167,
    "\u2009": 166,
    "\u200a": 100,
    "\u205f": 222,
}
LETTERS = {"L": 524, "D": 730, "A": 690}  # A is drawn bold
SHADED = {CellKind.CLOSED, CellKind.NOT_ON_ROLL}
# The four sums right of the meetings: this month (2 digits), carried forward and
# total (3 digits each), percentage ("100.0"); each followed by a gap of six spaces.
SUM_DIGITS = (2, 3, 3, 4)
SUM_GAP = 6 * SPACE


@lru_cache(maxsize=64)
def _pads(target: int) -> tuple[tuple[int, str], ...]:
    """Runs of one to four spaces about `target` units wide, as (error, text)."""
    found: dict[int, str] = {}
    for count in range(1, 5):
        for combo in itertools.combinations_with_replacement(sorted(SPACES), count):
            error = sum(SPACES[c] for c in combo) - target
            if abs(error) <= 20:
                found.setdefault(error, "".join(combo))
    return tuple(sorted(found.items()))


class Padder:
    """Pads letters to two digits' width; each error is paid back by the next letter."""

    def __init__(self) -> None:
        self.drift = 0  # units this line is ahead of the ideal slots

    def pad(self, letter: str) -> str:
        room = TWO_DIGITS - LETTERS[letter]
        half = room // 2
        left_error, left = min(_pads(half), key=lambda item: abs(item[0]))
        rest = room - half - left_error  # what the right side must fill exactly
        error, right = min(_pads(rest), key=lambda item: abs(self.drift + item[0]))
        self.drift += error
        return left + letter + right


def sum_widths_mm() -> list[float]:
    widths = [(digits * DIGIT + SUM_GAP) / UNITS * EM_MM for digits in SUM_DIGITS]
    widths[-1] += DOT / UNITS * EM_MM
    return widths


@dataclass(frozen=True)
class Line:
    black: SafeString
    red: SafeString  # "" when the row has no A


def slot_mm(gap: str) -> float:
    return (TWO_DIGITS + SPACE * len(gap)) / UNITS * EM_MM


def meeting_line(cells: Sequence[SheetCell], gap: str = " ") -> Line:
    """A student's meetings as two layers of slots: everything but the A's, and the A's."""
    black: list[str] = []
    red: list[str] = []
    ink, reds = Padder(), Padder()
    any_red = False
    for cell in cells:
        kind, text = cell.kind, cell.text
        if kind == CellKind.ABSENT:
            body, top = BLANK, reds.pad("A")
            any_red = True
        elif kind in (CellKind.LEAVE, CellKind.DUTY):
            body, top = ink.pad(text), BLANK
        elif kind == CellKind.ATTENDED and len(text) <= 2:
            body, top = text.rjust(2, FIGURE_SPACE), BLANK
        elif kind == CellKind.NOT_MARKED:
            body, top = '<span class="nm">?</span>', BLANK  # padded by the CSS
        elif kind in (CellKind.CLOSED, CellKind.NOT_ON_ROLL, CellKind.FUTURE):
            body, top = BLANK, BLANK  # the background says which
        else:  # a count over 99: cannot happen with two meetings a day
            body, top = escape(text), BLANK
        if cell.note:
            body = f'<span class="ch">{body}</span>'
        black.append(body + gap)
        red.append(top + gap)
    # Every piece is digits, spaces, a letter or fixed markup: nothing to escape.
    return Line(mark_safe("".join(black)), mark_safe("".join(red)) if any_red else mark_safe(""))


def number_slots(values: Sequence[str], gap: str = " ") -> SafeString:
    """Totals under the meetings: up to two digits each, or blank."""
    return mark_safe(
        "".join(v.rjust(2, FIGURE_SPACE) + gap if len(v) <= 2 else escape(v) + gap for v in values)
    )


def sums(row: SheetRow) -> str:
    gap = " " * (SUM_GAP // SPACE)
    values = (row.row.attended, row.row.carried.attended, row.row.total_attended)
    text = "".join(
        str(v).rjust(d, FIGURE_SPACE) + gap for v, d in zip(values, SUM_DIGITS, strict=False)
    )
    percent = row.percent
    if percent:
        return text + percent.rjust(5, FIGURE_SPACE)
    return text + FIGURE_SPACE * 3 + PUNCTUATION_SPACE + "–"


BACKGROUND_DPI = 600
THIN_LINE, THICK_LINE, SHADE = (0xB5, 0xB5, 0xB5), (0x55, 0x55, 0x55), (0xDC, 0xDF, 0xE2)


@lru_cache(maxsize=256)
def background(
    widths: tuple[float, ...], thick_every: int, shaded: frozenset[int] = frozenset()
) -> str:
    """Lines between fields of the given widths (mm), thicker every `thick_every`
    fields, grey behind the `shaded` fields: a PNG data URL one pixel high, stretched
    down the cell, drawn once and referenced by every row that shares it."""
    per_mm = BACKGROUND_DPI / 25.4
    edges = [0.0]
    for width in widths:
        edges.append(edges[-1] + width)
    size = round(edges[-1] * per_mm)
    pixels = bytearray(b"\xff" * (3 * size))

    def paint(start_mm: float, end_mm: float, colour: tuple[int, int, int]) -> None:
        first, last = max(0, round(start_mm * per_mm)), min(size, round(end_mm * per_mm))
        pixels[3 * first : 3 * last] = bytes(colour) * max(0, last - first)

    for field in shaded:
        paint(edges[field], edges[field + 1], SHADE)
    for index, x in enumerate(edges[1:-1], start=1):
        if index % thick_every:
            paint(x - 0.05, x + 0.05, THIN_LINE)
        else:
            paint(x - 0.12, x + 0.12, THICK_LINE)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (size, 1), bytes(pixels)).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def meeting_background(slots: int, per_day: int, shaded: frozenset[int], gap: str = " ") -> str:
    return background((slot_mm(gap),) * slots, per_day, shaded)


@dataclass(frozen=True)
class StripRow:
    row: SheetRow
    line: Line
    sums: str
    background: str  # "" when the month's common background fits


@dataclass(frozen=True)
class StripTotal:
    label: str
    line: SafeString
    key: str


@dataclass(frozen=True)
class HeadSegment:
    """A run of open days' meeting numbers as one header cell, or a closed day."""

    span: int
    numbers: SafeString  # "" for a closed day
    background: str
    label: str  # the closed day's name, written up its column


def head_segments(sheet: Sheet, gap: str = " ") -> list[HeadSegment]:
    per_day = sheet.meetings_per_day
    segments: list[HeadSegment] = []
    run: list[int] = []

    def close_run() -> None:
        if run:
            numbers = number_slots([str(n) for n in run], gap)
            lines = background((slot_mm(gap),) * len(run), per_day)
            segments.append(HeadSegment(len(run), numbers, lines, ""))
            run.clear()

    for head in sheet.heads:
        if head.open:
            run.extend(number for number, _word in head.meetings)
            continue
        close_run()
        segments.append(HeadSegment(head.span, mark_safe(""), "", head.label))
    close_run()
    return segments


@dataclass(frozen=True)
class Strips:
    rows: list[StripRow]
    totals: list[StripTotal]
    head: list[HeadSegment]
    background: str  # the month's: lines, grey Sundays and holidays
    sums_background: str
    widths: dict[str, Any]  # CSS lengths for the template


def build_strips(sheet: Sheet, *, page_width_mm: float, fixed_mm: Sequence[float]) -> Strips:
    slots, per_day = sheet.column_count, sheet.meetings_per_day
    gap = " " * (1 if per_day > 1 else WIDE_GAP)
    slot = slot_mm(gap)
    closed = frozenset(i for i, c in enumerate(sheet.register.grid.columns) if not c.open)
    rows = []
    for row in sheet.rows:
        cells = row.cells
        shaded = frozenset(i for i, cell in enumerate(cells) if cell.kind in SHADED)
        own = "" if shaded == closed else meeting_background(slots, per_day, shaded, gap)
        rows.append(StripRow(row, meeting_line(cells, gap), sums(row), own))
    totals = [
        StripTotal(
            total.label,
            number_slots([value for _head, day in total.days for value in day], gap),
            total.key,
        )
        for total in sheet.totals
    ]
    sum_widths = sum_widths_mm()
    strip_mm = slots * slot
    name_mm = max(20.0, min(60.0, page_width_mm - sum(fixed_mm) - strip_mm - sum(sum_widths)))
    table_mm = sum(fixed_mm) + name_mm + strip_mm + sum(sum_widths)
    return Strips(
        rows=rows,
        totals=totals,
        head=head_segments(sheet, gap),
        background=meeting_background(slots, per_day, closed, gap),
        sums_background=background(tuple(sum_widths), len(sum_widths)),
        widths={
            "slot": f"{slot:.4f}mm",
            "strip": f"{strip_mm:.3f}mm",
            "name": f"{name_mm:.2f}mm",
            "table": f"{table_mm:.2f}mm",
            "sums": [f"{width:.4f}mm" for width in sum_widths],
            "sums_strip": f"{sum(sum_widths):.3f}mm",
            "pad": f"{SPACE * len(gap) / 2 / UNITS}em",  # centres a slot's two digits
            "sums_pad": f"{SUM_GAP / 2 / UNITS}em",
            "line": f"{FONT_PT * 1.25}pt",
        },
    )
