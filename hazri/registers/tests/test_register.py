"""A section's month built from real roll calls, certification and its lock."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from hazri.attendance.models import Approval, RollCall
from hazri.attendance.services import Capture, correction_decide, rollcall_submit
from hazri.common.errors import Conflict, Forbidden, Invalid
from hazri.people.selectors import section_roll
from hazri.registers.grid import CellKind
from hazri.registers.selectors import section_register
from hazri.registers.services import month_certify
from hazri.testing.world import World

IST = ZoneInfo("Asia/Kolkata")
OCTOBER = dt.date(2026, 10, 1)
TODAY = dt.date(2026, 11, 22)


def mark(
    world: World,
    day: dt.date,
    codes: str,
    *,
    meeting: int = 1,
    by=None,
    hour: int = 8,
    note: str = "",
) -> RollCall:
    roll = [m.id for m in section_roll(world.section, day)]
    captured = dt.datetime.combine(day, dt.time(hour, 30), tzinfo=IST)
    return rollcall_submit(
        section=world.section,
        day=day,
        meeting=meeting,
        marks=list(zip(roll, codes, strict=True)),
        capture=Capture(
            client_uuid=uuid.uuid4(),
            captured_at=captured,
            note=note,
            device_clock=timezone.now(),  # the device's clock is right
        ),
        by=by or world.asha,
    ).sheet


def test_a_register_from_roll_calls(world) -> None:
    # October 2026: the 1st is a Thursday, 2 October is Gandhi Jayanti in most states but
    # not in this world's calendar; Sunday the 4th is a weekly off.
    mark(world, dt.date(2026, 10, 1), "PAPPP")
    mark(world, dt.date(2026, 10, 1), "PPPPD", meeting=2, hour=13)
    mark(world, dt.date(2026, 10, 3), "PLPPP")
    register = section_register(section=world.section, month=OCTOBER, today=TODAY)
    grid = register.grid
    assert len(grid.columns) == 31 * 2
    aarav = next(r for r in grid.rows if r.student.name == "Aarav Sharma")
    assert [c.text for c in aarav.cells[:6]] == ["1", "2", "", "", "3", ""]
    bhavna = grid.rows[1]
    assert bhavna.student.name == "Bhavna Meena"
    assert [c.kind for c in bhavna.cells[:2]] == [CellKind.ABSENT, CellKind.ATTENDED]
    kabir = grid.rows[4]
    assert kabir.cells[1].text == "D" and kabir.attended == 3
    assert (grid.totals[0].present, grid.totals[0].absent) == (4, 1)
    assert grid.meetings_held == 3 and grid.on_roll_at_end == 5
    sunday = grid.columns.index(next(c for c in grid.columns if c.day == dt.date(2026, 10, 4)))
    assert aarav.cells[sunday].kind == CellKind.CLOSED


def test_carry_forward_across_months(world) -> None:
    mark(world, dt.date(2026, 9, 30), "AAPPP")
    mark(world, dt.date(2026, 10, 1), "PPPPP")
    grid = section_register(section=world.section, month=OCTOBER, today=TODAY).grid
    aarav = grid.rows[0]
    assert (aarav.carried.attended, aarav.carried.held) == (0, 1)
    assert (aarav.total_attended, aarav.total_held, aarav.percent) == (1, 2, 50.0)


def test_a_correction_shows_the_superseded_value_with_who_and_why(world) -> None:
    mark(world, dt.date(2026, 10, 1), "PAPPP")
    mark(world, dt.date(2026, 10, 1), "PPPPP", by=world.ravi, hour=18, note="Bhavna came late")
    cell = section_register(section=world.section, month=OCTOBER, today=TODAY).grid.rows[1].cells[0]
    assert cell.text == "1"
    assert [(c.code, c.by, c.note) for c in cell.changes] == [
        ("A", "Ravi Verma", "Bhavna came late")
    ]


def test_certify_then_a_change_waits_for_the_block_officer(world) -> None:
    mark(world, dt.date(2026, 10, 1), "PAPPP")
    certification = month_certify(
        section=world.section, month=OCTOBER, checked_by="S. Mishra", by=world.ravi
    )
    assert certification.month == OCTOBER
    with pytest.raises(Conflict):
        month_certify(section=world.section, month=OCTOBER, checked_by="S. Mishra", by=world.ravi)
    pending = mark(
        world,
        dt.date(2026, 10, 1),
        "PPPPP",
        by=world.ravi,
        hour=18,
        note="Bhavna was present: marked wrongly",
    )
    assert pending.approval == Approval.PENDING and not pending.is_current
    register = section_register(section=world.section, month=OCTOBER, today=TODAY)
    assert register.grid.rows[1].cells[0].kind == CellKind.ABSENT  # unchanged until approved
    assert register.pending == [pending]
    with pytest.raises(Forbidden):
        correction_decide(rollcall=pending, approve=True, by=world.suresh)
    correction_decide(rollcall=pending, approve=True, by=world.meera)
    register = section_register(section=world.section, month=OCTOBER, today=TODAY)
    cell = register.grid.rows[1].cells[0]
    assert cell.text == "1" and cell.changes[0].after_certification
    assert register.pending == []
    with pytest.raises(Conflict):
        correction_decide(rollcall=pending, approve=False, by=world.meera)


def test_a_rejected_change_never_counts(world) -> None:
    mark(world, dt.date(2026, 10, 1), "PAPPP")
    month_certify(section=world.section, month=OCTOBER, checked_by="S. Mishra", by=world.ravi)
    pending = mark(world, dt.date(2026, 10, 1), "PPPPP", by=world.ravi, hour=18, note="oops")
    correction_decide(rollcall=pending, approve=False, by=world.meera)
    register = section_register(section=world.section, month=OCTOBER, today=TODAY)
    assert register.grid.rows[1].cells[0].kind == CellKind.ABSENT
    assert RollCall.objects.get(is_current=True).marks == "PAPPP"


def test_only_the_head_certifies_a_finished_month(world) -> None:
    with pytest.raises(Forbidden):
        month_certify(section=world.section, month=OCTOBER, checked_by="X", by=world.asha)
    with pytest.raises(Invalid) as caught:
        month_certify(
            section=world.section,
            month=dt.date(2026, 12, 1),
            checked_by="X",
            by=world.ravi,
            now=dt.datetime(2026, 12, 30, 12, tzinfo=IST),
        )
    assert caught.value.code == "month_not_over"
    with pytest.raises(Invalid) as caught:
        month_certify(section=world.section, month=OCTOBER, checked_by="  ", by=world.ravi)
    assert caught.value.field == "checked_by"


def test_a_certified_month_takes_no_new_roll_call(world) -> None:
    month_certify(section=world.section, month=OCTOBER, checked_by="S. Mishra", by=world.ravi)
    with pytest.raises(Invalid) as caught:
        mark(world, dt.date(2026, 10, 5), "PPPPP", by=world.ravi, hour=18, note="forgot")
    assert caught.value.code == "after_cutoff"


def test_register_reads_a_bounded_number_of_queries(world, django_assert_max_num_queries) -> None:
    for day in range(1, 10):
        if dt.date(2026, 10, day).isoweekday() != 7:
            mark(world, dt.date(2026, 10, day), "PAPPP")
    with django_assert_max_num_queries(10):
        section_register(section=world.section, month=OCTOBER, today=TODAY)
