"""Dashboard figures, read from the rollups (never from raw marks).

Areas read unit rollups (a few rows per child unit and day); lists of schools read
one school-day per school, whose 29-day trail makes the 30-day window. They read what
the scheduled job built and build nothing (a GET never writes); the caller asks
`rollups.freshness` how far that goes. Given the reader's `clock` (due.Clock), today's
meetings not yet due are left out of the figures (see due.py); without one, every
day reads as built.
"""

import datetime as dt
from dataclasses import dataclass, fields

from django.db import connection
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from hazri.dashboards import due, rollups
from hazri.dashboards.models import SchoolDay, UnitDay
from hazri.org.models import OrgUnit, School

# The most rows a school list returns by default (the most urgent first).
LIST_LIMIT = 500


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


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


@dataclass(frozen=True)
class AreaRow:
    kind: str  # "unit" or "school"
    id: int
    name: str
    name_local: str
    figures: Figures


@dataclass(frozen=True)
class AreaReport:
    unit: OrgUnit
    start: dt.date
    end: dt.date
    total: Figures
    rows: list[AreaRow]


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


def area_report(
    *, unit: OrgUnit, start: dt.date, end: dt.date, clock: due.Clock | None = None
) -> AreaReport:
    """The unit's figures for the range, broken down by the next level down: its child
    units, or its schools when it has none."""
    children = list(OrgUnit.objects.filter(parent=unit).order_by("name"))
    rows: list[AreaRow] = []
    if children:
        by_unit = _unit_figures(
            UnitDay.objects.filter(parent=unit, day__gte=start, day__lte=end), "unit_id", end
        )
        for child in children:
            figures = by_unit.get(child.pk, Figures())
            rows.append(AreaRow("unit", child.pk, child.name, child.name_local, figures))
    # Schools attached to the unit itself (all of them when it has no child units).
    direct = list(School.objects.filter(unit=unit).order_by("name"))
    if direct:
        qs = SchoolDay.objects.filter(school__in=direct, day__gte=start, day__lte=end)
        by_school = _aggregate(qs, "school_id", end)
        for school in direct:
            figures = by_school.get(school.pk, Figures())
            rows.append(AreaRow("school", school.pk, school.name, school.name_local, figures))
    total = _unit_figures(
        UnitDay.objects.filter(unit=unit, day__gte=start, day__lte=end), "unit_id", end
    ).get(unit.pk, Figures())
    if clock is not None and _is_today(clock, start, end):
        in_all, by_child = _pending_under(unit, clock)
        total.leave_out(in_all)
        pending_of_school: dict[object, due.Pending] = (
            due.pending_by(SchoolDay.objects.filter(school__in=direct), clock, "school_id")
            if direct
            else {}
        )
        for row in rows:
            found = (by_child if row.kind == "unit" else pending_of_school).get(row.id)
            if found is not None:
                row.figures.leave_out(found)
    return AreaReport(unit=unit, start=start, end=end, total=total, rows=rows)


def unit_day(*, unit: OrgUnit, day: dt.date, clock: due.Clock | None = None) -> Figures:
    """A unit's figures for one day."""
    rows = _unit_figures(UnitDay.objects.filter(unit=unit, day=day), "unit_id", day)
    figures = rows.get(unit.pk, Figures())
    if clock is not None and _is_today(clock, day, day):
        figures.leave_out(_pending_under(unit, clock)[0])
    return figures


def _today_left_out(
    by_day: dict[object, Figures], school_days: QuerySet[SchoolDay], clock: due.Clock | None
) -> list[tuple[dt.date, Figures]]:
    if clock is not None and clock.day in by_day:
        by_day[clock.day].leave_out(
            due.pending_by(school_days, clock, None).get(None, due.Pending())
        )
    return sorted(by_day.items())  # type: ignore[arg-type]


def area_trend(
    *, unit: OrgUnit, start: dt.date, end: dt.date, clock: due.Clock | None = None
) -> list[tuple[dt.date, Figures]]:
    """Day by day figures for an area (today's as they stand at the clock's time)."""
    by_day = _unit_figures(
        UnitDay.objects.filter(unit=unit, day__gte=start, day__lte=end), "day", end
    )
    return _today_left_out(by_day, SchoolDay.objects.filter(under(unit.path)), clock)


def school_trend(
    *, school: School, start: dt.date, end: dt.date, clock: due.Clock | None = None
) -> list[tuple[dt.date, Figures]]:
    qs = SchoolDay.objects.filter(school=school, day__gte=start, day__lte=end)
    return _today_left_out(_aggregate(qs, "day", end), qs, clock)


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


@dataclass(frozen=True)
class LowSchool:
    school: School
    figures: Figures


def _low_schools(unit: OrgUnit, end: dt.date, threshold: float) -> QuerySet[SchoolDay]:
    return (
        SchoolDay.objects.filter(under(unit.path), day=end)
        .annotate(
            w_slots=F("trail_slots") + F("slots_marked"),
            w_came=F("trail_attended") + F("attended"),
        )
        # rate30 (a generated, indexed column) is w_came / w_slots.
        .filter(rate30__lt=threshold / 100)
    )


def low_attendance_count(*, unit: OrgUnit, end: dt.date, threshold: float = 75.0) -> int:
    return _low_schools(unit, end, threshold).count()


