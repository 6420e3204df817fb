"""Roll order (SPEC §3.2) as pure functions: who comes where on a section's roll, and
which roll numbers the students without one receive.

No database: `hazri.people.selectors.section_roll` gathers the entries.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

ORIGIN_RANK = {"repeater": 0, "promoted": 1, "new": 2}


@dataclass(frozen=True)
class RollEntry:
    member: int
    name: str
    origin: str
    admitted_on: dt.date
    roll_no: int | None


def roll_order_key(entry: RollEntry) -> tuple[object, ...]:
    """Students with roll numbers in number order; the rest repeaters, then promoted
    students (each alphabetical), then new admissions in order of admission."""
    if entry.roll_no is not None:
        return (0, entry.roll_no, "", dt.date.min, entry.member)
    rank = ORIGIN_RANK[entry.origin]
    if entry.origin == "new":
        return (1, rank, "", entry.admitted_on, entry.name.casefold(), entry.member)
    return (1, rank, entry.name.casefold(), dt.date.min, entry.member)


def order_roll(entries: Iterable[RollEntry]) -> list[RollEntry]:
    return sorted(entries, key=roll_order_key)


def allot_roll_numbers(entries: Iterable[RollEntry]) -> dict[int, int]:
    """Roll numbers for students who have none, following those already allotted:
    repeaters, then promoted, then new admissions — each group alphabetical."""
    entries = list(entries)
    taken = max((entry.roll_no for entry in entries if entry.roll_no is not None), default=0)
    pending = sorted(
        (entry for entry in entries if entry.roll_no is None),
        key=lambda entry: (ORIGIN_RANK[entry.origin], entry.name.casefold(), entry.member),
    )
    return {entry.member: taken + offset for offset, entry in enumerate(pending, start=1)}
