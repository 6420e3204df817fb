"""Unit rollups: every org unit's day, summed from its schools' school-days.

A day is built for the whole tree at once: one grouped read of the day's
school-days (one row per unit that has schools), summed up the paths in Python,
written as one upsert. Building a day also gives every school a row for it (so a
school that marked nothing still shows as "not marked") and, the first time and
nightly, the school-days' 29-day trails.

Who builds: the scheduler every minute for the days whose school-days changed
(`hazri scheduler`, task `refresh_rollups`), the nightly task for the recent past,
and a backfill (`hazri rollups`). Never a reader: a GET writes nothing (so dashboards
can be read from a replica), and a reader whose days changed since their build asks
`freshness` and says on the page how far its figures go ("Figures up to 10:42; newer
marks are being counted"). The school-days themselves move with every roll call, in
its own transaction (dashboards.services.schooldays_refresh).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from hazri.common import sql
from hazri.dashboards.models import RollupMark, SchoolDay, UnitDay
from hazri.dashboards.services import schooldays_rebuild
from hazri.org import selectors as org
from hazri.org.models import OrgUnit, School

# School-days written up to this long before a build began may not have been
# visible to it (their transaction was still open): they count as changed after it.
MARGIN = dt.timedelta(seconds=5)
# The minutely job rebuilds changed days this far back (and a reader looks this far
# back for days not counted yet); older days are the nightly job's or a backfill's
# (`hazri rollups --start`).
READ_BUILD_DAYS = 62
# A reader of a day's trails also asks whether the days this far back are counted (a
# trail reads their school-days): 45 calendar days hold 30 school days but for long
# holidays.
TRAIL_BUILT_DAYS = 44
# Compliance and school attendance are over a school's last 30 school days: a trail
# holds the school days before the day, looked for in the 90 days up to it (the same
# span as a student's window, students._window_starts; 29 school days are ~5 weeks,
# ~12 with a summer vacation between).
WINDOW_SCHOOL_DAYS = 30
TRAIL_LOOKBACK_DAYS = 90

# UnitDay fields that are plain sums of SchoolDay fields.
SUMMED = [
    "meetings_expected",
    "meetings_marked",
    "meetings_late",
    "meetings_corrected",
    "on_roll",
    "slots_marked",
    "attended",
    "absent",
    "leave",
    "present_forenoon",
    "staff_attended",
    "meals_served",
]
SCHOOL_DAY = Q(is_school_day=True)
COUNTS = {
    "schools": Count("id"),
    "school_days": Count("id", filter=SCHOOL_DAY),
    "school_days_marked": Count(
        "id",
        filter=SCHOOL_DAY & Q(meetings_expected__gt=0, meetings_marked__gte=F("meetings_expected")),
    ),
    "school_days_unmarked": Count(
        "id", filter=SCHOOL_DAY & Q(meetings_expected__gt=0, meetings_marked=0)
    ),
    "school_days_any": Count("id", filter=SCHOOL_DAY & Q(meetings_marked__gt=0)),
    "staff_expected": Sum("staff_on_roll", filter=SCHOOL_DAY),
    "staff_expected_marked": Sum("staff_on_roll", filter=Q(staff_marked=True)),
    "staff_marked_days": Count("id", filter=Q(staff_marked=True)),
    **{name: Sum(name) for name in SUMMED},
}
UNIT_FIELDS = list(COUNTS)


def _fill_missing_schooldays(day: dt.date) -> int:
    """Give every school a row for the day (zeros when it marked nothing)."""
    have = SchoolDay.objects.filter(day=day).values("school_id")
    missing = list(School.objects.exclude(pk__in=have).order_by("pk"))
    written = 0
    for offset in range(0, len(missing), 500):
        written += schooldays_rebuild(schools=missing[offset : offset + 500], start=day, end=day)
    return written


def trails_set(day: dt.date) -> None:
    """Store in each school-day of `day` the school's figures over its school days
    before it: the last 29 when the day is a school day (with it, 30), else the last 30,
    looked for in the TRAIL_LOOKBACK_DAYS up to it. One UPDATE … FROM (PostgreSQL, and
    SQLite since 3.33) over a LEFT JOIN, so a school with no history gets zeros in the
    same pass; the school days are numbered back from the day by a window function
    (SQLite since 3.25)."""
    table = SchoolDay._meta.db_table
    sums = ", ".join(
        f"COALESCE(SUM(h.{column}), 0) AS {alias}"
        for column, alias in (
            ("meetings_late", "late"),
            ("meetings_corrected", "corrected"),
            ("meetings_expected", "expected"),
            ("meetings_marked", "marked"),
            ("slots_marked", "slots"),
            ("attended", "attended"),
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET trail_days = s.days, trail_missed = s.missed, "
            "trail_late = s.late, trail_corrected = s.corrected, trail_expected = s.expected, "
            "trail_marked = s.marked, trail_slots = s.slots, trail_attended = s.attended "
            "FROM (SELECT d.school_id AS school_id, COUNT(h.school_id) AS days, "
            "COALESCE(SUM(CASE WHEN h.meetings_expected > 0 AND h.meetings_marked = 0 "
            f"THEN 1 ELSE 0 END), 0) AS missed, {sums} "
            f"FROM {table} d LEFT JOIN (SELECT school_id, meetings_expected, meetings_marked, "
            "meetings_late, meetings_corrected, slots_marked, attended, "
            "ROW_NUMBER() OVER (PARTITION BY school_id ORDER BY day DESC) AS back "
            f"FROM {table} WHERE day >= %s AND day < %s AND is_school_day) h "
            "ON h.school_id = d.school_id "
            "AND h.back <= CASE WHEN d.is_school_day THEN %s ELSE %s END "
            "WHERE d.day = %s GROUP BY d.school_id) AS s "
            f"WHERE {table}.day = %s AND {table}.school_id = s.school_id",
            [
                day - dt.timedelta(days=TRAIL_LOOKBACK_DAYS - 1),
                day,
                WINDOW_SCHOOL_DAYS - 1,
                WINDOW_SCHOOL_DAYS,
                day,
                day,
            ],
        )


def _unit_sums(day: dt.date, parents: Mapping[int, int | None]) -> dict[int, dict[str, int]]:
    """Every unit's sums for the day: the grouped school-days added up each path."""
    sums: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(UNIT_FIELDS, 0))
    for row in SchoolDay.objects.filter(day=day).values("unit_path").annotate(**COUNTS):
        ids = [int(part) for part in row["unit_path"].strip("/").split("/") if part]
        for unit_id in ids:
            if unit_id not in parents:
                continue  # a unit deleted since the school's path was copied
            target = sums[unit_id]
            for name in UNIT_FIELDS:
                target[name] += row[name] or 0
    return sums


