"""Officers' dashboards as JSON (and CSV/XLSX for every table)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from hazri.accounts import selectors as access
from hazri.accounts.access import actor_of, within_area
from hazri.common.api import ErrorOut, PathId, request_user
from hazri.common.tables import table_formats, table_response
from hazri.dashboards import due, rollups, schemas, selectors, services, weak
from hazri.dashboards.asked import asked_day, asked_range
from hazri.dashboards.students import low_attendance_students
from hazri.org import selectors as org
from hazri.org.models import OrgUnit

router = Router(tags=["dashboards"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


def _range(start: dt.date | None, end: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    end = end or today
    return asked_range(start or min(end, today), end, today)


def _day(day: dt.date | None, field: str, today: dt.date) -> dt.date:
    return today if day is None else asked_day(day, today, field)


def _unit_ref(unit: OrgUnit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "name": unit.name,
        "name_local": unit.name_local,
        "kind": unit.kind,
        "parent": unit.parent_id,
    }


def _trend(points: list[tuple[dt.date, selectors.Figures]]) -> list[dict[str, Any]]:
    return [
        {
            "day": day,
            "attendance_pct": f.attendance_pct,
            "compliance_pct": f.compliance_pct,
            "staff_pct": f.staff_pct,
        }
        for day, f in points
    ]


def _rows_or_table(
    request_format: str, name: str, schema: type[Schema], rows: list[dict[str, Any]]
) -> Any:
    """The rows as JSON, or as a CSV/XLSX table with the schema's fields as columns."""
    if request_format == "json":
        return rows
    headers = list(schema.model_fields)
    return _export(request_format, name, headers, [[row[h] for h in headers] for row in rows])


def _export(request_format: str, name: str, headers: list[str], rows: list[list[Any]]) -> Any:
    return table_response(
        headers=headers, rows=rows, filename=f"hazri-{name}", format=request_format
    )


@router.get(
    "/dashboards/area",
    response={200: schemas.AreaOut, **ERRORS},
    openapi_extra=table_formats(),
    summary="Attendance of an area, by the next level down, with the trend",
)
def area(request: HttpRequest, query: Query[schemas.RangeQuery]) -> Any:
    unit = access.unit_visible(request.user, query.unit)
    clock = due.clock_for_unit(unit)
    today = clock.day
    start, end = _range(query.start, query.end, today)
    counted = rollups.freshness(start=start, end=end, today=today)
    report = selectors.area_report(unit=unit, start=start, end=end, clock=clock)
    if query.format != "json":
        headers = [
            "Name",
            "Schools",
            "Attendance %",
            "Marked %",
            "Staff %",
            "Meetings expected",
            "Meetings marked",
            "Late",
            "Student-meetings",
            "Attended",
            "Absent",
            "Leave",
            "On roll",
        ]
        rows = [
            [
                r.name,
                f.schools,
                f.attendance_pct,
                f.compliance_pct,
                f.staff_pct,
                f.meetings_expected,
                f.meetings_marked,
                f.meetings_late,
                f.slots_marked,
                f.attended,
                f.absent,
                f.leave,
                f.on_roll,
            ]
            for r in report.rows
            for f in [r.figures]
        ]
        return _export(query.format, f"area-{unit.code}-{start}-{end}", headers, rows)
    crumbs = OrgUnit.objects.filter(pk__in=unit.ancestor_ids).order_by("depth")
    return {
        "unit": _unit_ref(unit),
        "breadcrumbs": [_unit_ref(u) for u in within_area(actor_of(request), crumbs)],
        "start": start,
        "end": end,
        "counted": not counted.stale,
        "counted_up_to": counted.counted_up_to,
        "total": report.total.as_dict(),
        "rows": [
            {
                "kind": r.kind,
                "id": r.id,
                "name": r.name,
                "name_local": r.name_local,
                "figures": r.figures.as_dict(),
            }
            for r in report.rows
        ],
        "trend": _trend(selectors.area_trend(unit=unit, start=start, end=end, clock=clock)),
    }


