"""The figures every dashboard reads, and how they are summed from the rollups: a
range of school-days or unit-days grouped by school, unit or day, and today's roll
calls not yet due taken out (due.py)."""

import datetime as dt
from dataclasses import dataclass, fields

from django.db import connection
from django.db.models import (
    Max,
    Q,
    QuerySet,
    Sum,
)

from hazri.common.figures import percent
from hazri.dashboards import due, rollups
from hazri.dashboards.models import SchoolDay, UnitDay
from hazri.org.models import OrgUnit

# The most rows a school list returns by default (the most urgent first).
LIST_LIMIT = 500


def _pct(part: int, whole: int) -> float | None:
    return percent(part, whole)


@dataclass
class Figures:
    schools: int = 0
    school_days: int = 0  # school-days that were school days
    school_days_marked: int = 0  # ...on which every meeting was marked
    school_days_unmarked: int = 0  # ...on which nothing was marked
    meetings_expected: int = 0
    meetings_marked: int = 0
    meetings_late: int = 0
    meetings_corrected: int = 0  # marked after the cutoff, as corrections
    slots_marked: int = 0
    attended: int = 0
    absent: int = 0
    leave: int = 0
    staff_expected: int = 0  # staff on roll, summed over school days
    staff_expected_marked: int = 0  # ...over the days staff attendance was marked
    staff_marked_days: int = 0
    staff_attended: int = 0
    meals_served: int = 0
    present_forenoon: int = 0
    on_roll: int = 0  # on the last day of the range
    # Today's, at the moment of reading (due.py): left out of the figures above.
    meetings_pending: int = 0  # expected meetings not due yet
    school_days_pending: int = 0  # school days with nothing due yet and nothing marked

    def leave_out(self, pending: due.Pending) -> None:
        """Take out what is not due yet: neither expected, nor marked, nor missed."""
        self.meetings_expected -= pending.meetings
        self.meetings_pending += pending.meetings
        self.school_days_unmarked -= pending.school_days
        self.school_days_pending += pending.school_days
        self.school_days_marked += pending.marked_so_far

    @property
    def attendance_pct(self) -> float | None:
        return _pct(self.attended, self.slots_marked)

    @property
    def compliance_pct(self) -> float | None:
        """Share of the meetings that should have been marked and were."""
        return _pct(self.meetings_marked, self.meetings_expected)

    @property
    def staff_pct(self) -> float | None:
        return _pct(self.staff_attended, self.staff_expected_marked)

    def add(self, other: "Figures") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, float | int | None]:
        data: dict[str, float | int | None] = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(
            attendance_pct=self.attendance_pct,
            compliance_pct=self.compliance_pct,
            staff_pct=self.staff_pct,
        )
        return data


def under(path: str) -> Q:
    """School-days of the schools under a unit path ("/1/4/"), as an index range.

    PostgreSQL: LIKE 'prefix%' on a pattern-ops index. SQLite's LIKE is not
    case-sensitive, so it cannot use the index: there the same prefix is the byte
    range [path, path with its last "/" bumped to "0") — exact, as paths hold only
    digits and slashes and SQLite compares bytes.
    """
    if connection.vendor == "sqlite":
        return Q(unit_path__gte=path, unit_path__lt=path[:-1] + chr(ord(path[-1]) + 1))
    return Q(unit_path__startswith=path)


def _aggregate(qs: QuerySet[SchoolDay], group: str, end: dt.date) -> dict[object, Figures]:
    """Figures per value of `group` (school_id or day) from school-days, in one query."""
    rows = qs.values(group).annotate(
        roll_at_end=Sum("on_roll", filter=Q(day=end)), **rollups.COUNTS
    )
    result = {}
    for r in rows:
        figures = Figures(
            schools=1 if group == "school_id" else r["schools"], on_roll=r["roll_at_end"] or 0
        )
        for name in FIGURE_FIELDS:
            setattr(figures, name, r[name] or 0)
        result[r[group]] = figures
    return result


# Figures fields that are sums over the days of a range (all but schools, on_roll).
FIGURE_FIELDS = [
    "school_days",
    "school_days_marked",
    "school_days_unmarked",
    "meetings_expected",
    "meetings_marked",
    "meetings_late",
    "meetings_corrected",
    "slots_marked",
    "attended",
    "absent",
    "leave",
    "staff_expected",
    "staff_expected_marked",
    "staff_marked_days",
    "staff_attended",
    "meals_served",
    "present_forenoon",
]


def _unit_figures(qs: QuerySet[UnitDay], group: str, end: dt.date) -> dict[object, Figures]:
    """Figures per value of `group` (unit_id or day) from unit rollups, in one query.

    Over a range, `schools` is the most schools on any day and `on_roll` the roll on
    the last day; everything else is summed.
    """
    rows = qs.values(group).annotate(
        n_schools=Max("schools"),
        roll_at_end=Sum("on_roll", filter=Q(day=end)),
        **{f"sum_{name}": Sum(name) for name in FIGURE_FIELDS},
    )
    result = {}
    for r in rows:
        figures = Figures(schools=r["n_schools"] or 0, on_roll=r["roll_at_end"] or 0)
        for name in FIGURE_FIELDS:
            setattr(figures, name, r[f"sum_{name}"] or 0)
        result[r[group]] = figures
    return result


def _pending_under(unit: OrgUnit, clock: due.Clock) -> tuple[due.Pending, dict[int, due.Pending]]:
    """What is not due yet today under the unit: in all, and by child unit (one query,
    grouped by the schools' unit paths)."""
    total = due.Pending()
    by_child: dict[int, due.Pending] = {}
    depth = len(unit.path.strip("/").split("/"))
    for path, pending in due.pending_by(
        SchoolDay.objects.filter(under(unit.path)), clock, "unit_path"
    ).items():
        total += pending
        ids = str(path).strip("/").split("/")
        if len(ids) > depth:  # a school of a child unit (else: the unit's own)
            child = int(ids[depth])
            by_child[child] = by_child.get(child, due.Pending()) + pending
    return total, by_child


def pending_today(*, unit: OrgUnit, clock: due.Clock) -> due.Pending:
    """What is not due yet under the unit on the clock's today, and when it falls due."""
    return _pending_under(unit, clock)[0]


def _is_today(clock: due.Clock | None, start: dt.date, end: dt.date) -> bool:
    return clock is not None and start <= clock.day <= end
