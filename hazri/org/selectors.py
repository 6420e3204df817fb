"""Reads about the organisation: policies, sessions, calendars and local time."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from hazri.common import sql
from hazri.org.calendar import CalendarMark, DayStatus, day_status
from hazri.org.models import (
    AcademicYear,
    AttendancePolicy,
    CalendarEntry,
    OrgUnit,
    School,
    Section,
)


def _ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


@dataclass(frozen=True)
class Policy:
    meetings_per_day: int
    on_time_minutes: int
    cutoff: dt.time
    weekly_offs: frozenset[int]
    low_attendance_pct: int = 75
    chronic_absence_pct: int = 10
    marking_scope: str = "school"
    offline_allowance_days: int = 7
    opens_before_minutes: int = 30
    low_attendance_min_days: int = 10


DEFAULT_POLICY = Policy(
    meetings_per_day=2, on_time_minutes=60, cutoff=dt.time(17, 0), weekly_offs=frozenset({7})
)


def _policies_of_units(units: Iterable[int]) -> dict[int, Policy]:
    """The policies set on these units, in one plain query (every roll call reads it)."""
    wanted = sorted(set(units))
    if not wanted:
        return {}
    rows = sql.select(
        "SELECT unit_id, meetings_per_day, on_time_minutes, cutoff, weekly_offs, "
        "low_attendance_pct, chronic_absence_pct, marking_scope, offline_allowance_days, "
        "opens_before_minutes, low_attendance_min_days "
        "FROM org_attendancepolicy "
        f"WHERE unit_id IN ({sql.placeholders(wanted)})",
        wanted,
        [None, None, None, _POLICY_CUTOFF, _POLICY_OFFS, None, None, None, None, None],
    )
    return {
        unit: Policy(
            meetings_per_day=meetings,
            on_time_minutes=on_time,
            cutoff=cutoff,
            weekly_offs=frozenset(int(day) for day in offs),
            low_attendance_pct=low,
            chronic_absence_pct=chronic,
            marking_scope=scope,
            offline_allowance_days=allowance,
            opens_before_minutes=opens_before,
            low_attendance_min_days=min_days,
        )
        for (
            unit,
            meetings,
            on_time,
            cutoff,
            offs,
            low,
            chronic,
            scope,
            allowance,
            opens_before,
            min_days,
        ) in rows
    }


def _policy_of(ancestors: list[int], found: dict[int, Policy]) -> Policy:
    """The nearest ancestor's policy (ancestors state first), or the default."""
    return next((found[unit] for unit in reversed(ancestors) if unit in found), DEFAULT_POLICY)


def policy_for_unit(unit: OrgUnit) -> Policy:
    """The policy in force at a unit: its own, or its nearest ancestor's."""
    ancestors = _ancestor_ids(unit.path)
    return _policy_of(ancestors, _policies_of_units(ancestors))


def policy_for_school(school: School) -> Policy:
    """The policy of the school's nearest ancestor unit that has one."""
    return schools_policies([school])[school.pk]


def schools_policies(schools: Iterable[School]) -> dict[int, Policy]:
    """policy_for_school of each school, in one query for any number of schools."""
    ancestry = {school.pk: _ancestor_ids(school.unit_path) for school in schools}
    found = _policies_of_units(unit for units in ancestry.values() for unit in units)
    return {pk: _policy_of(ancestors, found) for pk, ancestors in ancestry.items()}


def school_now(school: School, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()).astimezone(ZoneInfo(school.timezone))


def school_today(school: School, now: dt.datetime | None = None) -> dt.date:
    return school_now(school, now).date()


# An area with no schools yet takes the zone a new school gets.
_DEFAULT_ZONE = str(School._meta.get_field("timezone").default)


def unit_zone(unit: OrgUnit) -> ZoneInfo:
    """An area's time zone: its schools'. Hazri takes an area (a state and everything
    under it) to lie in one zone, so the first school under it in path order speaks for
    all (one row read through the `unit_path` index); an area with no schools yet has
    the zone a new school gets. Officers' dashboards and area-wide jobs judge "today"
    by it, never by the server's zone."""
    found = schools_under(unit).order_by("unit_path", "pk").values_list("timezone", flat=True)
    return ZoneInfo(found.first() or _DEFAULT_ZONE)


