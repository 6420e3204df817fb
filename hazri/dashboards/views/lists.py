"""The officers' lists over an area: low attendance (whom to call), mid-day meals
(where meals and presence disagree) and the roll-out (who marks at all). Thin views
over hazri.dashboards.selectors and the nightly lists."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from hazri.attendance.views.base import parse_day
from hazri.common import figures as figures_rule
from hazri.common.errors import ServiceError
from hazri.common.pages import error_text, page
from hazri.common.templatetags.hazri_tags import local_name
from hazri.dashboards import due, rollups, selectors, weak
from hazri.dashboards.asked import asked_day
from hazri.dashboards.views.areas import (
    EXPORT_ROWS,
    MAX_ROWS,
    area_context,
    asked_unit,
)
from hazri.dashboards.views.common import (
    download,
    export_links,
    low_student_columns,
    pager,
    parse_format,
    parse_page,
    parse_period,
    parse_table,
    parse_threshold,
    period_choices,
)
from hazri.org import selectors as org

# Students on a page of the low-attendance list (the download holds every one).
STUDENT_PAGE = 50

# --- Low attendance ---------------------------------------------------------------------


@page
@require_GET
def low(request: HttpRequest) -> HttpResponse:
    unit = asked_unit(request)
    today = org.unit_today(unit)
    end = asked_day(parse_day(request.GET.get("end"), today), today, "end")
    chosen = parse_threshold(request.GET.get("threshold"))
    fmt = parse_format(request.GET)
    page_no = 1 if fmt else parse_page(request.GET.get("page"))
    policy = org.policy_for_unit(unit)
    threshold = float(policy.low_attendance_pct) if chosen is None else chosen
    counted = rollups.trail_freshness(end=end, today=today)
    schools = selectors.low_attendance_schools(
        unit=unit, end=end, threshold=threshold, limit=EXPORT_ROWS if fmt else MAX_ROWS
    )
    table = parse_table(request.GET, ["students", "schools"]) if fmt else ""
    listed: weak.Listed | None = None
    missing: ServiceError | None = None  # why an area this large has no list for the day
    if table != "schools":
        try:
            listed = weak.area_students(
                unit,
                end=end,
                threshold=chosen,
                limit=EXPORT_ROWS if fmt else STUDENT_PAGE,
                offset=(page_no - 1) * STUDENT_PAGE,
                today=today,
                count=not fmt,
            )
        except ServiceError as error:
            if fmt:
                raise
            missing = error
    if fmt:
        if table == "schools":
            return download(
                fmt,
                f"low-schools-{unit.code}-{end}",
                [
                    (_("School"), lambda r: r.school),
                    (_("UDISE code"), lambda r: r.school.code),
                    (_("Attendance %"), lambda r: r.figures.attendance_pct),
                    (_("Marked %"), lambda r: r.figures.compliance_pct),
                    (_("Student-meetings marked"), lambda r: r.figures.slots_marked),
                ],
                schools,
            )
        assert listed is not None  # a missing list was raised above
        return download(
            fmt,
            f"low-students-{unit.code}-{listed.as_of}",
            low_student_columns(with_school=True),
            listed.rates,
        )
    query = f"unit={unit.pk}&end={end.isoformat()}"
    if chosen is not None:
        query += f"&threshold={chosen:g}"
    context = area_context(
        request,
        unit,
        "dashboard_low",
        counted=counted,
        end=end,
        threshold=threshold,
        chosen=chosen,
        schools=schools,
        more_schools=max(
            0,
            selectors.low_attendance_count(unit=unit, end=end, threshold=threshold) - len(schools),
        ),
        missing=missing.code if missing else "",
        missing_text=error_text(missing) if missing else "",
        kept_below=_kept_below(missing),
        counted_all=not listed or listed.total < weak.COUNTED_UP_TO,
        counted_up_to=f"{weak.COUNTED_UP_TO:,}",
        listed=listed,
        students=listed.rates if listed else [],
        student_pages=(
            pager(page_no, STUDENT_PAGE, listed.total, query) if listed and listed.total else None
        ),
        min_days=policy.low_attendance_min_days,
        school_exports=export_links(f"{query}&table=schools"),
        student_exports=export_links(f"{query}&table=students"),
    )
    return render(request, "dashboards/low.html", context)


def _kept_below(missing: ServiceError | None) -> int | None:
    """The highest threshold the nightly lists hold, when one above it was asked."""
    run = weak.last_build() if missing and missing.code == "threshold_too_high" else None
    return run.kept_below if run else None


# --- Mid-day meals ------------------------------------------------------------------


@page
@require_GET
def meals(request: HttpRequest) -> HttpResponse:
    unit = asked_unit(request)
    today = org.unit_today(unit)
    period = parse_period(request.GET, today, default="week")
    fmt = parse_format(request.GET)
    table = parse_table(request.GET, ["gaps", "areas"]) if fmt else ""
    counted = rollups.freshness(start=period.start, end=period.end, today=today)
    if fmt and table == "areas":
        return download(
            fmt,
            f"meals-areas-{unit.code}-{period.start}-{period.end}",
            [
                (_("Name"), lambda r: r),
                (_("Meals served"), lambda r: r.figures.meals_served),
                (_("Present in the forenoon"), lambda r: r.figures.present_forenoon),
                (_("Meals per child present %"), lambda r: _meals_pct(r.figures)),
            ],
            selectors.area_report(unit=unit, start=period.start, end=period.end).rows,
        )
    gaps = selectors.meal_gaps(
        unit=unit,
        start=period.start,
        end=period.end,
        limit=EXPORT_ROWS if fmt else MAX_ROWS,
        today=today,
    )
    kinds = {
        "more_meals_than_children": gettext("More meals than children present"),
        "no_meals_recorded": gettext("No meals recorded"),
    }
    if fmt:
        return download(
            fmt,
            f"meals-{unit.code}-{period.start}-{period.end}",
            [
                (_("School"), lambda g: g.school),
                (_("Date"), lambda g: g.day),
                (_("Meals served"), lambda g: g.meals_served),
                (_("Present in the forenoon"), lambda g: g.present_forenoon),
                (_("Gap"), lambda g: kinds.get(g.kind, g.kind)),
            ],
            gaps,
        )
    rows = [{"gap": g, "kind": kinds.get(g.kind, g.kind)} for g in gaps]
    report = selectors.area_report(unit=unit, start=period.start, end=period.end)
    query = f"unit={unit.pk}&{period.query}"
    context = area_context(
        request,
        unit,
        "dashboard_meals",
        counted=counted,
        period=period,
        periods=period_choices(f"unit={unit.pk}", period),
        total=report.total,
        total_pct=_meals_pct(report.total),
        areas=[
            {
                "row": r,
                "pct": _meals_pct(r.figures),
                "url": f"?unit={r.id}&{period.query}"
                if r.kind == "unit"
                else f"{reverse('dashboard_school', args=[r.id])}?{period.query}",
            }
            for r in report.rows
        ],
        area_exports=export_links(f"{query}&table=areas"),
        rows=rows,
        more=max(
            0,
            selectors.meal_gap_count(unit=unit, start=period.start, end=period.end, today=today)
            - len(gaps),
        ),
        exports=export_links(f"{query}&table=gaps"),
    )
    return render(request, "dashboards/meals.html", context)


def _meals_pct(figures: selectors.Figures) -> float | None:
    """Meals served for every 100 children present in the forenoon (over 100: more
    meals than children)."""
    if not figures.present_forenoon:
        return None
    return figures_rule.percent(figures.meals_served, figures.present_forenoon)


# --- Roll-out ------------------------------------------------------------------------


@page
@require_GET
def adoption(request: HttpRequest) -> HttpResponse:
    unit = asked_unit(request)
    clock = due.clock_for_unit(unit)
    today = clock.day
    period = parse_period(request.GET, today, default="month")
    fmt = parse_format(request.GET)
    counted = rollups.freshness(start=period.start, end=period.end, today=today)
    rows = selectors.adoption(unit=unit, start=period.start, end=period.end, clock=clock)
    if fmt:
        return download(
            fmt,
            f"adoption-{unit.code}-{period.start}-{period.end}",
            [
                (_("Name"), lambda a: a.unit),
                (_("Schools"), lambda a: a.schools),
                (_("School days"), lambda a: a.school_days),
                (_("School days marked"), lambda a: a.school_days_marked),
                (_("Marked %"), lambda a: a.pct),
            ],
            rows,
        )
    chart = {
        "type": "bar",
        "labels": [local_name(a.unit) for a in rows],
        "series": [{"label": gettext("School days marked %"), "data": [a.pct for a in rows]}],
    }
    context = area_context(
        request,
        unit,
        "dashboard_adoption",
        counted=counted,
        period=period,
        periods=period_choices(f"unit={unit.pk}", period),
        rows=[
            {"row": a, "drill": a.unit.pk != unit.pk, "query": f"unit={a.unit.pk}&{period.query}"}
            for a in rows
        ],
        chart=chart,
        exports=export_links(f"unit={unit.pk}&{period.query}"),
    )
    return render(request, "dashboards/adoption.html", context)