@router.get(
    "/dashboards/schools/{school_id}",
    response={200: schemas.SchoolDashOut, **ERRORS},
    openapi_extra=table_formats(),
    summary="A school's sections over a range, with the trend",
)
def school(request: HttpRequest, school_id: PathId, query: Query[schemas.RangeQuery]) -> Any:
    found = access.school_visible(request.user, school_id)
    clock = due.clock_for_school(found)
    start, end = _range(query.start, query.end, clock.day)
    sections = selectors.school_sections(school=found, start=start, end=end)
    if query.format != "json":
        return _export(
            query.format,
            f"school-{found.code}-{start}-{end}",
            ["Section", "Meetings marked", "Attendance %", "Attended", "Absent", "Leave"],
            [
                [s.label, s.meetings_marked, s.attendance_pct, s.attended, s.absent, s.leave]
                for s in sections
            ],
        )
    return {
        "school": found.pk,
        "name": found.name,
        "unit": found.unit_id,
        "start": start,
        "end": end,
        "sections": [
            {
                "section": s.section_id,
                "label": s.label,
                "meetings_marked": s.meetings_marked,
                "slots_marked": s.slots_marked,
                "attended": s.attended,
                "absent": s.absent,
                "leave": s.leave,
                "attendance_pct": s.attendance_pct,
            }
            for s in sections
        ],
        "trend": _trend(selectors.school_trend(school=found, start=start, end=end, clock=clock)),
    }


@router.get(
    "/dashboards/compliance",
    response={200: list[schemas.ComplianceOut], **ERRORS},
    openapi_extra=table_formats(),
    summary="Who has not marked today, who marked late, and how often each misses",
)
def compliance(request: HttpRequest, query: Query[schemas.DashboardDayQuery]) -> Any:
    unit = access.unit_visible(request.user, query.unit)
    clock = due.clock_for_unit(unit)
    day = _day(query.day, "day", clock.day)
    rows = [
        {
            "school": r.school.pk,
            "name": r.school.name,
            "status": r.status,
            "due_by": r.due_by,
            "meetings_expected": r.today.meetings_expected if r.today else 0,
            "meetings_due": (
                0
                if r.today is None
                else r.today.meetings_expected
                if r.expected_now is None
                else r.expected_now
            ),
            "meetings_marked": r.today.meetings_marked if r.today else 0,
            "first_marked_at": r.today.first_marked_at if r.today else None,
            "staff_marked": bool(r.today and r.today.staff_marked),
            "missed_days": r.missed_days,
            "window_days": r.window_days,
            "late_meetings": r.late_meetings,
            "corrected_meetings": r.corrected_meetings,
        }
        for r in selectors.compliance(unit=unit, day=day, limit=query.limit, clock=clock)
    ]
    return _rows_or_table(
        query.format, f"compliance-{unit.code}-{day}", schemas.ComplianceOut, rows
    )


@router.get(
    "/dashboards/compliance/areas",
    response={200: list[schemas.AreaComplianceOut], **ERRORS},
    openapi_extra=table_formats(),
    summary="Marking on a day by the next level down: schools in full, in part, not at all",
)
def compliance_areas(request: HttpRequest, query: Query[schemas.DashboardDayQuery]) -> Any:
    unit = access.unit_visible(request.user, query.unit)
    clock = due.clock_for_unit(unit)
    day = _day(query.day, "day", clock.day)
    rows = [
        {
            "unit": a.unit.pk,
            "name": a.unit.name,
            "name_local": a.unit.name_local,
            "schools": a.figures.schools,
            "school_days": a.figures.school_days,
            "marked_in_full": a.figures.school_days_marked,
            "marked_partly": a.schools_partly,
            "not_marked": a.figures.school_days_unmarked,
            "not_due_yet": a.figures.school_days_pending,
            "meetings_expected": a.figures.meetings_expected,
            "meetings_marked": a.figures.meetings_marked,
            "meetings_late": a.figures.meetings_late,
            "meetings_corrected": a.figures.meetings_corrected,
            "compliance_pct": a.figures.compliance_pct,
        }
        for a in selectors.compliance_by_area(unit=unit, day=day, clock=clock)
    ]
    return _rows_or_table(
        query.format, f"compliance-areas-{unit.code}-{day}", schemas.AreaComplianceOut, rows
    )


