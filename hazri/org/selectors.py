"""Reads about the organisation: policies, sessions, calendars and local time."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone

from hazri.attendance import rules
from hazri.org.models import AcademicYear, AttendancePolicy, CalendarEntry, OrgUnit, School


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


DEFAULT_POLICY = Policy(
    meetings_per_day=2, on_time_minutes=60, cutoff=dt.time(17, 0), weekly_offs=frozenset({7})
)


def _policy_of(ancestors: list[int], found: dict[int, AttendancePolicy]) -> Policy:
    for unit_id in reversed(ancestors):
        policy = found.get(unit_id)
        if policy is not None:
            return Policy(
                meetings_per_day=policy.meetings_per_day,
                on_time_minutes=policy.on_time_minutes,
                cutoff=policy.cutoff,
                weekly_offs=frozenset(int(day) for day in policy.weekly_offs),
                low_attendance_pct=policy.low_attendance_pct,
                chronic_absence_pct=policy.chronic_absence_pct,
            )
    return DEFAULT_POLICY


def policy_for_unit(unit: OrgUnit) -> Policy:
    """The policy in force at a unit: its own, or its nearest ancestor's."""
    ancestors = _ancestor_ids(unit.path)
    found = {p.unit_id: p for p in AttendancePolicy.objects.filter(unit_id__in=ancestors)}
    return _policy_of(ancestors, found)


def policy_for_school(school: School) -> Policy:
    """The policy of the school's nearest ancestor unit that has one."""
    ancestors = _ancestor_ids(school.unit_path)
    found = {p.unit_id: p for p in AttendancePolicy.objects.filter(unit_id__in=ancestors)}
    return _policy_of(ancestors, found)


def school_now(school: School, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()).astimezone(ZoneInfo(school.timezone))


def school_today(school: School, now: dt.datetime | None = None) -> dt.date:
    return school_now(school, now).date()


def academic_year_for(school: School, day: dt.date) -> AcademicYear | None:
    return (
        AcademicYear.objects.filter(
            unit_id__in=_ancestor_ids(school.unit_path), starts_on__lte=day, ends_on__gte=day
        )
        .order_by("-starts_on")
        .first()
    )


def _calendar(
    ancestors: list[int],
    entries: list[CalendarEntry],
    policy: Policy,
    start: dt.date,
    end: dt.date,
) -> dict[dt.date, rules.DayStatus]:
    """Each day's status from the weekly offs and the calendar entries that apply."""
    depth = {unit_id: index for index, unit_id in enumerate(ancestors)}
    marks = [
        rules.CalendarMark(
            day=entry.day,
            kind=entry.kind,
            name=entry.name,
            name_local=entry.name_local,
            # A school's own entry (no unit) beats any unit's; a deeper unit beats its ancestors.
            specificity=depth.get(entry.unit_id or 0, len(ancestors) + 1),
        )
        for entry in entries
    ]
    days = {}
    day = start
    while day <= end:
        days[day] = rules.day_status(day, weekly_offs=policy.weekly_offs, marks=marks)
        day += dt.timedelta(days=1)
    return days


def school_calendar(
    school: School, start: dt.date, end: dt.date, *, policy: Policy | None = None
) -> dict[dt.date, rules.DayStatus]:
    """Status of every day from start to end (inclusive) for one school."""
    ancestors = _ancestor_ids(school.unit_path)
    entries = CalendarEntry.objects.filter(
        Q(unit_id__in=ancestors) | Q(school_id=school.pk), day__gte=start, day__lte=end
    )
    return _calendar(ancestors, list(entries), policy or policy_for_school(school), start, end)


def schools_calendars(
    schools: list[School], start: dt.date, end: dt.date
) -> dict[int, tuple[Policy, dict[dt.date, rules.DayStatus]]]:
    """Each school's policy and calendar from start to end, in two queries for any
    number of schools (the same rules as policy_for_school and school_calendar)."""
    units = {unit_id for s in schools for unit_id in _ancestor_ids(s.unit_path)}
    policies = {p.unit_id: p for p in AttendancePolicy.objects.filter(unit_id__in=units)}
    by_unit: dict[int, list[CalendarEntry]] = {}
    by_school: dict[int, list[CalendarEntry]] = {}
    for entry in CalendarEntry.objects.filter(
        Q(unit_id__in=units) | Q(school_id__in=[s.pk for s in schools]),
        day__gte=start,
        day__lte=end,
    ):
        if entry.unit_id is not None:
            by_unit.setdefault(entry.unit_id, []).append(entry)
        if entry.school_id is not None:
            by_school.setdefault(entry.school_id, []).append(entry)
    result = {}
    for school in schools:
        ancestors = _ancestor_ids(school.unit_path)
        policy = _policy_of(ancestors, policies)
        entries = [e for unit_id in ancestors for e in by_unit.get(unit_id, [])]
        entries += [e for e in by_school.get(school.pk, []) if e.unit_id is None]
        result[school.pk] = (policy, _calendar(ancestors, entries, policy, start, end))
    return result


def school_day_status(
    school: School, day: dt.date, *, policy: Policy | None = None
) -> rules.DayStatus:
    return school_calendar(school, day, day, policy=policy)[day]


def schools_under(unit: OrgUnit) -> QuerySet[School]:
    return School.objects.filter(unit_path__startswith=unit.path)
