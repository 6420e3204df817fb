"""The register laid out as the paper page (SPEC §3.4–3.6), shared by the web page, the
PDF and the spreadsheet: day headings, labelled cells with their footnotes, totals.

Built in the active language: names in Devanagari, weekdays and labels in Hindi on a
Hindi page. Nothing here touches the database beyond what the Register already holds.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext, pgettext

from hazri.accounts.names import person_name
from hazri.attendance import rules
from hazri.attendance.models import RollCall
from hazri.common import localize
from hazri.org.calendar import DayKind
from hazri.registers.grid import Cell, CellKind, Change, Column, Row
from hazri.registers.selectors import Register

# The letter a cell stands for, by kind (the running count is a P).
CODE_OF_KIND = {
    CellKind.ATTENDED: rules.PRESENT,
    CellKind.DUTY: rules.DUTY,
    CellKind.ABSENT: rules.ABSENT,
    CellKind.LEAVE: rules.LEAVE,
}
CSS_OF_KIND = {
    CellKind.ATTENDED: "p",
    CellKind.DUTY: "d",
    CellKind.ABSENT: "a",
    CellKind.LEAVE: "l",
    CellKind.NOT_MARKED: "nm",
    CellKind.NOT_ON_ROLL: "off",
    CellKind.CLOSED: "closed",
    CellKind.FUTURE: "fut",
}
NOT_MARKED_TEXT = "?"


def localized(name: str, name_local: str) -> str:
    return localize.local_name(name, name_local)


def meeting_word(meeting: int, meetings_per_day: int) -> str:
    if meetings_per_day < 2:
        return ""
    return str(RollCall.Meeting(meeting).label) if meeting in (1, 2) else str(meeting)


@dataclass(frozen=True)
class DayHead:
    day: dt.date
    weekday: str  # "Thu" / "गुरु"
    kind: str  # DayKind value
    open: bool
    national: bool
    label: str  # written down the column when closed; the day's name otherwise
    meetings: tuple[tuple[int, str], ...]  # number in the month (day 2 has 3, 4) and word
    span: int


@dataclass(frozen=True)
class SheetCell:
    kind: CellKind
    text: str
    css: str
    note: int | None = None  # footnote number of a changed cell
    title: str = ""


@dataclass(frozen=True)
class DayCells:
    head: DayHead
    cells: list[SheetCell]


@dataclass(frozen=True)
class SheetRow:
    number: int
    admission_no: str
    name: str
    days: list[DayCells]
    row: Row

    @property
    def cells(self) -> list[SheetCell]:
        return [cell for group in self.days for cell in group.cells]

    @property
    def percent(self) -> str:
        percent = self.row.percent
        return "" if percent is None else f"{percent:.1f}"


@dataclass(frozen=True)
class TotalRow:
    key: str  # present / absent / leave
    label: str
    days: list[tuple[DayHead, list[str]]]


@dataclass(frozen=True)
class Footnote:
    number: int
    where: str
    text: str
    after_certification: bool


@dataclass(frozen=True)
class Sheet:
    register: Register
    school_name: str
    section_label: str
    month_label: str
    meetings_per_day: int
    heads: list[DayHead]
    rows: list[SheetRow]
    totals: list[TotalRow]
    footnotes: list[Footnote]
    certification_text: str
    average: str
    on_roll_at_end: int
    meetings_held: int
    attended: int

    @property
    def column_count(self) -> int:
        return sum(head.span for head in self.heads)


def day_label(column: Column) -> str:
    status = column.status
    name = localized(status.name, status.name_local)
    if status.kind == DayKind.WEEKLY_OFF:
        return name or localize.day(column.day, "l")
    if status.kind == DayKind.HOLIDAY:
        return name or gettext("Holiday")
    if status.kind == DayKind.NATIONAL_DAY:
        return name or gettext("National day")
    return name


def _heads(columns: list[Column], meetings_per_day: int) -> list[DayHead]:
    heads = []
    for index in range(0, len(columns), meetings_per_day):
        column = columns[index]
        day = column.day
        heads.append(
            DayHead(
                day=day,
                weekday=localize.day(day, "D"),
                kind=column.status.kind.value,
                open=column.open,
                national=column.status.kind == DayKind.NATIONAL_DAY,
                label=day_label(column),
                meetings=tuple(
                    ((day.day - 1) * meetings_per_day + m, meeting_word(m, meetings_per_day))
                    for m in range(1, meetings_per_day + 1)
                ),
                span=meetings_per_day,
            )
        )
    return heads


def change_text(change: Change, zone: ZoneInfo) -> str:
    values = {
        "code": change.code,
        "by": change.by,
        "time": localize.moment(change.at.astimezone(zone), "H:i, j M"),
        "note": change.note,
    }
    if change.note:
        text = gettext("was %(code)s; changed by %(by)s at %(time)s: %(note)s") % values
    else:
        text = gettext("was %(code)s; changed by %(by)s at %(time)s") % values
    if change.after_certification:
        text = gettext("After certification: %(change)s") % {"change": text}
    return text


def _where(name: str, column: Column, meetings_per_day: int) -> str:
    where = f"{name}, {localize.day(column.day, 'j M')}"
    word = meeting_word(column.meeting, meetings_per_day)
    return f"{where}, {word}" if word else where


def build_sheet(register: Register) -> Sheet:
    grid = register.grid
    days = register.days
    meetings_per_day = max(1, len(grid.columns) // len(days)) if days else 1
    heads = _heads(grid.columns, meetings_per_day)
    zone = ZoneInfo(register.school.timezone)
    footnotes: list[Footnote] = []
    rows = []
    for position, row in enumerate(grid.rows, start=1):
        student = row.student
        name = localized(student.name, student.name_local)
        cells = []
        for column, cell in zip(grid.columns, row.cells, strict=True):
            cells.append(_cell(cell, column, name, meetings_per_day, zone, footnotes))
        rows.append(
            SheetRow(
                number=student.roll_no or position,
                admission_no=student.admission_no,
                name=name,
                days=[
                    DayCells(head, cells[i * meetings_per_day : (i + 1) * meetings_per_day])
                    for i, head in enumerate(heads)
                ],
                row=row,
            )
        )
    return Sheet(
        register=register,
        school_name=localized(register.school.name, register.school.name_local),
        section_label=register.section.label,
        month_label=localize.month(register.month),
        meetings_per_day=meetings_per_day,
        heads=heads,
        rows=rows,
        totals=_totals(register, heads, meetings_per_day),
        footnotes=footnotes,
        certification_text=certification_text(register),
        average="" if grid.average_per_meeting is None else f"{grid.average_per_meeting:.1f}",
        on_roll_at_end=grid.on_roll_at_end,
        meetings_held=grid.meetings_held,
        attended=grid.attended,
    )


def _cell(
    cell: Cell,
    column: Column,
    name: str,
    meetings_per_day: int,
    zone: ZoneInfo,
    footnotes: list[Footnote],
) -> SheetCell:
    text = NOT_MARKED_TEXT if cell.kind == CellKind.NOT_MARKED else cell.text
    if not cell.changes:
        return SheetCell(cell.kind, text, CSS_OF_KIND[cell.kind])
    number = len(footnotes) + 1
    texts = [change_text(change, zone) for change in cell.changes]
    after = any(change.after_certification for change in cell.changes)
    footnotes.append(
        Footnote(
            number=number,
            where=_where(name, column, meetings_per_day),
            text="; ".join(texts),
            after_certification=after,
        )
    )
    css = CSS_OF_KIND[cell.kind] + " changed" + (" after-cert" if after else "")
    return SheetCell(cell.kind, text, css, note=number, title=" · ".join(texts))


def _totals(register: Register, heads: list[DayHead], meetings_per_day: int) -> list[TotalRow]:
    totals = register.grid.totals
    labels = [
        ("present", gettext("Present")),
        ("absent", gettext("Absent")),
        ("leave", gettext("Leave")),
    ]
    rows = []
    for key, label in labels:
        days = []
        for index, head in enumerate(heads):
            values = totals[index * meetings_per_day : (index + 1) * meetings_per_day]
            days.append((head, [str(getattr(t, key)) if t.marked else "" for t in values]))
        rows.append(TotalRow(key=key, label=label, days=days))
    return rows


def certification_text(register: Register) -> str:
    certification = register.certification
    if certification is None:
        return gettext("Not certified yet.")
    head = certification.certified_by
    zone = ZoneInfo(register.school.timezone)
    return gettext("Certified by %(head)s on %(date)s, checked by %(checker)s.") % {
        "head": person_name(head),
        "date": localize.day(certification.certified_at.astimezone(zone), "j F Y"),
        "checker": certification.checked_by,
    }


@dataclass(frozen=True)
class PendingChange:
    rollcall: RollCall
    when: str  # "1 Oct, Forenoon"
    by: str
    at: str
    note: str
    changes: list[str]  # "Bhavna Meena: A → P"


def pending_changes(register: Register) -> list[PendingChange]:
    """Changes to a certified month waiting for an officer, each with what it would change."""
    grid = register.grid
    zone = ZoneInfo(register.school.timezone)
    index = {(c.day, c.meeting): i for i, c in enumerate(grid.columns)}
    meetings_per_day = max(1, len(grid.columns) // len(register.days))
    names = {
        row.student.id: localized(row.student.name, row.student.name_local) for row in grid.rows
    }
    items = []
    for rollcall in register.pending:
        position = index.get((rollcall.day, rollcall.meeting))
        current = {
            row.student.id: CODE_OF_KIND.get(row.cells[position].kind, "")
            for row in grid.rows
            if position is not None
        }
        changes = []
        for student, code in rules.unpack_marks(rollcall.roster.members, rollcall.marks):
            before = current.get(student, "")
            if before != code:
                changes.append(f"{names.get(student, f'#{student}')}: {before or '–'} → {code}")
        when = localize.day(rollcall.day, "j M")
        word = meeting_word(rollcall.meeting, meetings_per_day)
        taker = rollcall.taken_by
        items.append(
            PendingChange(
                rollcall=rollcall,
                when=f"{when}, {word}" if word else when,
                by=person_name(taker),
                at=localize.moment(rollcall.captured_at.astimezone(zone), "j M, H:i"),
                note=rollcall.note,
                changes=changes,
            )
        )
    return items


def column_heading(meetings_per_day: int) -> str:
    """Said at the head of the register's table, on every page: its columns run by date,
    a student's number by meeting (a reader who takes "23" under the 12th for a count of
    days is wrong by half)."""
    if meetings_per_day > 1:
        return pgettext(
            "register heading",
            "Columns are the days of the month by date, each split into its forenoon and "
            "afternoon meetings. A student's number is the count of meetings attended so "
            "far this month, not of days.",
        )
    return pgettext(
        "register heading",
        "Columns are the days of the month by date. A student's number is the count of "
        "days attended so far this month.",
    )


def meeting_legend(meetings_per_day: int) -> str:
    if meetings_per_day > 1:
        return pgettext(
            "register legend",
            "Two meetings a day: 1 and 2 are the forenoon and afternoon of the 1st, "
            "3 and 4 of the 2nd, and so on.",
        )
    return pgettext("register legend", "One meeting a day, numbered by the date.")
