"""Who has marked: the schools of an area on a day, the most urgent first, and the
day's marking by child unit; on the reader's today, what is not due yet is neither
marked nor missing (due.py)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    Value,
    When,
)

from hazri.dashboards import due
from hazri.dashboards.models import SchoolDay, UnitDay
from hazri.dashboards.selectors.figures import (
    LIST_LIMIT,
    Figures,
    _is_today,
    _pending_under,
    _unit_figures,
    under,
)
from hazri.org.models import OrgUnit, School


@dataclass(frozen=True)
class ComplianceRow:
    school: School
    today: SchoolDay | None
    missed_days: int  # school days in the window with nothing marked
    late_meetings: int
    corrected_meetings: int
    window_days: int
    # On the reader's today (due.py): the meetings counted as expected so far (None:
    # a day that is over, every one), and when the next one not yet due falls due.
    expected_now: int | None = None
    due_by: dt.time | None = None

    @property
    def status(self) -> str:
        """closed (no school day), due (nothing due yet), not_marked (something due,
        nothing marked), partly (some of what is due marked), marked (all that is due)."""
        day = self.today
        if day is None or not day.is_school_day or not day.meetings_expected:
            return "closed"
        expected = day.meetings_expected if self.expected_now is None else self.expected_now
        if expected == 0:
            return "due"
        if day.meetings_marked == 0:
            return "not_marked"
        return "partly" if day.meetings_marked < expected else "marked"


def _next_due(school: School, row: SchoolDay, clock: due.Clock) -> dt.time | None:
    """When the school's first meeting of the day that is neither due nor marked in
    every section falls due (None: there is none)."""
    if not row.is_school_day or not row.sections:
        return None
    now = clock.time.replace(microsecond=0)
    for meeting in range(1, row.meetings_expected // row.sections + 1):
        at = clock.meeting_due_at(school, meeting)
        if at > now and row.meetings_marked < row.sections * meeting:
            return at
    return None


def _ranked(column: str, unit: OrgUnit) -> F | ExpressionWrapper:
    """Order by an indexed (day, column) rank. At the root, walking that index and
    stopping at the limit is fastest; below it (a district is ~2 % of a state's
    schools) the walk would pass over most of the state, so the rank is wrapped to
    let the database take the area's rows by the (day, unit_path) index and sort
    those few instead."""
    if unit.parent_id is None:
        return F(column)
    return ExpressionWrapper(F(column) + 0, output_field=FloatField())


def _missed_today() -> Case:
    return Case(
        When(is_school_day=True, meetings_expected__gt=0, meetings_marked=0, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def compliance(
    *,
    unit: OrgUnit,
    day: dt.date,
    limit: int | None = LIST_LIMIT,
    clock: due.Clock | None = None,
) -> list[ComplianceRow]:
    """Schools under the unit with what they marked on `day`, and how often they missed
    over its last 30 school days up to it: the ones that have not marked come first,
    then the worst offenders. One row per school from the day's school-days (their
    trails hold the school days before).

    On the clock's today, a school with nothing due yet is neither missing nor counted
    in its window: it comes after the overdue ones, before those that marked."""
    qs = SchoolDay.objects.filter(under(unit.path), day=day)
    if clock is not None and clock.day == day:
        pending = due.EXPECTED & Q(meetings_marked=0, expected_now=0)
        overdue = due.EXPECTED & Q(meetings_marked=0, expected_now__gt=0)
        one = {"then": Value(1)}
        qs = (
            qs.annotate(expected_now=due.counted_expected(clock))
            .annotate(
                missed=F("trail_missed") + Case(When(overdue, **one), default=Value(0)),
                window=F("trail_days")
                + Case(When(Q(is_school_day=True) & ~pending, **one), default=Value(0)),
                urgency_now=Case(
                    When(meetings_marked__gt=0, then=Value(1000)),
                    When(pending, then=Value(500)),
                    default=Value(0),
                )
                - F("trail_missed")
                - Case(When(overdue, **one), default=Value(0)),
            )
            # Not indexed (it moves with the clock): the area's rows of the day, sorted.
            .order_by("urgency_now", "school_id")
        )
    else:
        clock = None
        qs = qs.annotate(
            missed=F("trail_missed") + _missed_today(),
            window=F("trail_days")
            + Case(When(is_school_day=True, then=Value(1)), default=Value(0)),
        ).order_by(
            # urgency (a generated, indexed column): not marked yet first, then most missed.
            _ranked("urgency", unit),
            "school_id",
        )
    found = list(qs[:limit] if limit is not None else qs)
    # The schools of the chosen rows only: no join over every school of a state.
    schools = School.objects.in_bulk([r.school_id for r in found])
    return [
        ComplianceRow(
            school=schools[r.school_id],
            today=r,
            missed_days=r.missed,  # type: ignore[attr-defined]
            late_meetings=r.trail_late + r.meetings_late,
            corrected_meetings=r.trail_corrected + r.meetings_corrected,
            window_days=r.window,  # type: ignore[attr-defined]
            expected_now=r.expected_now if clock else None,  # type: ignore[attr-defined]
            due_by=_next_due(schools[r.school_id], r, clock) if clock else None,
        )
        for r in found
    ]


@dataclass(frozen=True)
class AreaCompliance:
    """A child unit's schools on a day: how many marked in full, in part, or not at all."""

    unit: OrgUnit
    figures: Figures

    @property
    def schools_partly(self) -> int:
        f = self.figures
        return f.school_days - f.school_days_marked - f.school_days_unmarked - f.school_days_pending


def compliance_by_area(
    *, unit: OrgUnit, day: dt.date, clock: due.Clock | None = None
) -> list[AreaCompliance]:
    """The day's marking by child unit (from unit rollups): the state's or a district's
    view before it drills down to a list of schools."""
    children = list(OrgUnit.objects.filter(parent=unit).order_by("name"))
    by_unit = _unit_figures(UnitDay.objects.filter(parent=unit, day=day), "unit_id", day)
    if children and clock is not None and _is_today(clock, day, day):
        for child, pending in _pending_under(unit, clock)[1].items():
            if child in by_unit:
                by_unit[child].leave_out(pending)
    return [AreaCompliance(child, by_unit.get(child.pk, Figures())) for child in children]
