"""Weak students of any area (SPEC §1.7): counted live from the roll calls for a
school or a cluster, read from the nightly lists for larger areas.

Counting a block's or a state's roll calls on every request would take seconds to
hours, so every night `build` counts each school's last 30 school days (in chunks of
schools) and keeps its weak students in WeakStudent: those under the school's
threshold or chronically absent, and anyone under the highest threshold of any
policy (so an officer may ask a threshold up to it, and a school with a lower one of
its own still has them). An area of more than LIVE_MAX_SCHOOLS schools then reads its
students from that table's indexes, weakest first (area_students, _area).
"""

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from hazri.common.errors import Conflict, Invalid
from hazri.dashboards.models import UnitDay, WeakStudent, WeakStudentBuild
from hazri.dashboards.selectors import under
from hazri.dashboards.students import (
    CHUNK,
    Line,
    StudentRate,
    low_attendance_students,
    rates,
    weak_tallies,
)
from hazri.org.models import AttendancePolicy, OrgUnit, School
from hazri.org.selectors import DEFAULT_POLICY
from hazri.people.models import Student

# Areas with at most this many schools are counted live from the roll calls.
LIVE_MAX_SCHOOLS = 60
# Schools counted per transaction by the nightly build.
BUILD_SCHOOLS = 200
# Builds kept on record (the latest says what the lists are as of).
BUILDS_KEPT = 30
# A build unfinished for this long has died (a crash, a killed worker): another may start.
RUNNING_FOR = dt.timedelta(hours=6)
# What a build writes of each student.
FIGURES = [
    "held",
    "attended",
    "school_days",
    "days_absent",
    "pct",
    "under_threshold",
    "chronically_absent",
]
# A large area's list is counted up to this many students (a state's exact count would
# read millions of rows on every request); the download holds as many.
COUNTED_UP_TO = 100_000
# On SQLite, an area with this share of the schools or more reads the nightly list in
# the order of its weakest students, not its index range (see _area).
LARGE_SHARE = 0.02


@dataclass(frozen=True)
class Listed:
    rates: list[StudentRate]  # the first `limit`, weakest first
    total: int  # how many students the list has in all, up to COUNTED_UP_TO (if counted)
    as_of: dt.date  # the last day of the window
    nightly: bool  # read from the nightly lists (else counted live)


def build(*, as_of: dt.date) -> WeakStudentBuild:
    """Count every school's weak students over its 30 school days up to `as_of` and
    replace its rows, a chunk of schools per transaction (a reader sees each school
    either as of the last build or as of this one, never half of it)."""
    now = timezone.now()
    running = WeakStudentBuild.objects.filter(
        finished_at__isnull=True, started_at__gt=now - RUNNING_FOR
    ).first()
    if running is not None:
        raise Conflict(
            f"The weak-student lists are being made (as of {running.as_of}, since "
            f"{running.started_at:%Y-%m-%d %H:%M} UTC): wait for that build to finish.",
            code="build_running",
        )
    highest = AttendancePolicy.objects.aggregate(most=Max("low_attendance_pct"))["most"]
    run = WeakStudentBuild.objects.create(
        as_of=as_of,
        started_at=now,
        kept_below=max(highest or 0, DEFAULT_POLICY.low_attendance_pct),
    )
    last = 0
    while chunk := list(School.objects.filter(pk__gt=last).order_by("pk")[:BUILD_SCHOOLS]):
        last = chunk[-1].pk
        run.students += build_schools(chunk, as_of=as_of, keep_below=run.kept_below)
        run.schools += len(chunk)
    run.finished_at = timezone.now()
    run.save(update_fields=["schools", "students", "finished_at"])
    old = WeakStudentBuild.objects.order_by("-pk").values_list("pk", flat=True)[BUILDS_KEPT:]
    WeakStudentBuild.objects.filter(pk__in=list(old)).delete()
    return run


def build_schools(schools: list[School], *, as_of: dt.date, keep_below: float) -> int:
    """Replace these schools' rows in one transaction; returns the students kept.

    Written as an upsert: a build that overlapped another one (started by hand while
    the night's was running, before the check in `build` saw it) waits for the other's
    rows and overwrites them instead of failing on the unique key."""
    lines = weak_tallies(schools=schools, end=as_of, keep_below=keep_below)
    # A roster may still name a student removed since: only students that exist (in
    # chunks: IN lists stay under SQLite's variable limit).
    existing: set[int] = set()
    for offset in range(0, len(lines), CHUNK):
        ids = [line.student_id for line in lines[offset : offset + CHUNK]]
        existing.update(Student.objects.filter(pk__in=ids).values_list("pk", flat=True))
    paths = {school.pk: school.unit_path for school in schools}
    rows = [
        _row(line, paths[line.school_id], as_of) for line in lines if line.student_id in existing
    ]
    # Not durable: the demo generator builds the lists inside its own transaction.
    with transaction.atomic():
        WeakStudent.objects.filter(school__in=schools).delete()
        WeakStudent.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["school", "student"],
            update_fields=[*FIGURES, "unit_path", "as_of"],
        )
    return len(rows)