@router.get(
    "/dashboards/low-attendance/schools",
    response={200: list[schemas.LowSchoolOut], **ERRORS},
    openapi_extra=table_formats(),
    summary="Schools under the attendance threshold over their last 30 school days",
)
def low_schools(request: HttpRequest, query: Query[schemas.LowQuery]) -> Any:
    unit = access.unit_visible(request.user, query.unit)
    today = org.unit_today(unit)
    end = _day(query.end, "end", today)
    threshold = query.threshold
    if threshold is None:
        threshold = org.policy_for_unit(unit).low_attendance_pct
    rows = [
        {
            "school": r.school.pk,
            "name": r.school.name,
            "attendance_pct": r.figures.attendance_pct,
            "slots_marked": r.figures.slots_marked,
            "compliance_pct": r.figures.compliance_pct,
        }
        for r in selectors.low_attendance_schools(
            unit=unit, end=end, threshold=threshold, limit=query.limit
        )
    ]
    return _rows_or_table(
        query.format, f"low-schools-{unit.code}-{end}", schemas.LowSchoolOut, rows
    )


@router.get(
    "/dashboards/low-attendance/students",
    response={200: list[schemas.LowStudentOut], **ERRORS},
    openapi_extra=table_formats(),
    summary="Students under the threshold or chronically absent over 30 school days",
    description=(
        "By need: the lowest attendance first, then the most days absent, then the "
        "student's id; paged with `offset` and `limit`. Children marked on fewer school "
        "days of the window than the policy's `low_attendance_min_days` are left out. "
        "A school, or an area: one of at most 60 schools is counted live from its roll "
        "calls; a larger one reads the list made every night, which holds the students "
        "as of that night (`as_of`) and may be asked for that day or later (422 "
        "`not_kept` for an earlier day, 409 `not_built` before the first night, 422 "
        "`threshold_too_high` above the highest threshold of any policy, 75% by default)."
    ),
)
def low_students(request: HttpRequest, query: Query[schemas.LowQuery]) -> Any:
    if query.school is not None:
        school = access.school_visible(request.user, query.school)
        end = _day(query.end, "end", org.school_today(school))
        found = low_attendance_students(schools=[school], end=end, threshold=query.threshold)
        page = found[query.offset : query.offset + query.limit]
        listed = weak.Listed(rates=page, total=len(found), as_of=end, nightly=False)
    else:
        unit = access.unit_visible(request.user, query.unit)
        today = org.unit_today(unit)
        end = _day(query.end, "end", today)
        listed = weak.area_students(
            unit,
            end=end,
            threshold=query.threshold,
            limit=query.limit,
            offset=query.offset,
            today=today,
            count=False,
        )
    rows = [
        {
            "student": r.student.pk,
            "name": r.student.name,
            "name_local": r.student.name_local,
            "school": r.school.pk,
            "school_name": r.school.name,
            "section": r.section.pk if r.section else None,
            "section_label": r.section_label,
            "guardian_phone": r.guardian_phone,
            "held": r.held,
            "attended": r.attended,
            "pct": r.pct,
            "school_days": r.school_days,
            "days_absent": r.days_absent,
            "absent_days_pct": r.absent_days_pct,
            "under_threshold": r.under_threshold,
            "chronically_absent": r.chronically_absent,
            "last_follow_up": r.last_follow_up_text or None,
            "as_of": r.as_of or listed.as_of,
        }
        for r in listed.rates
    ]
    return _rows_or_table(query.format, f"low-students-{end}", schemas.LowStudentOut, rows)


