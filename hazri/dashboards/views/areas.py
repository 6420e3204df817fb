"""The officers' pages over an area: attendance by the next level down and who has not
marked (the lists, low attendance, meals and roll-out, are in lists.py). Thin views over
hazri.dashboards.selectors; every figure comes from the school-day rollups."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from hazri.accounts import selectors as access
from hazri.attendance.views.base import parse_day
from hazri.common.pages import page
from hazri.dashboards import due, rollups, selectors, weak
from hazri.dashboards.asked import asked_day
from hazri.dashboards.selectors import AreaRow
from hazri.dashboards.views.common import (
    Period,
    crumbs,
    download,
    export_links,
    nav,
    parse_format,
    parse_id,
    parse_period,
    parse_table,
    period_choices,
    trend_chart,
    trend_download,
)
from hazri.org.models import OrgUnit

# A table on a page; the download has every row.
MAX_ROWS = 300
# The most rows a download holds (a large area's student list is counted as far).
EXPORT_ROWS = weak.COUNTED_UP_TO

KINDS = {
    "state": _("State"),
    "district": _("District"),
    "block": _("Block"),
    "cluster": _("Cluster"),
}
KINDS_PLURAL = {
    "state": _("States"),
    "district": _("Districts"),
    "block": _("Blocks"),
    "cluster": _("Clusters"),
}


def kind_label(kind: str, plural: bool = False) -> str:
    found = (KINDS_PLURAL if plural else KINDS).get(kind)
    return str(found) if found is not None else kind.replace("-", " ").title()


def asked_unit(request: HttpRequest) -> OrgUnit:
    return access.unit_visible(request.user, parse_id(request.GET.get("unit"), "unit"))


def area_context(
    request: HttpRequest, unit: OrgUnit, current: str, *, counted: rollups.Freshness, **extra: Any
) -> dict[str, Any]:
    """What every area page shows around its table: where, the nav, the unit's kind,
    and how far its figures are counted (a GET never builds them: rollups.freshness)."""
    return {
        "unit": unit,
        "unit_kind": kind_label(unit.kind),
        "crumbs": crumbs(request.user, unit),
        "nav": nav(current, unit.pk),
        "current": current,
        "counted": counted,
        **extra,
    }


# --- Attendance by area ------------------------------------------------------------

SORTS = {
    "name": lambda r: r.name.lower(),
    "attendance": lambda r: r.figures.attendance_pct,
    "marked": lambda r: r.figures.compliance_pct,
    "staff": lambda r: r.figures.staff_pct,
    "late": lambda r: r.figures.meetings_late,
    "on_roll": lambda r: r.figures.on_roll,
    "schools": lambda r: r.figures.schools,
}


def sort_rows(rows: list[AreaRow], key: str, descending: bool) -> list[AreaRow]:
    """Rows by a column; rows without a figure go last either way."""
    get = SORTS.get(key)
    if get is None:
        return rows
    known = [r for r in rows if get(r) is not None]
    unknown = [r for r in rows if get(r) is None]
    return sorted(known, key=get, reverse=descending) + unknown


def _next_direction(key: str, sort: str, descending: bool) -> str:
    """A click on the sorted column turns it round; names start A-Z, figures high-low."""
    if key == sort:
        return "asc" if descending else "desc"
    return "asc" if key == "name" else "desc"


AREA_COLUMNS = [
    ("name", _("Name")),
    ("schools", _("Schools")),
    ("attendance", _("Attendance %")),
    ("marked", _("Marked %")),
    ("staff", _("Staff %")),
    ("late", _("Late")),
    ("on_roll", _("On roll")),
]


@page
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    unit = asked_unit(request)
    clock = due.clock_for_unit(unit)
    today = clock.day
    period = parse_period(request.GET, today)
    fmt = parse_format(request.GET)
    counted = rollups.freshness(start=period.start, end=period.end, today=today)
    report = selectors.area_report(unit=unit, start=period.start, end=period.end, clock=clock)
    sort = request.GET.get("sort", "")
    descending = request.GET.get("dir") == "desc"
    rows = sort_rows(report.rows, sort, descending)
    name = f"area-{unit.code}-{period.start}-{period.end}"
    if fmt and parse_table(request.GET, ["areas", "trend"]) == "trend":
        return trend_download(fmt, name, _area_trend(unit, period, clock))
    if fmt:
        return download(
            fmt,
            name,
            [
                (_("Name"), lambda r: r),
                (_("Schools"), lambda r: r.figures.schools),
                (_("Attendance %"), lambda r: r.figures.attendance_pct),
                (_("Marked %"), lambda r: r.figures.compliance_pct),
                (_("Staff %"), lambda r: r.figures.staff_pct),
                (_("Meetings expected"), lambda r: r.figures.meetings_expected),
                (_("Meetings marked"), lambda r: r.figures.meetings_marked),
                (_("Late"), lambda r: r.figures.meetings_late),
                (_("Attended"), lambda r: r.figures.attended),
                (_("Absent"), lambda r: r.figures.absent),
                (_("Leave"), lambda r: r.figures.leave),
                (_("On roll"), lambda r: r.figures.on_roll),
            ],
            rows,
        )
    base = f"unit={unit.pk}&{period.query}"
    links = [
        f"?unit={r.id}&{period.query}"
        if r.kind == "unit"
        else f"{reverse('dashboard_school', args=[r.id])}?{period.query}"
        for r in rows
    ]
    child_kind = ""
    if rows and rows[0].kind == "unit":
        child_kind = kind_label(
            OrgUnit.objects.filter(pk=rows[0].id).values_list("kind", flat=True).first() or "",
            plural=True,
        )
    rows_are_schools = any(r.kind == "school" for r in rows)
    headers = [
        {
            "key": key,
            "label": label,
            "url": f"?{base}&sort={key}&dir={_next_direction(key, sort, descending)}",
            "sorted": ("descending" if descending else "ascending") if sort == key else "",
        }
        for key, label in AREA_COLUMNS
        if not (rows_are_schools and key == "schools")
    ]
    context = area_context(
        request,
        unit,
        "dashboard",
        counted=counted,
        period=period,
        periods=period_choices(f"unit={unit.pk}", period),
        report=report,
        total=report.total,
        rows=list(zip(rows, links, strict=True)),
        rows_are_schools=rows_are_schools,
        child_kind=child_kind or gettext("Schools"),
        headers=headers,
        chart=_area_trend(unit, period, clock),
        exports=export_links(base),
        chart_exports=export_links(f"{base}&table=trend"),
    )
    return render(request, "dashboards/dashboard.html", context)


def _area_trend(unit: OrgUnit, period: Period, clock: due.Clock) -> dict[str, Any]:
    return trend_chart(
        selectors.area_trend(unit=unit, start=period.start, end=period.end, clock=clock),
        today=clock.day,
    )


# --- Who has not marked --------------------------------------------------------------


@page
@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    unit = asked_unit(request)
    clock = due.clock_for_unit(unit)
    today = clock.day
    day = asked_day(parse_day(request.GET.get("day"), today), today, "day")
    fmt = parse_format(request.GET)
    counted = rollups.trail_freshness(end=day, today=today)
    if fmt and parse_table(request.GET, ["schools", "areas"]) == "areas":
        return download(
            fmt,
            f"compliance-areas-{unit.code}-{day}",
            [
                (_("Area"), lambda a: a.unit),
                (_("Schools"), lambda a: a.figures.schools),
                (_("Schools with a school day"), lambda a: a.figures.school_days),
                (_("Marked in full"), lambda a: a.figures.school_days_marked),
                (_("Marked in part"), lambda a: a.schools_partly),
                (_("Not marked"), lambda a: a.figures.school_days_unmarked),
                (_("Late"), lambda a: a.figures.meetings_late),
            ],
            selectors.compliance_by_area(unit=unit, day=day, clock=clock),
        )
    rows = selectors.compliance(
        unit=unit, day=day, limit=EXPORT_ROWS if fmt else MAX_ROWS, clock=clock
    )
    if fmt:
        return download(
            fmt,
            f"compliance-{unit.code}-{day}",
            [
                (_("School"), lambda r: r.school),
                (_("UDISE code"), lambda r: r.school.code),
                (_("Status"), lambda r: STATUSES[r.status]),
                (_("Due by"), lambda r: r.due_by),
                (_("Meetings expected"), lambda r: r.today.meetings_expected if r.today else 0),
                (_("Meetings due so far"), lambda r: _due_so_far(r)),
                (_("Meetings marked"), lambda r: r.today.meetings_marked if r.today else 0),
                (_("First marked at"), lambda r: r.today.first_marked_at if r.today else None),
                (_("Staff marked"), lambda r: bool(r.today and r.today.staff_marked)),
                (_("Late (30 school days)"), lambda r: r.late_meetings),
                (_("Corrected (30 school days)"), lambda r: r.corrected_meetings),
                (_("Days missed (30 school days)"), lambda r: r.missed_days),
                (_("School days counted"), lambda r: r.window_days),
            ],
            rows,
        )
    total = selectors.unit_day(unit=unit, day=day, clock=clock)
    query = f"unit={unit.pk}&day={day.isoformat()}"
    context = area_context(
        request,
        unit,
        "dashboard_compliance",
        counted=counted,
        day=day,
        is_today=day == today,
        areas=selectors.compliance_by_area(unit=unit, day=day, clock=clock),
        rows=rows,
        pending=total.school_days_pending,
        first_due=(
            selectors.pending_today(unit=unit, clock=clock).first_due
            if total.school_days_pending
            else None
        ),
        more=max(0, total.schools - len(rows)),
        not_marked=total.school_days_unmarked,
        fully_marked=total.school_days_marked,
        expected=total.school_days,
        refreshed_at=timezone.localtime(),
        refresh_url=f"{request.path}?{query}",
        exports=export_links(query),
        area_exports=export_links(f"{query}&table=areas"),
    )
    return render(request, "dashboards/compliance.html", context)


STATUSES = {
    "closed": _("No school"),
    "due": _("Not due yet"),
    "not_marked": _("Not marked"),
    "partly": _("Marked in part"),
    "marked": _("Marked so far"),
}


def _due_so_far(row: selectors.ComplianceRow) -> int:
    if row.today is None:
        return 0
    return row.today.meetings_expected if row.expected_now is None else row.expected_now
