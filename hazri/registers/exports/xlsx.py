"""The register as a spreadsheet (openpyxl): the same grid as the paper page, with real
formulas for every total so that a clerk can check the arithmetic.

Cells hold the running count as a number and A / L / D as text, so per student
  attended this month = COUNT(row) + COUNTIF(row, "D")
  held this month     = attended + COUNTIF(row, "A") + COUNTIF(row, "L")
and per meeting present = COUNT(column) + COUNTIF(column, "D"), absent and leave are
COUNTIFs. Carried-forward figures are values (they come from earlier months); the
running totals and the percentage are formulas over them.
"""

import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from hazri.registers.exports.layout import Sheet, build_sheet, meeting_legend
from hazri.registers.grid import CellKind
from hazri.registers.selectors import Register

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TITLE_ROW, META_ROW, HEAD_ROW, FIRST_ROW = 1, 2, 4, 6
FIRST_MEETING_COLUMN = 4  # A: No., B: S.R. No., C: Name

RED = Font(color="C62828", bold=True)
BOLD = Font(bold=True)
GREY_TEXT = Font(color="8A8A8A")
CLOSED_FILL = PatternFill("solid", fgColor="E3E6E8")
OFF_FILL = PatternFill("solid", fgColor="D9D9D9")
HEAD_FILL = PatternFill("solid", fgColor="EEF2EE")
NATIONAL_FILL = PatternFill("solid", fgColor="FFE9CC")
CHANGED_FILL = PatternFill("solid", fgColor="FFF3C4")
THIN = Side(style="thin", color="9E9E9E")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
VERTICAL = Alignment(horizontal="center", vertical="center", text_rotation=90)


def put_text(cell: Cell, value: str) -> Cell:
    """Text stays text: a name starting with "=" is not a formula (no injection)."""
    cell.value = value
    if value.startswith(("=", "+", "-", "@")):
        cell.data_type = "s"
    return cell


@dataclass(frozen=True)
class Columns:
    """Where the per-student summary columns sit, right of the meetings."""

    last_meeting: int
    month: int
    month_held: int
    carried: int
    carried_held: int
    total: int
    total_held: int
    percent: int

    @classmethod
    def after(cls, meeting_count: int) -> "Columns":
        last = FIRST_MEETING_COLUMN + meeting_count - 1
        return cls(last, *range(last + 1, last + 8))


def _headers(ws: Worksheet, sheet: Sheet, cols: Columns) -> None:
    two = sheet.meetings_per_day > 1
    for column, label in enumerate([gettext("No."), gettext("S.R. No."), gettext("Name")], start=1):
        put_text(ws.cell(HEAD_ROW, column), label)
        ws.merge_cells(
            start_row=HEAD_ROW, end_row=HEAD_ROW + 1, start_column=column, end_column=column
        )
    column = FIRST_MEETING_COLUMN
    for head in sheet.heads:
        top = ws.cell(HEAD_ROW, column, f"{head.day.day}\n{head.weekday}")
        if head.national:
            top.fill = NATIONAL_FILL
            top.comment = Comment(head.label, "Hazri")
        if head.span > 1:
            ws.merge_cells(
                start_row=HEAD_ROW, end_row=HEAD_ROW, start_column=column, end_column=column + 1
            )
        for offset, (number, _word) in enumerate(head.meetings):
            below = ws.cell(HEAD_ROW + 1, column + offset)
            if head.open and two:
                below.value = number
            if not head.open:
                below.fill = CLOSED_FILL
        if not head.open:
            top.fill = CLOSED_FILL
        column += head.span
    summary = [
        (cols.month, gettext("This month")),
        (cols.month_held, gettext("Held this month")),
        (cols.carried, gettext("Carried forward")),
        (cols.carried_held, gettext("Held before")),
        (cols.total, gettext("Total")),
        (cols.total_held, gettext("Held in all")),
        (cols.percent, "%"),
    ]
    for column, label in summary:
        put_text(ws.cell(HEAD_ROW, column), label)
        ws.merge_cells(
            start_row=HEAD_ROW, end_row=HEAD_ROW + 1, start_column=column, end_column=column
        )
    for row in ws.iter_rows(min_row=HEAD_ROW, max_row=HEAD_ROW + 1, max_col=cols.percent):
        for cell in row:
            cell.alignment = CENTER
            cell.font = BOLD
            cell.border = BOX
            if cell.fill.fgColor.rgb in (None, "00000000"):
                cell.fill = HEAD_FILL


