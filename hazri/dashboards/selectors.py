"""Dashboard figures, read from the school-day rollups (never from raw marks)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, fields

from django.db.models import Count, F, Q, QuerySet, Sum

from hazri.dashboards.models import SchoolDay
from hazri.org.models import OrgUnit, School

SUMMED = [
    "meetings_expected",
    "meetings_marked",
    "meetings_late",
    "slots_marked",
    "attended",
    "absent",
    "leave",
    "staff_attended",
    "meals_served",
    "present_forenoon",
]


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


def _rollups(path: str, start: dt.date, end: dt.date) -> QuerySet[SchoolDay]:
    return SchoolDay.objects.filter(day__gte=start, day__lte=end, unit_path__startswith=path)


def _aggregate(qs: QuerySet[SchoolDay], group: str, end: dt.date) -> dict[object, Figures]:
    """Figures per value of `group` (unit_path, school_id or day) in one query."""
    rows = qs.values(group).annotate(
        schools=Count("school_id", distinct=True),
        school_days=Count("id", filter=Q(is_school_day=True)),
        school_days_unmarked=Count(
            "id", filter=Q(is_school_day=True, meetings_marked=0, meetings_expected__gt=0)
        ),
        staff_expected=Sum("staff_on_roll", filter=Q(is_school_day=True)),
        staff_expected_marked=Sum("staff_on_roll", filter=Q(staff_marked=True)),
        staff_marked_days=Count("id", filter=Q(staff_marked=True)),
        on_roll=Sum("on_roll", filter=Q(day=end)),
        **{f"sum_{name}": Sum(name) for name in SUMMED},
    )
    marked_in_full = {
        r[group]: r["n"]
        for r in qs.filter(is_school_day=True, meetings_expected__gt=0)
        .filter(meetings_marked__gte=F("meetings_expected"))
        .values(group)
        .annotate(n=Count("id"))
    }
    result = {}
    for r in rows:
        figures = Figures(
            schools=r["schools"],
            school_days=r["school_days"],
            school_days_marked=marked_in_full.get(r[group], 0),
            school_days_unmarked=r["school_days_unmarked"],
            staff_expected=r["staff_expected"] or 0,
            staff_expected_marked=r["staff_expected_marked"] or 0,
            staff_marked_days=r["staff_marked_days"],
            on_roll=r["on_roll"] or 0,
        )
        for name in SUMMED:
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


def area_report(*, unit: OrgUnit, start: dt.date, end: dt.date) -> AreaReport:
    """The unit's figures for the range, broken down by the next level down: its child
    units, or its schools when it has none."""
    qs = _rollups(unit.path, start, end)
    children = list(OrgUnit.objects.filter(parent=unit).order_by("name"))
    rows: list[AreaRow] = []
    total = Figures()
    if children:
        by_path = _aggregate(qs.exclude(unit_path=unit.path), "unit_path", end)
        child_of = {c.pk: c for c in children}
        sums: dict[int, Figures] = defaultdict(Figures)
        for path, figures in by_path.items():
            ids = [int(p) for p in str(path).strip("/").split("/")]
            if len(ids) > unit.depth + 1 and ids[unit.depth + 1] in child_of:
                sums[ids[unit.depth + 1]].add(figures)
        for child in children:
            figures = sums.get(child.pk, Figures())
            total.add(figures)
            rows.append(AreaRow("unit", child.pk, child.name, child.name_local, figures))
    # Schools attached to the unit itself (all of them when it has no child units).
    direct = list(School.objects.filter(unit=unit).order_by("name"))
    if direct:
        by_school = _aggregate(qs.filter(school__in=direct), "school_id", end)
        for school in direct:
            figures = by_school.get(school.pk, Figures())
            total.add(figures)
            rows.append(AreaRow("school", school.pk, school.name, school.name_local, figures))
    return AreaReport(unit=unit, start=start, end=end, total=total, rows=rows)


def area_trend(*, path: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, Figures]]:
    """Day by day figures for an area (a unit's path, or a school's unit path + school)."""
    by_day = _aggregate(_rollups(path, start, end), "day", end)
    return sorted(by_day.items())  # type: ignore[arg-type]


def school_trend(*, school: School, start: dt.date, end: dt.date) -> list[tuple[dt.date, Figures]]:
    qs = SchoolDay.objects.filter(school=school, day__gte=start, day__lte=end)
    return sorted(_aggregate(qs, "day", end).items())  # type: ignore[arg-type]


@dataclass(frozen=True)
class ComplianceRow:
    school: School
    today: SchoolDay | None
    missed_days: int  # school days in the window with nothing marked
    late_meetings: int
    corrected_meetings: int
    window_days: int


def compliance(*, unit: OrgUnit, day: dt.date, window: int = 30) -> list[ComplianceRow]:
    """Schools under the unit with what they marked on `day`, and how often they miss:
    the ones that have not marked come first, then the worst offenders."""
    start = day - dt.timedelta(days=window - 1)
    schools = {s.pk: s for s in School.objects.filter(unit_path__startswith=unit.path)}
    today = {
        r.school_id: r for r in SchoolDay.objects.filter(day=day, unit_path__startswith=unit.path)
    }
    history = {
        r["school_id"]: r
        for r in _rollups(unit.path, start, day)
        .filter(is_school_day=True)
        .values("school_id")
        .annotate(
            days=Count("id"),
            missed=Count("id", filter=Q(meetings_marked=0, meetings_expected__gt=0)),
            late=Sum("meetings_late"),
            corrected=Sum("meetings_corrected"),
        )
    }
    rows = [
        ComplianceRow(
            school=school,
            today=today.get(pk),
            missed_days=history.get(pk, {}).get("missed", 0),
            late_meetings=history.get(pk, {}).get("late") or 0,
            corrected_meetings=history.get(pk, {}).get("corrected") or 0,
            window_days=history.get(pk, {}).get("days", 0),
        )
        for pk, school in schools.items()
    ]

    def urgency(row: ComplianceRow) -> tuple[int, int, str]:
        marked = row.today.meetings_marked if row.today else 0
        return (1 if marked else 0, -row.missed_days, row.school.name)

    return sorted(rows, key=urgency)


@dataclass(frozen=True)
class LowSchool:
    school: School
    figures: Figures


def low_attendance_schools(
    *, unit: OrgUnit, end: dt.date, threshold: float = 75.0, days: int = 30
) -> list[LowSchool]:
    """Schools whose attendance over the last `days` calendar days is under the threshold."""
    start = end - dt.timedelta(days=days - 1)
    by_school = _aggregate(_rollups(unit.path, start, end), "school_id", end)
    schools = School.objects.in_bulk(list(by_school))
    low = [
        LowSchool(schools[pk], f)
        for pk, f in by_school.items()  # type: ignore[index]
        if f.attendance_pct is not None and f.attendance_pct < threshold
    ]
    return sorted(low, key=lambda row: row.figures.attendance_pct or 0)


@dataclass(frozen=True)
class MealGap:
    school: School
    day: dt.date
    meals_served: int | None
    present_forenoon: int
    kind: str  # "more_meals_than_children" | "no_meals_recorded"


def meal_gaps(*, unit: OrgUnit, start: dt.date, end: dt.date) -> list[MealGap]:
    """School days with more meals than children present, or no meals recorded though
    children were present (SPEC §1.9)."""
    rows = (
        _rollups(unit.path, start, end)
        .filter(is_school_day=True)
        .filter(
            Q(meals_served__gt=F("present_forenoon"))
            | Q(meals_served__isnull=True, present_forenoon__gt=0)
        )
        .select_related("school")
        .order_by("day", "school__name")
    )
    return [
        MealGap(
            school=r.school,
            day=r.day,
            meals_served=r.meals_served,
            present_forenoon=r.present_forenoon,
            kind="no_meals_recorded" if r.meals_served is None else "more_meals_than_children",
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Adoption:
    unit: OrgUnit
    schools: int
    school_days: int
    school_days_marked: int  # at least one meeting marked

    @property
    def pct(self) -> float | None:
        return _pct(self.school_days_marked, self.school_days)


def adoption(*, unit: OrgUnit, start: dt.date, end: dt.date) -> list[Adoption]:
    """Share of school days on which each child unit's schools marked attendance (§2.4)."""
    children = list(OrgUnit.objects.filter(parent=unit).order_by("name")) or [unit]
    result = []
    for child in children:
        r = (
            _rollups(child.path, start, end)
            .filter(is_school_day=True)
            .aggregate(
                schools=Count("school_id", distinct=True),
                days=Count("id"),
                marked=Count("id", filter=Q(meetings_marked__gt=0)),
            )
        )
        result.append(Adoption(child, r["schools"], r["days"], r["marked"]))
    return result


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