def day_build(day: dt.date, *, trails: bool | None = None) -> int:
    """Build one day's unit rollups for the whole tree; returns the unit rows written.

    `trails`: also (re)compute the school-days' trails; by default only the first
    time the day is built (the nightly job redoes them for the recent past).
    """
    # Not durable: the demo generator builds its days inside its own transaction; the
    # scheduled jobs and `hazri rollups` call this with none open.
    with transaction.atomic():
        mark, created = RollupMark.objects.get_or_create(
            day=day, defaults={"built_at": dt.datetime(1970, 1, 1, tzinfo=dt.UTC)}
        )
        # One builder per day at a time (the minutely and the nightly job, or a
        # backfill, may race).
        RollupMark.objects.select_for_update().filter(pk=mark.pk).first()
        if day <= org.tree_today():
            _fill_missing_schooldays(day)
        if trails or (trails is None and created):
            trails_set(day)
        parents = dict(OrgUnit.objects.values_list("pk", "parent_id"))
        # After the fill: the rows it wrote are older than the build, not changes.
        started = timezone.now()
        sums = _unit_sums(day, parents)
        rows = [
            UnitDay(unit_id=unit_id, parent_id=parents[unit_id], day=day, **figures)
            for unit_id, figures in sorted(sums.items())
        ]
        UnitDay.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["unit", "day"],
            update_fields=["parent", *UNIT_FIELDS],
        )
        # Units that no longer have schools (moved, merged): by id, in chunks, so a
        # large tree never makes one statement with tens of thousands of parameters.
        gone = [
            unit_id
            for unit_id in UnitDay.objects.filter(day=day).values_list("unit_id", flat=True)
            if unit_id not in sums
        ]
        for offset in range(0, len(gone), 500):
            UnitDay.objects.filter(day=day, unit_id__in=gone[offset : offset + 500]).delete()
        recent = SchoolDay.objects.filter(
            day=day, updated_at__gt=started - MARGIN, updated_at__lte=started
        ).count()
        RollupMark.objects.filter(pk=mark.pk).update(built_at=started, recent=recent)
    return len(rows)