def _student_rows(ws: Worksheet, sheet: Sheet, cols: Columns) -> int:
    first, last = get_column_letter(FIRST_MEETING_COLUMN), get_column_letter(cols.last_meeting)
    letter = get_column_letter
    r = FIRST_ROW
    for row in sheet.rows:
        ws.cell(r, 1, row.number)
        put_text(ws.cell(r, 2), row.admission_no)
        put_text(ws.cell(r, 3), row.name)
        column = FIRST_MEETING_COLUMN
        for cell in row.cells:
            _meeting_cell(ws.cell(r, column), cell.kind, cell.text, cell.title)
            column += 1
        span = f"{first}{r}:{last}{r}"
        month, held = f"{letter(cols.month)}{r}", f"{letter(cols.month_held)}{r}"
        carried, carried_held = f"{letter(cols.carried)}{r}", f"{letter(cols.carried_held)}{r}"
        total, total_held = f"{letter(cols.total)}{r}", f"{letter(cols.total_held)}{r}"
        ws[month] = f'=COUNT({span})+COUNTIF({span},"D")'
        ws[held] = f'={month}+COUNTIF({span},"A")+COUNTIF({span},"L")'
        ws[carried] = row.row.carried.attended
        ws[carried_held] = row.row.carried.held
        ws[total] = f"={month}+{carried}"
        ws[total_held] = f"={held}+{carried_held}"
        percent = ws.cell(
            r, cols.percent, f'=IF({total_held}=0,"",ROUND(100*{total}/{total_held},1))'
        )
        percent.number_format = "0.0"
        r += 1
    return r - 1


def _meeting_cell(target: Cell, kind: CellKind, text: str, title: str) -> None:
    if kind == CellKind.ATTENDED:
        target.value = int(text)
    elif kind in (CellKind.ABSENT, CellKind.LEAVE, CellKind.DUTY):
        target.value = text
        if kind == CellKind.ABSENT:
            target.font = RED
    elif kind == CellKind.NOT_MARKED:
        target.value = text
        target.font = GREY_TEXT
    elif kind == CellKind.NOT_ON_ROLL:
        target.fill = OFF_FILL
    elif kind == CellKind.CLOSED:
        target.fill = CLOSED_FILL
    if title:
        target.fill = CHANGED_FILL
        target.comment = Comment(title, "Hazri")


def _closed_labels(ws: Worksheet, sheet: Sheet, last_row: int) -> None:
    """Sundays and holidays written down their columns, as on paper."""
    column = FIRST_MEETING_COLUMN
    for head in sheet.heads:
        if not head.open and last_row >= FIRST_ROW:
            put_text(ws.cell(FIRST_ROW, column), head.label).alignment = VERTICAL
            ws.merge_cells(
                start_row=FIRST_ROW,
                end_row=last_row,
                start_column=column,
                end_column=column + head.span - 1,
            )
        column += head.span