def low_attendance_schools(
    *, unit: OrgUnit, end: dt.date, threshold: float = 75.0, limit: int | None = LIST_LIMIT
) -> list[LowSchool]:
    """Schools whose attendance over their last 30 school days up to `end` is under the
    threshold, the lowest first. One row per school: the day's school-day and its trail."""
    qs = _low_schools(unit, end, threshold).order_by("rate30", "school_id")
    found = list(qs[:limit] if limit is not None else qs)
    schools = School.objects.in_bulk([r.school_id for r in found])
    return [
        LowSchool(
            schools[r.school_id],
            Figures(
                schools=1,
                slots_marked=r.w_slots,  # type: ignore[attr-defined]
                attended=r.w_came,  # type: ignore[attr-defined]
                meetings_expected=r.trail_expected + r.meetings_expected,
                meetings_marked=r.trail_marked + r.meetings_marked,
                school_days=r.trail_days + (1 if r.is_school_day else 0),
                on_roll=r.on_roll,
            ),
        )
        for r in found
    ]


@dataclass(frozen=True)
class MealGap:
    school: School
    day: dt.date
    meals_served: int | None
    present_forenoon: int
    kind: str  # "more_meals_than_children" | "no_meals_recorded"


def _meal_gaps(
    unit: OrgUnit, start: dt.date, end: dt.date, today: dt.date | None
) -> QuerySet[SchoolDay]:
    if today is not None:
        # Today is not over: its meals may be recorded until its end, and its children
        # present grow as sections mark. A day is judged once it is over.
        end = min(end, today - dt.timedelta(days=1))
    return SchoolDay.objects.filter(
        Q(meals_served__gt=F("present_forenoon"))
        | Q(meals_served__isnull=True, present_forenoon__gt=0),
        under(unit.path),
        day__gte=start,
        day__lte=end,
        is_school_day=True,
    )


def meal_gap_count(
    *, unit: OrgUnit, start: dt.date, end: dt.date, today: dt.date | None = None
) -> int:
    return _meal_gaps(unit, start, end, today).count()


def meal_gaps(
    *,
    unit: OrgUnit,
    start: dt.date,
    end: dt.date,
    limit: int | None = LIST_LIMIT,
    today: dt.date | None = None,
) -> list[MealGap]:
    """School days with more meals than children present, or no meals recorded though
    children were present (SPEC §1.9): the latest days first. `today`, the reader's:
    that day is left out until it is over."""
    qs = _meal_gaps(unit, start, end, today).order_by("-day", "school_id")
    found = list(qs[:limit] if limit is not None else qs)
    schools = School.objects.in_bulk([r.school_id for r in found])
    gaps = [
        MealGap(
            school=schools[r.school_id],
            day=r.day,
            meals_served=r.meals_served,
            present_forenoon=r.present_forenoon,
            kind="no_meals_recorded" if r.meals_served is None else "more_meals_than_children",
        )
        for r in found
    ]
    return sorted(gaps, key=lambda g: (-g.day.toordinal(), g.school.name))


@dataclass(frozen=True)
class Adoption:
    unit: OrgUnit
    schools: int
    school_days: int
    school_days_marked: int  # at least one meeting marked

    @property
    def pct(self) -> float | None:
        return _pct(self.school_days_marked, self.school_days)


def adoption(
    *, unit: OrgUnit, start: dt.date, end: dt.date, clock: due.Clock | None = None
) -> list[Adoption]:
    """Share of school days on which each child unit's schools marked attendance (§2.4);
    on the clock's today, a school day with nothing due yet is not counted."""
    children = list(OrgUnit.objects.filter(parent=unit).order_by("name")) or [unit]
    sums = {
        r["unit_id"]: r
        for r in UnitDay.objects.filter(unit__in=children, day__gte=start, day__lte=end)
        .values("unit_id")
        .annotate(schools=Max("schools"), days=Sum("school_days"), marked=Sum("school_days_any"))
    }
    pending: dict[int, due.Pending] = {}
    if clock is not None and _is_today(clock, start, end):
        in_all, pending = _pending_under(unit, clock)
        pending[unit.pk] = in_all
    return [
        Adoption(
            child,
            sums.get(child.pk, {}).get("schools") or 0,
            (sums.get(child.pk, {}).get("days") or 0)
            - pending.get(child.pk, due.Pending()).school_days,
            sums.get(child.pk, {}).get("marked") or 0,
        )
        for child in children
    ]


@dataclass(frozen=True)
class SectionFigures:
    section_id: int
    label: str
    meetings_marked: int
    slots_marked: int
    attended: int
    absent: int
    leave: int

    @property
    def attendance_pct(self) -> float | None:
        return _pct(self.attended, self.slots_marked)


def school_sections(*, school: School, start: dt.date, end: dt.date) -> list[SectionFigures]:
    """A school's sections over a range, from its roll calls (one school: small)."""
    from hazri.attendance.models import RollCall
    from hazri.org.models import Section

    sums = {
        r["section_id"]: r
        for r in RollCall.objects.filter(
            school_id=school.pk, day__gte=start, day__lte=end, is_current=True
        )
        .values("section_id")
        .annotate(
            n=Count("id"),
            came=Sum(F("present") + F("duty")),
            away=Sum("absent"),
            off=Sum("leave"),
        )
    }
    sections = Section.objects.filter(
        school=school, academic_year__starts_on__lte=end, academic_year__ends_on__gte=start
    ).order_by("grade", "name")
    rows = []
    for section in sections:
        r = sums.get(section.pk, {})
        came, away, off = r.get("came") or 0, r.get("away") or 0, r.get("off") or 0
        rows.append(
            SectionFigures(
                section.pk, section.label, r.get("n", 0), came + away + off, came, away, off
            )
        )
    return rows
