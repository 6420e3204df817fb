"""The register's arithmetic, on hand-made inputs (no database)."""

import datetime as dt

from hazri.org.calendar import DayKind, DayStatus
from hazri.registers.grid import Carried, CellKind, Change, StudentOnRoll, build_grid

SCHOOL, SUNDAY = DayStatus(DayKind.SCHOOL_DAY), DayStatus(DayKind.WEEKLY_OFF)
# Thursday 1 to Monday 5 October 2026; the 4th is a Sunday.
DAYS = [dt.date(2026, 10, d) for d in range(1, 6)]
STATUSES = {day: SUNDAY if day.isoweekday() == 7 else SCHOOL for day in DAYS}
TODAY = dt.date(2026, 11, 1)


def student(
    id: int,
    name: str,
    origin: str = "promoted",
    spells=((dt.date(2026, 4, 1), None),),
    roll_no: int | None = None,
) -> StudentOnRoll:
    return StudentOnRoll(
        id=id,
        name=name,
        name_local="",
        admission_no=f"{id:03d}",
        origin=origin,
        admitted_on=spells[0][0],
        roll_no=roll_no,
        spells=tuple(spells),
    )


def marks_for(codes: dict[int, str]) -> dict:
    """codes: student -> one letter per open meeting (2 a day, Sunday skipped)."""
    open_keys = [(d, m) for d in DAYS if STATUSES[d].is_school_day for m in (1, 2)]
    return {
        key: {s: c[i] for s, c in codes.items() if i < len(c) and c[i] != "-"}
        for i, key in enumerate(open_keys)
    }


def grid(students, codes, history=None, carried=None, today=TODAY):
    marks = {k: v for k, v in marks_for(codes).items() if v}
    return build_grid(
        days=DAYS,
        statuses=STATUSES,
        meetings_per_day=2,
        students=students,
        marks=marks,
        history=history or {},
        carried=carried or {},
        today=today,
    )


def texts(row) -> list[str]:
    return [c.text for c in row.cells]


def test_the_count_runs_through_the_month_one_per_meeting_attended() -> None:
    g = grid([student(1, "Asha")], {1: "PPAPLPPP"})
    assert texts(g.rows[0]) == ["1", "2", "A", "3", "L", "4", "", "", "5", "6"]
    assert g.rows[0].attended == 6 and g.rows[0].held == 8


def test_duty_is_written_d_and_counts_as_present() -> None:
    g = grid([student(1, "Asha")], {1: "PDPPPPPP"})
    assert texts(g.rows[0])[:3] == ["1", "D", "3"]
    assert g.rows[0].attended == 8
    assert g.totals[1].present == 1


def test_sundays_are_closed_columns() -> None:
    g = grid([student(1, "Asha")], {1: "PPPPPPPP"})
    sunday = [i for i, c in enumerate(g.columns) if c.day == dt.date(2026, 10, 4)]
    assert [g.rows[0].cells[i].kind for i in sunday] == [CellKind.CLOSED, CellKind.CLOSED]
    assert not g.columns[sunday[0]].open


def test_admitted_and_leaving_mid_month() -> None:
    late = student(2, "Bela", "new", spells=((dt.date(2026, 10, 2), None),))
    gone = student(3, "Chetan", spells=((dt.date(2026, 4, 1), dt.date(2026, 10, 2)),))
    g = grid([late, gone], {2: "--PPPPPP", 3: "PPPP----"})
    by_name = {r.student.name: r for r in g.rows}
    assert [c.kind for c in by_name["Bela"].cells[:2]] == [CellKind.NOT_ON_ROLL] * 2
    assert texts(by_name["Bela"])[2:4] == ["1", "2"]
    assert [c.kind for c in by_name["Chetan"].cells[-2:]] == [CellKind.NOT_ON_ROLL] * 2
    assert g.on_roll_at_end == 1


def test_an_unmarked_meeting_is_shown_and_not_held() -> None:
    g = grid([student(1, "Asha")], {1: "PP-PPPPP"})
    assert g.rows[0].cells[2].kind == CellKind.NOT_MARKED
    assert g.rows[0].held == 7
    assert g.meetings_held == 7


def test_totals_per_meeting_and_the_average() -> None:
    students = [student(1, "Asha"), student(2, "Bela"), student(3, "Chetan")]
    g = grid(students, {1: "PPPPPPPP", 2: "AAPPPPPP", 3: "LDPPPPPP"})
    assert (g.totals[0].present, g.totals[0].absent, g.totals[0].leave) == (1, 1, 1)
    assert (g.totals[1].present, g.totals[1].absent) == (2, 1)
    assert g.attended == 1 + 2 + 6 * 3
    assert g.average_per_meeting == round(21 / 8, 1)


def test_carried_forward_running_total_and_percent() -> None:
    g = grid([student(1, "Asha")], {1: "PPAAPPPP"}, carried={1: Carried(attended=90, held=100)})
    row = g.rows[0]
    assert (row.attended, row.held) == (6, 8)
    assert (row.total_attended, row.total_held) == (96, 108)
    assert row.percent == 88.9


def test_a_future_day_is_not_yet_marked() -> None:
    g = grid([student(1, "Asha")], {1: "PP"}, today=dt.date(2026, 10, 1))
    assert g.rows[0].cells[2].kind == CellKind.FUTURE


def test_rows_follow_the_legal_order() -> None:
    students = [
        student(1, "Zoya"),
        student(2, "Kabir", "new"),
        student(3, "Yash", "repeater"),
        student(4, "Aarav"),
    ]
    g = grid(students, {})
    assert [r.student.name for r in g.rows] == ["Yash", "Aarav", "Zoya", "Kabir"]


def test_a_changed_cell_carries_its_earlier_value() -> None:
    change = Change(
        code="A", by="Ravi Verma", at=dt.datetime(2026, 10, 1, 18, tzinfo=dt.UTC), note="came late"
    )
    g = grid([student(1, "Asha")], {1: "PPPPPPPP"}, history={(DAYS[0], 1, 1): [change]})
    assert g.rows[0].cells[0].changes == (change,)