def _totals(ws: Worksheet, sheet: Sheet, cols: Columns, last_row: int) -> None:
    r = last_row + 1
    present_row, absent_row, leave_row = r, r + 1, r + 2
    held_row, average_row, roll_row = r + 3, r + 4, r + 5
    formulas = {
        present_row: (gettext("Present"), 'COUNT({span})+COUNTIF({span},"D")'),
        absent_row: (gettext("Absent"), 'COUNTIF({span},"A")'),
        leave_row: (gettext("Leave"), 'COUNTIF({span},"L")'),
    }
    totals = sheet.register.grid.totals
    for row, (label, formula) in formulas.items():
        put_text(ws.cell(row, 1), label).font = BOLD
        ws.merge_cells(start_row=row, end_row=row, start_column=1, end_column=3)
        for index, total in enumerate(totals):
            column = FIRST_MEETING_COLUMN + index
            target = ws.cell(row, column)
            if not sheet.register.grid.columns[index].open:
                target.fill = CLOSED_FILL
            elif total.marked and last_row >= FIRST_ROW:
                letter = get_column_letter(column)
                target.value = "=" + formula.format(span=f"{letter}{FIRST_ROW}:{letter}{last_row}")
    first, last = get_column_letter(FIRST_MEETING_COLUMN), get_column_letter(cols.last_meeting)
    present_span = f"{first}{present_row}:{last}{present_row}"
    ws.cell(present_row, cols.month, f"=SUM({present_span})")
    labels = {
        held_row: (gettext("Meetings held"), f"=COUNT({present_span})"),
        average_row: (
            gettext("Average attendance per meeting"),
            f'=IF(D{held_row}=0,"",ROUND(SUM({present_span})/D{held_row},1))',
        ),
        roll_row: (gettext("Students on roll at month end"), sheet.on_roll_at_end),
    }
    for row, (label, value) in labels.items():
        put_text(ws.cell(row, 1), label).font = BOLD
        ws.merge_cells(start_row=row, end_row=row, start_column=1, end_column=3)
        cell = ws.cell(row, FIRST_MEETING_COLUMN, value)
        cell.font = BOLD
        cell.number_format = "0.0" if row == average_row else "0"
        ws.merge_cells(
            start_row=row,
            end_row=row,
            start_column=FIRST_MEETING_COLUMN,
            end_column=FIRST_MEETING_COLUMN + 3,
        )


def _notes(ws: Worksheet, sheet: Sheet, row: int) -> None:
    lines = [sheet.certification_text, meeting_legend(sheet.meetings_per_day)]
    if sheet.footnotes:
        lines.append(gettext("Changes to this month"))
        lines += [f"{n.number}. {n.where}: {n.text}" for n in sheet.footnotes]
    for offset, line in enumerate(lines):
        put_text(ws.cell(row + offset, 1), line)


def _layout(ws: Worksheet, cols: Columns, last_row: int) -> None:
    widths = {1: 5, 2: 9, 3: 24}
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width
    for column in range(FIRST_MEETING_COLUMN, cols.last_meeting + 1):
        ws.column_dimensions[get_column_letter(column)].width = 3.8
    for column in range(cols.month, cols.percent + 1):
        ws.column_dimensions[get_column_letter(column)].width = 8.5
    ws.row_dimensions[HEAD_ROW].height = 30
    ws.freeze_panes = ws.cell(FIRST_ROW, FIRST_MEETING_COLUMN)
    for row in ws.iter_rows(min_row=FIRST_ROW, max_row=last_row + 3, max_col=cols.percent):
        for cell in row:
            cell.border = BOX
            if cell.column > 3 and cell.alignment.text_rotation != 90:
                cell.alignment = CENTER
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW + 1}"
    ws.print_title_cols = "A:C"


def sheet_workbook(sheet: Sheet) -> Workbook:
    workbook = Workbook()
    ws: Any = workbook.active
    register = sheet.register
    ws.title = f"{register.month:%Y-%m}"
    cols = Columns.after(len(register.grid.columns))
    title = gettext("Attendance register") + f" · {sheet.school_name} · "
    title += gettext("Class %(label)s") % {"label": sheet.section_label} + f" · {sheet.month_label}"
    put_text(ws.cell(TITLE_ROW, 1), title).font = Font(bold=True, size=13)
    meta = f"{gettext('UDISE code')} {register.school.code} · {gettext('Session')} "
    meta += f"{register.section.academic_year.name} · {sheet.certification_text}"
    put_text(ws.cell(META_ROW, 1), meta)
    _headers(ws, sheet, cols)
    last_row = _student_rows(ws, sheet, cols)
    _closed_labels(ws, sheet, last_row)
    _totals(ws, sheet, cols, last_row)
    _layout(ws, cols, last_row)
    _notes(ws, sheet, last_row + 8)
    return workbook


def register_xlsx(register: Register) -> bytes:
    """The month's register as XLSX bytes, in the active language."""
    buffer = io.BytesIO()
    sheet_workbook(build_sheet(register)).save(buffer)
    return buffer.getvalue()