def unit_now(unit: OrgUnit, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()).astimezone(unit_zone(unit))


def unit_today(unit: OrgUnit, now: dt.datetime | None = None) -> dt.date:
    return unit_now(unit, now).date()


def tree_today(now: dt.datetime | None = None) -> dt.date:
    """The whole tree's today, for work over every school (the rollups, the nightly
    jobs): the newest of the top units' todays, so a day counts as begun once it has
    begun in some state (one zone per state, as `unit_zone` takes it)."""
    now = now or timezone.now()
    tops = OrgUnit.objects.filter(parent__isnull=True).order_by("pk")
    return max(
        (unit_today(top, now) for top in tops),
        default=now.astimezone(ZoneInfo(_DEFAULT_ZONE)).date(),
    )


def academic_year_for(school: School, day: dt.date) -> AcademicYear | None:
    """The session in force at the school on the day: of those its units run that
    cover the day, the one begun last."""
    return academic_years_for([(school, day)])[school.pk]


def academic_years_for(wanted: Iterable[tuple[School, dt.date]]) -> dict[int, AcademicYear | None]:
    """academic_year_for of each school on its day (one day a school), by school, in
    one plain query: every device's sync asks it."""
    wanted = list(wanted)
    units = sorted({unit for school, _ in wanted for unit in _ancestor_ids(school.unit_path)})
    if not units:
        return {school.pk: None for school, _ in wanted}
    days = sql.params(AcademicYear, "starts_on", [day for _, day in wanted])
    rows = sql.select(
        f"SELECT {sql.columns(AcademicYear, 'y')} FROM org_academicyear y "
        f"WHERE y.unit_id IN ({sql.placeholders(units)}) AND y.starts_on <= %s "
        "AND y.ends_on >= %s",
        [*units, max(days), min(days)],
        sql.model_fields(AcademicYear),
    )
    years = [sql.instance(AcademicYear, row) for row in rows]
    found: dict[int, AcademicYear | None] = {}
    for school, day in wanted:
        ancestors = set(_ancestor_ids(school.unit_path))
        covering = [y for y in years if y.unit_id in ancestors and y.starts_on <= day <= y.ends_on]
        found[school.pk] = max(covering, key=lambda y: y.starts_on, default=None)
    return found


