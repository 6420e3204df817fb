"""The monthly attendance register (SPEC §3) as a pure computation.

Given the month's days, the students with the dates they were on the roll, and the
current marks of every meeting, build the paper register: one row per student, two
columns a day (forenoon, afternoon), each cell the running count of meetings
attended this month (§3.4) or A / L / D; Sundays and holidays written in; totals
per meeting, the average, the month's and the carried-forward totals.
"""

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from hazri.attendance import rules
from hazri.common.figures import percent, ratio
from hazri.org.calendar import DayStatus
from hazri.people.roll import RollEntry, order_roll


class CellKind(enum.StrEnum):
    ATTENDED = "attended"  # P: the running count
    DUTY = "duty"  # D: counts as present, written D
    ABSENT = "absent"
    LEAVE = "leave"
    NOT_MARKED = "not_marked"  # a school day whose meeting was never marked
    NOT_ON_ROLL = "not_on_roll"  # before admission or after leaving
    CLOSED = "closed"  # Sunday, holiday: written in the column header
    FUTURE = "future"


@dataclass(frozen=True)
class Change:
    """An earlier version of a cell, kept visible (§3.7)."""

    code: str
    by: str
    at: dt.datetime
    note: str
    after_certification: bool = False


@dataclass(frozen=True)
class Cell:
    kind: CellKind
    text: str
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Column:
    day: dt.date
    meeting: int
    status: DayStatus

    @property
    def open(self) -> bool:
        return self.status.is_school_day


@dataclass(frozen=True)
class StudentOnRoll:
    id: int
    name: str
    name_local: str
    admission_no: str
    origin: str
    admitted_on: dt.date
    roll_no: int | None
    spells: tuple[tuple[dt.date, dt.date | None], ...]  # enrolled from, to (None: still)

    def on_roll(self, day: dt.date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in self.spells)


@dataclass(frozen=True)
class Carried:
    """Meetings attended and held in the session before this month."""

    attended: int = 0
    held: int = 0


@dataclass
class Row:
    student: StudentOnRoll
    cells: list[Cell]
    attended: int
    held: int
    carried: Carried

    @property
    def total_attended(self) -> int:
        return self.carried.attended + self.attended

    @property
    def total_held(self) -> int:
        return self.carried.held + self.held

    @property
    def percent(self) -> float | None:
        return percent(self.total_attended, self.total_held)


@dataclass(frozen=True)
class ColumnTotal:
    present: int
    absent: int
    leave: int
    marked: bool


@dataclass
class Grid:
    columns: list[Column]
    rows: list[Row]
    totals: list[ColumnTotal]
    on_roll_at_end: int
    meetings_held: int
    attended: int = field(default=0)

    @property
    def average_per_meeting(self) -> float | None:
        """Average attendance per meeting held (§3.6)."""
        return ratio(self.attended, self.meetings_held)


# A meeting's current marks by student, and the superseded versions of each cell.
Marks = Mapping[tuple[dt.date, int], Mapping[int, str]]
History = Mapping[tuple[dt.date, int, int], Sequence[Change]]


def build_grid(
    *,
    days: Sequence[dt.date],
    statuses: Mapping[dt.date, DayStatus],
    meetings_per_day: int,
    students: Sequence[StudentOnRoll],
    marks: Marks,
    history: History,
    carried: Mapping[int, Carried],
    today: dt.date,
) -> Grid:
    columns = [
        Column(day=day, meeting=meeting, status=statuses[day])
        for day in days
        for meeting in range(1, meetings_per_day + 1)
    ]
    ordered = order_roll(
        RollEntry(
            member=s.id, name=s.name, origin=s.origin, admitted_on=s.admitted_on, roll_no=s.roll_no
        )
        for s in students
    )
    by_id = {s.id: s for s in students}
    rows = [_row(by_id[entry.member], columns, marks, history, carried, today) for entry in ordered]
    totals = []
    for index, column in enumerate(columns):
        cells = [row.cells[index] for row in rows]
        totals.append(
            ColumnTotal(
                present=sum(c.kind in (CellKind.ATTENDED, CellKind.DUTY) for c in cells),
                absent=sum(c.kind == CellKind.ABSENT for c in cells),
                leave=sum(c.kind == CellKind.LEAVE for c in cells),
                marked=(column.day, column.meeting) in marks,
            )
        )
    last_day = days[-1] if days else today
    end = min(last_day, today)
    return Grid(
        columns=columns,
        rows=rows,
        totals=totals,
        on_roll_at_end=sum(s.on_roll(end) for s in students),
        meetings_held=sum(t.marked for t in totals),
        attended=sum(t.present for t in totals),
    )


def _row(
    student: StudentOnRoll,
    columns: Sequence[Column],
    marks: Marks,
    history: History,
    carried: Mapping[int, Carried],
    today: dt.date,
) -> Row:
    cells: list[Cell] = []
    count = held = 0
    for column in columns:
        key = (column.day, column.meeting)
        if not column.open:
            cells.append(Cell(CellKind.CLOSED, ""))
            continue
        if not student.on_roll(column.day):
            cells.append(Cell(CellKind.NOT_ON_ROLL, ""))
            continue
        code = marks.get(key, {}).get(student.id)
        if code is None:
            kind = CellKind.FUTURE if column.day > today else CellKind.NOT_MARKED
            cells.append(Cell(kind, ""))
            continue
        held += 1
        changes = tuple(history.get((column.day, column.meeting, student.id), ()))
        if code in rules.ATTENDED_CODES:
            count += 1
            text = str(count) if code == rules.PRESENT else rules.DUTY
            kind = CellKind.ATTENDED if code == rules.PRESENT else CellKind.DUTY
            cells.append(Cell(kind, text, changes))
        elif code == rules.ABSENT:
            cells.append(Cell(CellKind.ABSENT, rules.ABSENT, changes))
        else:
            cells.append(Cell(CellKind.LEAVE, rules.LEAVE, changes))
    return Row(
        student=student,
        cells=cells,
        attended=count,
        held=held,
        carried=carried.get(student.id, Carried()),
    )
