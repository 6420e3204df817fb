"""Roll order (SPEC §3.2), tested without a database."""

import datetime as dt

from hazri.people.roll import RollEntry, allot_roll_numbers, order_roll

APRIL = dt.date(2026, 4, 1)


def entry(
    member: int, name: str, origin: str, admitted: dt.date = APRIL, roll_no: int | None = None
) -> RollEntry:
    return RollEntry(member=member, name=name, origin=origin, admitted_on=admitted, roll_no=roll_no)


def test_roll_order_repeaters_then_promoted_then_new_by_admission_date() -> None:
    entries = [
        entry(1, "Zoya", "promoted"),
        entry(2, "Kabir", "new", dt.date(2026, 7, 1)),
        entry(3, "Aarav", "promoted"),
        entry(4, "Yash", "repeater"),
        entry(5, "Diya", "new", dt.date(2026, 6, 20)),
        entry(6, "Bela", "repeater"),
    ]
    assert [e.name for e in order_roll(entries)] == [
        "Bela",
        "Yash",
        "Aarav",
        "Zoya",
        "Diya",
        "Kabir",
    ]


def test_roll_numbers_come_first_in_number_order() -> None:
    entries = [
        entry(1, "Aarav", "repeater"),
        entry(2, "Zoya", "promoted", roll_no=2),
        entry(3, "Kabir", "new", roll_no=1),
    ]
    assert [e.name for e in order_roll(entries)] == ["Kabir", "Zoya", "Aarav"]


def test_allotting_roll_numbers_reorders_new_admissions_alphabetically() -> None:
    entries = [
        entry(1, "Zoya", "new", dt.date(2026, 5, 1)),
        entry(2, "Aarav", "new", dt.date(2026, 6, 1)),
        entry(3, "Meena", "promoted"),
        entry(4, "Om", "repeater"),
    ]
    allotted = allot_roll_numbers(entries)
    assert allotted == {4: 1, 3: 2, 2: 3, 1: 4}


def test_allotting_continues_after_numbers_already_given() -> None:
    entries = [entry(1, "Aarav", "promoted", roll_no=7), entry(2, "Bela", "new")]
    assert allot_roll_numbers(entries) == {2: 8}
