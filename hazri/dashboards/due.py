"""Roll calls not yet due: today's figures as they stand at the moment they are read.

The rollups count a school day's meetings as expected from the day's first minute:
the scheduler builds them and knows no clock. At 07:00 every meeting of the day was
then "missing", and a block looked 79 % marked, its schools red, three hours before
they opened. A meeting is *due* once its on-time window has closed: its start
(rules.meeting_start: the school's start, or its afternoon start) plus the policy's
on-time minutes, in the school's own time zone. After that, an unmarked meeting is
overdue (and a mark late; the cutoff, later still, only decides what is a correction).
Before it, the meeting is neither marked nor missing: readers take it out of today's
expected meetings, of the schools "not marked" and "marked in full", and of the days
missed, and say by when it falls due.

Only the reader's today changes: earlier days are over and read as built. This is
the read side (a GET never writes): `now` enters here, never the rollups. Times are
compared as times of day, on both databases: an area lies in one time zone (as
org.unit_zone takes it), and its policy gives the on-time minutes.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Greatest, Least

from hazri.attendance import rules
from hazri.dashboards.models import SchoolDay
from hazri.org import selectors as org
from hazri.org.models import OrgUnit, School

_NEVER = dt.time.min  # no time of day is before it: a condition that holds for none


@dataclass(frozen=True)
class Clock:
    """A reader's moment: its area's today and time of day, and the on-time minutes."""

    day: dt.date
    time: dt.time
    on_time: dt.timedelta

    def due_at(self, start: dt.time) -> dt.time:
        """When a meeting that begins at `start` falls due (23:59 at the latest)."""
        due = dt.datetime.combine(self.day, start) + self.on_time
        return due.time() if due.date() == self.day else dt.time(23, 59)

    def meeting_due_at(self, school: School, meeting: int) -> dt.time:
        return self.due_at(
            rules.meeting_start(
                start=school.start_time, afternoon_start=school.afternoon_start, meeting=meeting
            )
        )

    def begun_by(self, shift: dt.timedelta = dt.timedelta(0)) -> dt.time:
        """Meetings that began at this time of day or before (`shift` earlier) are due:
        now less the on-time minutes. Before midnight plus them, none is."""
        now = dt.datetime.combine(self.day, self.time.replace(microsecond=0))
        begun = now - self.on_time - shift
        return begun.time() if begun.date() == self.day else _NEVER


def clock_for_unit(unit: OrgUnit, now: dt.datetime | None = None) -> Clock:
    local = org.unit_now(unit, now)
    minutes = org.policy_for_unit(unit).on_time_minutes
    return Clock(local.date(), local.time(), dt.timedelta(minutes=minutes))


def clock_for_school(school: School, now: dt.datetime | None = None) -> Clock:
    local = org.school_now(school, now)
    minutes = org.policy_for_school(school).on_time_minutes
    return Clock(local.date(), local.time(), dt.timedelta(minutes=minutes))


def _strictly_before(time: dt.time) -> Q:
    """Schools whose start is at or before `time` (none when `time` is _NEVER)."""
    if time == _NEVER:
        return Q(school__start_time__lt=_NEVER)
    return Q(school__start_time__lte=time)


def forenoon_due(clock: Clock) -> Q:
    """School-days whose first meeting is due (on SchoolDay, through its school)."""
    return _strictly_before(clock.begun_by())


def afternoon_due(clock: Clock) -> Q:
    """School-days whose second meeting is due: by the afternoon start, else by the
    school's start plus rules.DEFAULT_AFTERNOON_AFTER (as rules.meeting_start has it)."""
    begun = clock.begun_by()
    set_start = (
        Q(school__afternoon_start__lt=_NEVER)
        if begun == _NEVER
        else Q(school__afternoon_start__lte=begun)
    )
    return set_start | (
        Q(school__afternoon_start__isnull=True)
        & _strictly_before(clock.begun_by(rules.DEFAULT_AFTERNOON_AFTER))
    )


def due_meetings(clock: Clock) -> Case:
    """A school-day's meetings (sections × meetings) due by the clock's time."""
    fore, after = forenoon_due(clock), afternoon_due(clock)
    return Case(
        When(fore & after, then=F("meetings_expected")),
        When(fore | after, then=Least(F("sections"), F("meetings_expected"))),
        default=Value(0),
        output_field=IntegerField(),
    )


def counted_expected(clock: Clock) -> Greatest:
    """The meetings a school-day counts as expected at the clock's time: those due, and
    any marked before they fell due."""
    return Greatest(F("meetings_marked"), due_meetings(clock), output_field=IntegerField())


# School-days with meetings to mark (closed days and schools with no section have none).
EXPECTED = Q(is_school_day=True, meetings_expected__gt=0)


@dataclass(frozen=True)
class Pending:
    """What a day's school-days count that is not due yet at a moment."""

    meetings: int = 0  # expected meetings neither due nor marked
    school_days: int = 0  # school days with nothing due yet and nothing marked
    # School days with every meeting due so far marked, but not the day's every one:
    # "marked in full" so far, which the rollups (whole days) do not count.
    marked_so_far: int = 0
    first_due: dt.time | None = None  # when the first of the school days above falls due

    def __add__(self, other: "Pending") -> "Pending":
        dues = [t for t in (self.first_due, other.first_due) if t is not None]
        return Pending(
            meetings=self.meetings + other.meetings,
            school_days=self.school_days + other.school_days,
            marked_so_far=self.marked_so_far + other.marked_so_far,
            first_due=min(dues) if dues else None,
        )


def pending_by(
    school_days: QuerySet[SchoolDay], clock: Clock, group: str | None
) -> dict[object, Pending]:
    """Pending per value of `group` (school_id, unit_path or day; None: one total under
    the key None) of these school-days of the clock's day, in one query."""
    qs = (
        school_days.filter(EXPECTED, day=clock.day)
        .annotate(due_now=due_meetings(clock), expected_now=counted_expected(clock))
        .order_by()
    )
    nothing_due = Q(meetings_marked=0, due_now=0)
    sums = {
        "p_meetings": Sum(Greatest(F("meetings_expected") - F("expected_now"), Value(0))),
        "p_days": Count("id", filter=nothing_due),
        "p_so_far": Count(
            "id",
            filter=Q(
                meetings_marked__gt=0,
                meetings_marked__gte=F("expected_now"),
                meetings_marked__lt=F("meetings_expected"),
            ),
        ),
        "p_first": Min("school__start_time", filter=nothing_due),
    }
    rows = [qs.aggregate(**sums)] if group is None else qs.values(group).annotate(**sums)
    return {
        (row[group] if group else None): Pending(
            meetings=row["p_meetings"] or 0,
            school_days=row["p_days"] or 0,
            marked_so_far=row["p_so_far"] or 0,
            first_due=clock.due_at(row["p_first"]) if row["p_first"] is not None else None,
        )
        for row in rows
    }
