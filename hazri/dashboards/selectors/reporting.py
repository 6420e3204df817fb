"""Reporting across the system (SPEC §4.2): an area's children's movement over an
academic year, by the next level down: applications (received, admitted, refused,
waiting), transfers in and out, promotions and repeaters, and drop-outs.

Read live from the records themselves (people's admissions and enrolments, the
admissions app's applications), never from a copy: a transfer is two admissions of
one student, a drop-out an admission struck off with nothing after it.

- Transfer in: an admission made in the year (admitted_on) at a school of the area,
  of a student admitted earlier at another school.
- Transfer out: an admission struck off in the year (left_on), of a student admitted
  later at another school.
- Drop-out: an admission struck off in the year with no admission of the student,
  anywhere, begun after it. A child who leaves and comes back to the same school is
  neither a transfer nor a drop-out.
- Promoted, repeater: students on a roll in the year (an enrolment begun in it) as
  promoted, or as failed or supplementary (people.Enrolment.origin); a child counts
  once per row however many sections they moved through.
- Applications: those for the year's session (hazri.admissions), counted at the
  school that holds each now (the preference being considered, or the one that
  admitted or last refused it): received (all), admitted, refused, withdrawn, and
  waiting (still open: submitted, under review, correction asked, resubmitted).

Figures count per school and add up: a transfer between two schools of one area is
one transfer in and one transfer out of it.

Set-based: one aggregate query per kind of record for the whole area, filtered on
the schools under the area's unit path and grouped by the school's unit path (and
by school only for schools attached to the unit itself), so the rows that come back
are as many as the area's lowest units, not its schools or students."""

from dataclasses import dataclass, field, fields

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, When

from hazri.admissions.models import OPEN_STATUSES, Application
from hazri.common.errors import NotFound
from hazri.dashboards.selectors import breakdown
from hazri.dashboards.selectors.figures import under
from hazri.org import selectors as org
from hazri.org.models import AcademicYear, OrgUnit, School
from hazri.people.models import Admission, Enrolment

Key = tuple[str, int]  # ("unit", child unit id) or ("school", school id)


@dataclass
class Movement:
    """One row's figures for the year."""

    applications: int = 0
    admitted: int = 0
    refused: int = 0
    withdrawn: int = 0
    waiting: int = 0
    transfers_in: int = 0
    transfers_out: int = 0
    promoted: int = 0
    repeaters: int = 0
    dropouts: int = 0

    def add(self, other: "Movement") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


FIGURES = tuple(f.name for f in fields(Movement))


@dataclass
class ReportRow:
    kind: str  # "area" (the asked unit as a whole), "unit" (a child unit) or "school"
    id: int
    name: str
    name_local: str
    figures: Movement = field(default_factory=Movement)


@dataclass(frozen=True)
class YearReport:
    unit: OrgUnit
    year: AcademicYear
    total: ReportRow
    rows: list[ReportRow]

    def lines(self) -> list[ReportRow]:
        """The area as a whole, then each child area or school (downloads, the API)."""
        return [self.total, *self.rows]


# --- The year --------------------------------------------------------------------


def years_for(unit: OrgUnit) -> list[AcademicYear]:
    """The sessions run over the unit (its own and its ancestors'), the latest first."""
    return list(
        AcademicYear.objects.filter(unit_id__in=unit.ancestor_ids).order_by("-starts_on", "pk")
    )


def year_for(
    unit: OrgUnit, year_id: int | None, years: list[AcademicYear] | None = None
) -> AcademicYear:
    """The asked session if it is one run over the unit (another is one 404 with a
    year that does not exist), else the one in force today, else the latest begun,
    else the first to come. `years`: years_for(unit), when the caller has it."""
    years = years_for(unit) if years is None else years
    if year_id is not None:
        found = next((y for y in years if y.pk == year_id), None)
        if found is None:
            raise NotFound(f"No academic year {year_id} here.", field="year", code="no_year")
        return found
    today = org.unit_today(unit)
    current = [y for y in years if y.starts_on <= today]
    chosen = next((y for y in current if y.contains(today)), None) or next(iter(current), None)
    if chosen is None and years:
        chosen = years[-1]
    if chosen is None:
        raise NotFound("No academic year is set up here yet.", field="year", code="no_year")
    return chosen


# --- Counting ----------------------------------------------------------------------


