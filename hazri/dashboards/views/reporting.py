"""Reporting across the system (SPEC §4.2): an area's applications, transfers,
promotions and drop-outs over an academic year, by the next level down, with its
downloads. A thin view over hazri.dashboards.selectors.reporting."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from hazri.common.pages import page
from hazri.common.templatetags.hazri_tags import local_name
from hazri.dashboards import rollups
from hazri.dashboards.selectors import reporting
from hazri.dashboards.selectors.reporting import ReportRow
from hazri.dashboards.views.areas import area_context, asked_unit
from hazri.dashboards.views.common import download, export_links, parse_format, parse_id

# The figures' headings, in the page's and the downloads' order.
FIGURE_TITLES: list[tuple[str, Any]] = [
    ("applications", _("Applications received")),
    ("admitted", _("Applications admitted")),
    ("refused", _("Applications refused")),
    ("withdrawn", _("Applications withdrawn")),
    ("waiting", _("Applications waiting")),
    ("transfers_in", _("Transfers in")),
    ("transfers_out", _("Transfers out")),
    ("promoted", _("Promoted")),
    ("repeaters", _("Repeaters")),
    ("dropouts", _("Drop-outs")),
]


def _figure(name: str) -> Callable[[ReportRow], object]:
    return lambda row: getattr(row.figures, name)


# Every count, the area as a whole first, so that an analyst can add areas up again.
REPORTING_COLUMNS: list[tuple[Any, Callable[[ReportRow], object]]] = [
    (_("Name"), local_name),
    *((title, _figure(name)) for name, title in FIGURE_TITLES),
]


@page
@require_GET
def reporting_page(request: HttpRequest) -> HttpResponse:
    unit = asked_unit(request)
    years = reporting.years_for(unit)
    year = reporting.year_for(unit, parse_id(request.GET.get("year"), "year"), years)
    fmt = parse_format(request.GET)
    report = reporting.year_report(unit=unit, year=year)
    if fmt:
        return download(
            fmt, f"reporting-{unit.code}-{year.name}", REPORTING_COLUMNS, report.lines()
        )
    query = f"year={year.pk}"
    context = area_context(
        request,
        unit,
        "dashboard_reporting",
        # Read live from the admissions, enrolments and applications: nothing waits.
        counted=rollups.Freshness(),
        year=year,
        years=[
            {"year": y, "url": f"?unit={unit.pk}&year={y.pk}", "current": y.pk == year.pk}
            for y in years
        ],
        crumb_page="dashboard_reporting",
        crumb_query=query,
        titles=FIGURE_TITLES,
        total=[(name, title, getattr(report.total.figures, name)) for name, title in FIGURE_TITLES],
        rows=[
            {
                "row": r,
                "figures": [getattr(r.figures, name) for name, _t in FIGURE_TITLES],
                "url": f"?unit={r.id}&{query}"
                if r.kind == "unit"
                else reverse("dashboard_school", args=[r.id]),
            }
            for r in report.rows
        ],
        exports=export_links(f"unit={unit.pk}&{query}"),
    )
    return render(request, "dashboards/reporting.html", context)
