"""Attendance against learning (SPEC §1.8): an area's students by attendance band with
their average grade, by the next level down. A thin view over
hazri.dashboards.selectors.attendance_and_learning."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from hazri.common.pages import page
from hazri.common.templatetags.hazri_tags import local_name
from hazri.dashboards import rollups, selectors
from hazri.dashboards.selectors import BandFigures, LearningRow
from hazri.dashboards.views.areas import area_context, asked_unit
from hazri.dashboards.views.common import (
    download,
    export_links,
    parse_format,
    parse_period,
    period_choices,
)
from hazri.org import selectors as org

Line = tuple[LearningRow, BandFigures]

# The download: one line per area and band, the area as a whole first; every count, so
# that an analyst can add areas up again.
LEARNING_COLUMNS: list[tuple[Any, Callable[[Line], object]]] = [
    (_("Name"), lambda line: local_name(line[0])),
    (_("Attendance band"), lambda line: line[1].band.label),
    (_("Students"), lambda line: line[1].students),
    (_("Share of students %"), lambda line: line[0].share(line[1])),
    (_("Students graded"), lambda line: line[1].graded),
    (_("Average grade (0–100)"), lambda line: line[1].average_grade),
]


@page
@require_GET
def learning(request: HttpRequest) -> HttpResponse:
    unit = asked_unit(request)
    period = parse_period(request.GET, org.unit_today(unit), default="month")
    fmt = parse_format(request.GET)
    report = selectors.attendance_and_learning(unit=unit, start=period.start, end=period.end)
    if fmt:
        return download(
            fmt,
            f"learning-{unit.code}-{period.start}-{period.end}",
            LEARNING_COLUMNS,
            report.lines(),
        )
    total = report.total
    chart = {
        "type": "bar",
        "labels": [b.label for b in report.bands],
        "series": [
            {
                "label": gettext("Share of students %"),
                "data": [total.share(f) for f in total.bands],
            },
            {
                "label": gettext("Average grade (0–100)"),
                "data": [f.average_grade for f in total.bands],
            },
        ],
    }
    context = area_context(
        request,
        unit,
        "dashboard_learning",
        # Read live from the roll calls and grades: nothing waits to be counted.
        counted=rollups.Freshness(),
        period=period,
        periods=period_choices(f"unit={unit.pk}", period),
        total=total,
        total_lines=[(f, total.share(f)) for f in total.bands],
        rows=[
            {
                "row": r,
                "lines": [(f, r.share(f)) for f in r.bands],
                "url": f"?unit={r.id}&{period.query}"
                if r.kind == "unit"
                else f"{reverse('dashboard_school', args=[r.id])}?{period.query}",
            }
            for r in report.rows
        ],
        chart=chart,
        exports=export_links(f"unit={unit.pk}&{period.query}"),
    )
    return render(request, "dashboards/learning.html", context)