def _grouped(qs: QuerySet, unit: OrgUnit) -> QuerySet:
    """The rows (of a table with school_id) of the area's schools, grouped by the
    school's unit path, and by school where the school is attached to the unit itself."""
    return (
        qs.filter(school_id__in=School.objects.filter(under(unit.path)).values("pk"))
        .annotate(
            group_path=F("school__unit_path"),
            direct=Case(
                When(school__unit_path=unit.path, then=F("school_id")),
                default=None,
                output_field=IntegerField(),
            ),
        )
        .values("group_path", "direct")
    )


def _key(unit: OrgUnit, path: str, direct: int | None) -> Key | None:
    if direct is not None:
        return ("school", direct)
    child = breakdown.child_of(unit, path)
    return None if child is None else ("unit", child)


def _in(field_name: str, year: AcademicYear) -> Q:
    return Q(**{f"{field_name}__gte": year.starts_on, f"{field_name}__lte": year.ends_on})


def _admission_figures(unit: OrgUnit, year: AcademicYear) -> list[tuple[Key | None, Movement]]:
    """Transfers in and out and drop-outs, in one query over the area's admissions."""
    others = Admission.objects.filter(student_id=OuterRef("student_id")).exclude(pk=OuterRef("pk"))
    elsewhere = others.exclude(school_id=OuterRef("school_id"))
    earlier_elsewhere = Exists(elsewhere.filter(admitted_on__lt=OuterRef("admitted_on")))
    later_elsewhere = Exists(elsewhere.filter(admitted_on__gt=OuterRef("admitted_on")))
    later_anywhere = Exists(others.filter(admitted_on__gt=OuterRef("admitted_on")))
    admitted, left = _in("admitted_on", year), _in("left_on", year)
    rows = _grouped(Admission.objects.filter(admitted | left), unit).annotate(
        transfers_in=Count("pk", filter=admitted & Q(earlier_elsewhere)),
        transfers_out=Count("pk", filter=left & Q(later_elsewhere)),
        dropouts=Count("pk", filter=left & ~Q(later_anywhere)),
    )
    return [
        (
            _key(unit, r["group_path"], r["direct"]),
            Movement(
                transfers_in=r["transfers_in"],
                transfers_out=r["transfers_out"],
                dropouts=r["dropouts"],
            ),
        )
        for r in rows
    ]


def _enrolment_figures(unit: OrgUnit, year: AcademicYear) -> list[tuple[Key | None, Movement]]:
    """Promoted and repeating students, in one query over the area's enrolments."""
    origin = Enrolment.Origin
    rows = _grouped(
        Enrolment.objects.filter(
            _in("starts_on", year), origin__in=[origin.PROMOTED, origin.REPEATER]
        ),
        unit,
    ).annotate(
        promoted=Count("student_id", filter=Q(origin=origin.PROMOTED), distinct=True),
        repeaters=Count("student_id", filter=Q(origin=origin.REPEATER), distinct=True),
    )
    return [
        (
            _key(unit, r["group_path"], r["direct"]),
            Movement(promoted=r["promoted"], repeaters=r["repeaters"]),
        )
        for r in rows
    ]


def _application_figures(unit: OrgUnit, year: AcademicYear) -> list[tuple[Key | None, Movement]]:
    """Applications for the year's session by status, in one query over the area's."""
    status = Application.Status
    rows = _grouped(Application.objects.filter(academic_year_id=year.pk), unit).annotate(
        received=Count("pk"),
        admitted=Count("pk", filter=Q(status=status.ADMITTED)),
        refused=Count("pk", filter=Q(status=status.REFUSED)),
        withdrawn=Count("pk", filter=Q(status=status.WITHDRAWN)),
        waiting=Count("pk", filter=Q(status__in=sorted(OPEN_STATUSES))),
    )
    return [
        (
            _key(unit, r["group_path"], r["direct"]),
            Movement(
                applications=r["received"],
                admitted=r["admitted"],
                refused=r["refused"],
                withdrawn=r["withdrawn"],
                waiting=r["waiting"],
            ),
        )
        for r in rows
    ]


def year_report(*, unit: OrgUnit, year: AcademicYear) -> YearReport:
    """The unit's movement over the year, by its child units and own schools, and for
    the unit as a whole (the sum of its rows)."""
    rows = {
        (kind, pk): ReportRow(kind, pk, name, local)
        for kind, pk, name, local in breakdown.next_level(unit)
    }
    total = ReportRow("area", unit.pk, unit.name, unit.name_local)
    for counted in (_application_figures, _admission_figures, _enrolment_figures):
        for key, figures in counted(unit, year):
            total.figures.add(figures)
            found = rows.get(key) if key is not None else None
            if found is not None:
                found.figures.add(figures)
    return YearReport(unit, year, total, list(rows.values()))