def schools_by_id(ids: Iterable[int]) -> list[School]:
    """These schools, by id, in one plain query."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = sql.select(
        f"SELECT {sql.columns(School, 's')} FROM org_school s "
        f"WHERE s.id IN ({sql.placeholders(wanted)}) ORDER BY s.id",
        wanted,
        sql.model_fields(School),
    )
    return [sql.instance(School, row) for row in rows]


class _Entry(NamedTuple):
    unit_id: int | None
    school_id: int | None
    day: dt.date
    kind: str
    name: str
    name_local: str


def _entries(
    schools: Iterable[School],
    *,
    days: Iterable[dt.date] = (),
    span: tuple[dt.date, dt.date] | None = None,
) -> list[_Entry]:
    """The calendar entries of these schools and their units, on `days` or over `span`
    (first and last day), in one plain query."""
    schools = list(schools)
    ids = sorted({school.pk for school in schools})
    units = sorted({unit for school in schools for unit in _ancestor_ids(school.unit_path)})
    if span is not None:
        when, args = "day >= %s AND day <= %s", sql.params(CalendarEntry, "day", span)
    else:
        args = sql.params(CalendarEntry, "day", sorted(set(days)))
        when = f"day IN ({sql.placeholders(args)})"
    rows = sql.select(
        "SELECT unit_id, school_id, day, kind, name, name_local FROM org_calendarentry "
        f"WHERE ({f'unit_id IN ({sql.placeholders(units)}) OR ' if units else ''}"
        f"school_id IN ({sql.placeholders(ids)})) AND {when}",
        [*units, *ids, *args],
        [None, None, _CALENDAR_DAY, None, None, None],
    )
    return [_Entry(*row) for row in rows]


def _statuses(
    school: School, entries: list[_Entry], policy: Policy, days: Iterable[dt.date]
) -> dict[dt.date, DayStatus]:
    """Each day's status from the weekly offs and the calendar entries that apply to
    the school (entries of other schools and units are passed over)."""
    ancestors = _ancestor_ids(school.unit_path)
    depth = {unit_id: index for index, unit_id in enumerate(ancestors)}
    marks = [
        CalendarMark(
            day=entry.day,
            kind=entry.kind,
            name=entry.name,
            name_local=entry.name_local,
            # A school's own entry (no unit) beats any unit's; a deeper unit beats its ancestors.
            specificity=len(ancestors) + 1 if entry.unit_id is None else depth[entry.unit_id],
        )
        for entry in entries
        if (entry.school_id == school.pk and entry.unit_id is None) or entry.unit_id in depth
    ]
    return {day: day_status(day, weekly_offs=policy.weekly_offs, marks=marks) for day in days}


def _span(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def school_calendar(
    school: School, start: dt.date, end: dt.date, *, policy: Policy | None = None
) -> dict[dt.date, DayStatus]:
    """Status of every day from start to end (inclusive) for one school."""
    entries = _entries([school], span=(start, end))
    return _statuses(school, entries, policy or policy_for_school(school), _span(start, end))


def schools_calendars(
    schools: list[School],
    start: dt.date,
    end: dt.date,
    *,
    policies: dict[int, Policy] | None = None,
) -> dict[int, tuple[Policy, dict[dt.date, DayStatus]]]:
    """Each school's policy and calendar from start to end, in two queries for any
    number of schools, one when their `policies` are given (the same rules as
    policy_for_school and school_calendar)."""
    if not schools:
        return {}
    policies = policies if policies is not None else schools_policies(schools)
    entries = _entries(schools, span=(start, end))
    days = _span(start, end)
    return {
        school.pk: (policies[school.pk], _statuses(school, entries, policies[school.pk], days))
        for school in schools
    }


def schools_day_statuses(
    wanted: Iterable[tuple[School, dt.date]], policies: dict[int, Policy]
) -> dict[tuple[int, dt.date], DayStatus]:
    """school_day_status of each (school, day), in one query for them all; `policies`
    holds each school's (schools_policies). A batch of roll calls asks this."""
    wanted = list(wanted)
    if not wanted:
        return {}
    schools = {school.pk: school for school, _ in wanted}
    entries = _entries(schools.values(), days=[day for _, day in wanted])
    days_of: dict[int, set[dt.date]] = {}
    for school, day in wanted:
        days_of.setdefault(school.pk, set()).add(day)
    return {
        (pk, day): status
        for pk, days in days_of.items()
        for day, status in _statuses(schools[pk], entries, policies[pk], sorted(days)).items()
    }


def school_day_status(school: School, day: dt.date, *, policy: Policy | None = None) -> DayStatus:
    return school_calendar(school, day, day, policy=policy)[day]


def schools_under(unit: OrgUnit) -> QuerySet[School]:
    return School.objects.filter(unit_path__startswith=unit.path)


_POLICY_CUTOFF = sql.field(AttendancePolicy, "cutoff")
_POLICY_OFFS = sql.field(AttendancePolicy, "weekly_offs")
_CALENDAR_DAY = sql.field(CalendarEntry, "day")


def sections_by_id(section_ids: Iterable[int]) -> dict[int, Section]:
    """Sections by id with their school and academic year loaded, in one plain query
    (what Section.objects.select_related("school", "academic_year") loads)."""
    ids = sorted(set(section_ids))
    if not ids:
        return {}
    fields = sql.model_fields(Section) + sql.model_fields(School) + sql.model_fields(AcademicYear)
    rows = sql.select(
        f"SELECT {sql.columns(Section, 's')}, {sql.columns(School, 'sc')}, "
        f"{sql.columns(AcademicYear, 'y')} FROM org_section s "
        "JOIN org_school sc ON sc.id = s.school_id "
        "JOIN org_academicyear y ON y.id = s.academic_year_id "
        f"WHERE s.id IN ({sql.placeholders(ids)})",
        ids,
        fields,
    )
    first, second = len(sql.model_fields(Section)), -len(sql.model_fields(AcademicYear))
    found = {}
    for row in rows:
        section = sql.instance(Section, row[:first])
        section.school = sql.instance(School, row[first:second])
        section.academic_year = sql.instance(AcademicYear, row[second:])
        found[section.pk] = section
    return found