@router.get(
    "/dashboards/meals",
    response={200: list[schemas.MealGapOut], **ERRORS},
    openapi_extra=table_formats(),
    summary="Mid-day meal gaps: more meals than children present, or none recorded",
    description="Days that are over: today is judged once it has ended (its meals may "
    "be recorded until then, and its children present grow as sections mark).",
)
def meals(request: HttpRequest, query: Query[schemas.ListQuery]) -> Any:
    unit = access.unit_visible(request.user, query.unit)
    today = org.unit_today(unit)
    start, end = _range(query.start, query.end, today)
    rows = [
        {
            "school": g.school.pk,
            "name": g.school.name,
            "day": g.day,
            "meals_served": g.meals_served,
            "present_forenoon": g.present_forenoon,
            "kind": g.kind,
        }
        for g in selectors.meal_gaps(
            unit=unit, start=start, end=end, limit=query.limit, today=today
        )
    ]
    return _rows_or_table(
        query.format, f"meals-{unit.code}-{start}-{end}", schemas.MealGapOut, rows
    )


@router.get(
    "/dashboards/adoption",
    response={200: list[schemas.AdoptionOut], **ERRORS},
    openapi_extra=table_formats(),
    summary="Share of school days marked, by the next level down (roll-out)",
)
def adoption(request: HttpRequest, query: Query[schemas.RangeQuery]) -> Any:
    unit = access.unit_visible(request.user, query.unit)
    clock = due.clock_for_unit(unit)
    start, end = _range(query.start, query.end, clock.day)
    rows = [
        {
            "unit": a.unit.pk,
            "name": a.unit.name,
            "schools": a.schools,
            "school_days": a.school_days,
            "school_days_marked": a.school_days_marked,
            "pct": a.pct,
        }
        for a in selectors.adoption(unit=unit, start=start, end=end, clock=clock)
    ]
    return _rows_or_table(
        query.format, f"adoption-{unit.code}-{start}-{end}", schemas.AdoptionOut, rows
    )


@router.get(
    "/dashboards/photos",
    response={200: list[schemas.PhotoAdoptionOut], **ERRORS},
    openapi_extra=table_formats(),
    summary="Roll calls from class photos and teachers' corrections, by the next level down",
)
def photos(request: HttpRequest, query: Query[schemas.RangeQuery]) -> Any:
    unit = access.unit_visible(request.user, query.unit)
    start, end = _range(query.start, query.end, org.unit_today(unit))
    report = selectors.photo_adoption(unit=unit, start=start, end=end)
    fields = list(schemas.PhotoAdoptionOut.model_fields)
    rows = [{name: getattr(r, name) for name in fields} for r in report.rows]
    return _rows_or_table(
        query.format, f"photos-{unit.code}-{start}-{end}", schemas.PhotoAdoptionOut, rows
    )


@router.get(
    "/dashboards/learning",
    response={200: list[schemas.LearningBandOut], **ERRORS},
    openapi_extra=table_formats(),
    summary="Students by attendance band with their average grade, by the next level down",
)
def learning(request: HttpRequest, query: Query[schemas.RangeQuery]) -> Any:
    unit = access.unit_visible(request.user, query.unit)
    start, end = _range(query.start, query.end, org.unit_today(unit))
    report = selectors.attendance_and_learning(unit=unit, start=start, end=end)
    rows = [
        {
            "kind": r.kind,
            "id": r.id,
            "name": r.name,
            "band": f.band.key,
            "attendance_from": f.band.low or 0,
            "attendance_to": f.band.high or 100,
            "students": f.students,
            "students_pct": r.share(f),
            "graded": f.graded,
            "average_grade": f.average_grade,
        }
        for r, f in report.lines()
    ]
    return _rows_or_table(
        query.format, f"learning-{unit.code}-{start}-{end}", schemas.LearningBandOut, rows
    )


@router.post(
    "/schools/{school_id}/meals",
    response={200: schemas.MealIn, **ERRORS},
    summary="Record the mid-day meals served on a day",
)
def record_meals(request: HttpRequest, school_id: PathId, payload: schemas.MealIn) -> Any:
    found = access.school_visible(request.user, school_id)
    record = services.meal_record(
        school=found, day=payload.day, meals_served=payload.meals_served, by=request_user(request)
    )
    return {"day": record.day, "meals_served": record.meals_served}