def _row(line: Line, unit_path: str, as_of: dt.date) -> WeakStudent:
    return WeakStudent(
        school_id=line.school_id,
        student_id=line.student_id,
        unit_path=unit_path,
        as_of=as_of,
        held=line.held,
        attended=line.attended,
        school_days=line.school_days,
        days_absent=line.days_absent,
        pct=100 * line.attended / line.held,
        under_threshold=line.under_threshold,
        chronically_absent=line.chronically_absent,
    )


def _area(unit: OrgUnit, day: dt.date) -> Q:
    """The unit's rows. On PostgreSQL a prefix match, which the planner weighs by its
    statistics. SQLite's planner cannot tell a state's path range from a block's and
    always reads the range, then sorts it (a state's 1.2 million rows: 640 ms). So a
    large area, holding LARGE_SHARE of the schools or more, is matched with LIKE, which
    SQLite cannot use an index for: it walks the pct index in order and stops at the
    limit, reading about limit / share rows. The share comes from the unit rollups of
    the list's day (one indexed read)."""
    if connection.vendor != "sqlite":
        return under(unit.path)
    root = int(unit.path.strip("/").split("/")[0])
    schools = dict(
        UnitDay.objects.filter(day=day, unit_id__in={unit.pk, root}).values_list(
            "unit_id", "schools"
        )
    )
    if schools.get(root) and schools.get(unit.pk, 0) >= LARGE_SHARE * schools[root]:
        return Q(unit_path__startswith=unit.path)
    return under(unit.path)


def last_build() -> WeakStudentBuild | None:
    return WeakStudentBuild.objects.filter(finished_at__isnull=False).order_by("-pk").first()


def area_students(
    unit: OrgUnit,
    *,
    end: dt.date,
    threshold: float | None,
    limit: int,
    today: dt.date,
    count: bool = True,
    offset: int = 0,
) -> Listed:
    """The weak students of a unit's schools over their last 30 school days up to
    `end`, by need (students.need), `limit` of them from `offset` on: live for a small
    area, else from the nightly lists, which hold one day only (Invalid for another
    day; Conflict when no night has built them yet). `count`: also count the list (up
    to COUNTED_UP_TO) when the page does not show where it ends."""
    schools = list(
        School.objects.filter(unit_path__startswith=unit.path).order_by("pk")[
            : LIVE_MAX_SCHOOLS + 1
        ]
    )
    if len(schools) <= LIVE_MAX_SCHOOLS:
        found = low_attendance_students(schools=schools, end=end, threshold=threshold)
        return Listed(
            rates=found[offset : offset + limit], total=len(found), as_of=end, nightly=False
        )
    run = last_build()
    if run is None:
        raise Conflict(
            f"The student list of an area of more than {LIVE_MAX_SCHOOLS} schools is made "
            "every night and has not been made yet: choose a cluster or a school.",
            field="unit",
            code="not_built",
        )
    # The nightly list stands for its own day and for the days since (today's marks
    # join it the next night); an earlier day is only counted live.
    if not run.as_of <= end <= today:
        raise Invalid(
            f"The student list of an area of more than {LIVE_MAX_SCHOOLS} schools is kept "
            f"for the latest night only (as of {run.as_of}): choose a cluster or a school "
            f"for {end}.",
            field="end",
            code="not_kept",
        )
    if threshold is not None and threshold > run.kept_below:
        raise Invalid(
            f"Above {LIVE_MAX_SCHOOLS} schools the threshold may be at most "
            f"{run.kept_below}%: choose a cluster or a school for a higher one.",
            field="threshold",
            code="threshold_too_high",
        )
    listed = Q(chronically_absent=True) | (
        Q(under_threshold=True) if threshold is None else Q(pct__lt=threshold)
    )
    rows = WeakStudent.objects.filter(listed)
    # The page's ids from an index alone (models.WeakStudent), then its rows: a large
    # area passes over thousands of entries for its weakest, which read from the table
    # would each be a page of it, in no order (a district: ~250 ms from a cold cache).
    weakest = rows.filter(_area(unit, run.as_of)).order_by("pct", "-days_absent", "student_id")
    ids = list(weakest.values_list("pk", flat=True)[offset : offset + limit])
    by_pk = WeakStudent.objects.in_bulk(ids)
    page = [by_pk[pk] for pk in ids if pk in by_pk]  # a school rebuilt in between: gone
    lines = [
        Line(
            school_id=row.school_id,
            student_id=row.student_id,
            held=row.held,
            attended=row.attended,
            school_days=row.school_days,
            days_absent=row.days_absent,
            under_threshold=row.under_threshold if threshold is None else row.pct < threshold,
            chronically_absent=row.chronically_absent,
            as_of=row.as_of,  # during a night's build, a school's own day
        )
        for row in page
    ]
    total = offset + len(page)
    if count and (len(ids) == limit or (offset and not ids)):
        # Counted along the area's range in any case, an index alone: no order is
        # needed, and a walk in pct order would pass over the rest of the state too.
        total = rows.filter(under(unit.path))[:COUNTED_UP_TO].count()
    schools_of = School.objects.in_bulk({row.school_id for row in page})
    return Listed(
        rates=rates(lines, schools_of, run.as_of), total=total, as_of=run.as_of, nightly=True
    )
