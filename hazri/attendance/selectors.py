"""Reads of attendance, always filtered on school_id first (the distribution key)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from hazri.attendance.models import RollCall, StaffRollCall
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


def current_rollcalls(
    keys: set[tuple[int, int, dt.date, int]],
) -> dict[tuple[int, int, dt.date, int], RollCall]:
    """The current version of each (school, section, day, meeting) key, in one query."""
    if not keys:
        return {}
    found = RollCall.objects.filter(
        school_id__in={k[0] for k in keys},
        section_id__in={k[1] for k in keys},
        day__in={k[2] for k in keys},
        is_current=True,
    ).select_related("taken_by")
    return {r.identity: r for r in found if r.identity in keys}


def current_staff_rollcalls(
    keys: set[tuple[int, dt.date]],
) -> dict[tuple[int, dt.date], StaffRollCall]:
    """The current staff roll call of each (school, day) key, in one query."""
    if not keys:
        return {}
    found = StaffRollCall.objects.filter(
        school_id__in={k[0] for k in keys}, day__in={k[1] for k in keys}, is_current=True
    ).select_related("taken_by")
    return {r.identity: r for r in found if r.identity in keys}


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
