"""Reads of attendance, always filtered on school_id first (the distribution key)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from hazri.accounts.models import User
from hazri.attendance.models import MarkSheet, RollCall, StaffRollCall
from hazri.common import sql
from hazri.org import selectors as org
from hazri.org.models import School, Section
from hazri.people.models import Enrolment
from hazri.people.selectors import active_on


def rollcall_versions(*, section: Section, day: dt.date, meeting: int) -> QuerySet[RollCall]:
    """Every version of one roll call, oldest first."""
    return (
        RollCall.objects.filter(
            school_id=section.school_id, section=section, day=day, meeting=meeting
        )
        .select_related("roster", "taken_by", "decided_by")
        .order_by("version")
    )


@dataclass(frozen=True, slots=True)
class CurrentVersion:
    """The version of a roll call that counts: what a device is told when another
    version replaced the one it sent (by whom and when)."""

    version: int
    taken_by: User
    captured_at: dt.datetime


# The key of each kind of roll call: one current version each (the one-current index).
_KEYS: dict[type[MarkSheet], tuple[str, ...]] = {
    RollCall: ("school", "section", "day", "meeting"),
    StaffRollCall: ("school", "day"),
}


def current_versions(
    *,
    model: type[RollCall] | type[StaffRollCall],
    keys: set[tuple[Any, ...]],
    known: Iterable[User] = (),
) -> dict[tuple[Any, ...], CurrentVersion]:
    """The current version of each key ((school, section, day, meeting) of a roll call,
    (school, day) of a staff roll call), for the keys that have one.

    One plain statement, each key looked up on its own by the one-current index, reading
    only the version, the taker and the capture time: a batch of stale versions (a phone
    resending what another phone replaced) asked this of the ORM as whole roll calls with
    their users, the cross product of IN lists of each column, and spent ~5 ms of a batch
    of 25 on it. The takers come from `known` (most often the person sending), the others
    in one query more."""
    if not keys:
        return {}
    fields = [sql.field(model, name) for name in _KEYS[model]]
    columns = [f.column for f in fields]
    source, args = sql.rows_source(
        fields,
        [
            # Ids go as they are; a day as the database stores it.
            [sql.param_of(f, v) if f.name == "day" else v for f, v in zip(fields, key, strict=True)]
            for key in sorted(keys)
        ],
    )
    same = " AND ".join(f"c.{column} = k.{column}" for column in columns)
    rows = sql.select(
        f"WITH k ({', '.join(columns)}) AS ({source}) "
        f"SELECT {', '.join(f'c.{column}' for column in columns)}, "
        f"c.version, c.taken_by_id, c.captured_at FROM k JOIN {model._meta.db_table} c "
        f"ON {same} AND c.is_current",
        args,
        [*(f if f.name == "day" else None for f in fields), None, None, _CAPTURED],
    )
    users = {user.pk: user for user in known}
    others = {row[-2] for row in rows} - set(users)
    if others:
        users |= User.objects.only("username", "first_name", "last_name").in_bulk(others)
    return {
        tuple(key): CurrentVersion(version, users[taken_by], captured_at)
        for *key, version, taken_by, captured_at in rows
    }


# The same column in both models (MarkSheet's): its conversion from the database.
_CAPTURED = sql.field(RollCall, "captured_at")


def staff_rollcall_versions(*, school: School, day: dt.date) -> QuerySet[StaffRollCall]:
    return (
        StaffRollCall.objects.filter(school=school, day=day)
        .select_related("roster", "taken_by")
        .order_by("version")
    )


@dataclass(frozen=True)
class SectionDay:
    section: Section
    on_roll: int
    current: dict[int, RollCall]  # meeting -> current roll call

    def marked(self, meeting: int) -> bool:
        return meeting in self.current


@dataclass(frozen=True)
class SchoolDay:
    school: School
    day: dt.date
    status_kind: str
    status_name: str
    status_name_local: str
    is_school_day: bool
    meetings: list[int]
    sections: list[SectionDay]
    staff_current: StaffRollCall | None

    @property
    def meetings_done(self) -> list[tuple[int, int, int]]:
        """(meeting, classes marked, classes to mark) for each meeting of the day,
        counted as the meetings happen: right after the forenoon, 8 of 8 and 0 of 8,
        not "0 classes done" until the afternoon. A class with nobody on the roll
        cannot be marked and is not counted, unless it was marked anyway."""
        return [
            (
                meeting,
                sum(s.marked(meeting) for s in self.sections),
                sum(bool(s.on_roll) or s.marked(meeting) for s in self.sections),
            )
            for meeting in self.meetings
        ]


def school_day(*, school: School, day: dt.date) -> SchoolDay:
    """A school's sections on a day with what has been marked: four queries, any size."""
    policy = org.policy_for_school(school)
    status = org.school_day_status(school, day, policy=policy)
    year = org.academic_year_for(school, day)
    sections = (
        list(Section.objects.filter(school=school, academic_year=year).order_by("grade", "name"))
        if year
        else []
    )
    on_roll: dict[int, int] = {}
    for section_id in Enrolment.objects.filter(
        active_on(day), school_id=school.pk, section__in=sections
    ).values_list("section_id", flat=True):
        on_roll[section_id] = on_roll.get(section_id, 0) + 1
    current: dict[int, dict[int, RollCall]] = {}
    for rollcall in RollCall.objects.filter(school_id=school.pk, day=day, is_current=True):
        current.setdefault(rollcall.section_id, {})[rollcall.meeting] = rollcall
    return SchoolDay(
        school=school,
        day=day,
        status_kind=status.kind.value,
        status_name=status.name,
        status_name_local=status.name_local,
        is_school_day=status.is_school_day,
        meetings=list(range(1, policy.meetings_per_day + 1)),
        sections=[
            SectionDay(section=s, on_roll=on_roll.get(s.pk, 0), current=current.get(s.pk, {}))
            for s in sections
        ],
        staff_current=StaffRollCall.objects.filter(
            school_id=school.pk, day=day, is_current=True
        ).first(),
    )