def days_build(days: Iterable[dt.date], *, trails: bool | None = None) -> int:
    """Build these days in date order; returns the unit rows written."""
    return sum(day_build(day, trails=trails) for day in sorted(set(days)))


def changed_days(
    days: Sequence[dt.date], marks: Mapping[dt.date, RollupMark] | None = None
) -> list[dt.date]:
    """Of these days, the ones never built or with school-days changed since."""
    if not days:
        return []
    if marks is None:
        marks = {m.day: m for m in RollupMark.objects.filter(day__in=days)}
    todo = [day for day in days if day not in marks]
    built = [day for day in days if day in marks]
    if built:
        for day, last, count in _stamped_since(
            {day: marks[day].built_at - MARGIN for day in built}
        ):
            mark = marks[day]
            if last > mark.built_at or count > mark.recent:
                todo.append(day)
    return sorted(todo)


def _stamped_since(since: Mapping[dt.date, dt.datetime]) -> list[tuple[dt.date, dt.datetime, int]]:
    """For each day, the latest `updated_at` of its school-days stamped after the given
    time and how many there are (days with none are left out).

    One index range on (day, updated_at) per day, as a UNION ALL of one small query a
    day: written as one WHERE of OR'ed ranges, SQLite's planner — given a state's
    statistics — scanned the whole index for a month (28 million rows, 44 s a call)."""
    branch = (
        "SELECT day, MAX(updated_at), COUNT(*) FROM dashboards_schoolday "
        "WHERE day = %s AND updated_at > %s GROUP BY day"
    )
    args: list[Any] = []
    for day, stamp in since.items():
        args += [sql.param(SchoolDay, "day", day), sql.param(SchoolDay, "updated_at", stamp)]
    return sql.select(
        " UNION ALL ".join([branch] * len(since)),
        args,
        [_DAY, _UPDATED_AT, None],
    )


@dataclass(frozen=True)
class Freshness:
    """How far a reader's figures go: `behind` are the days of its range that changed
    since they were last built (or were never built), which the scheduler's next run
    will count; `counted_up_to` is the oldest build among them (None: one was never
    built)."""

    behind: tuple[dt.date, ...] = ()
    counted_up_to: dt.datetime | None = None

    @property
    def stale(self) -> bool:
        return bool(self.behind)


def freshness(*, start: dt.date, end: dt.date, today: dt.date | None = None) -> Freshness:
    """What a reader asks instead of building: which days of the range (the recent
    ones the minutely job keeps) are not counted yet. Reads only; a few small queries.

    `today`: the reader's (its area's, `org.unit_today`); by default the tree's."""
    today = today or org.tree_today()
    end = min(end, today)
    start = max(start, today - dt.timedelta(days=READ_BUILD_DAYS))
    if end < start:
        return Freshness()
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    marks = {m.day: m for m in RollupMark.objects.filter(day__in=days)}
    behind = changed_days(days, marks)
    if not behind:
        return Freshness()
    built = [marks[day].built_at for day in behind if day in marks]
    oldest = min(built) if len(built) == len(behind) else None
    return Freshness(behind=tuple(behind), counted_up_to=oldest)


def trail_freshness(*, end: dt.date, today: dt.date | None = None) -> Freshness:
    """freshness of the days whose school-days a day's trails (the last 30 school days)
    sum: the TRAIL_BUILT_DAYS up to `end`."""
    return freshness(start=end - dt.timedelta(days=TRAIL_BUILT_DAYS), end=end, today=today)


def refresh(*, days: int = READ_BUILD_DAYS) -> list[dt.date]:
    """The scheduler's minutely job: rebuild today, and every recent day whose
    school-days changed since its build (a correction of last week, say). Older days
    are the nightly job's, or a backfill's."""
    today = org.tree_today()
    recent = [today - dt.timedelta(days=n) for n in range(days, -1, -1)]
    todo = changed_days(recent)
    days_build(todo)
    return todo


@dataclass(frozen=True)
class Written:
    schools: int
    units: int


def nightly(*, start: dt.date, end: dt.date) -> Written:
    """Redo every school's days from its roll calls, calendar and rolls, then every
    unit's days and the trails (in date order, so each trail sees the days before)."""
    schools = list(School.objects.order_by("pk"))
    written = 0
    for offset in range(0, len(schools), 500):
        written += schooldays_rebuild(schools=schools[offset : offset + 500], start=start, end=end)
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    return Written(schools=written, units=days_build(days, trails=True))


_DAY = sql.field(SchoolDay, "day")
_UPDATED_AT = sql.field(SchoolDay, "updated_at")
