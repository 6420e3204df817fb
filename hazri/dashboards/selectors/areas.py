"""An area's figures: by the next level down, day by day, its roll-out, and the
school lists of low attendance and meal gaps."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
)

from hazri.dashboards import due
from hazri.dashboards.models import SchoolDay, UnitDay
from hazri.dashboards.selectors.figures import (
    LIST_LIMIT,
    Figures,
    _aggregate,
    _is_today,
    _pct,
    _pending_under,
    _unit_figures,
    under,
)
from hazri.org.models import OrgUnit, School


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
