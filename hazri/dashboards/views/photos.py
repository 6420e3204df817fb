"""Photo attendance over an area (SPEC §2.4): the share of roll calls made from class
photos and how often teachers corrected the proposal, by the next level down. A thin
view over hazri.dashboards.selectors.photo_adoption."""

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
from hazri.dashboards.views.areas import area_context, asked_unit
from hazri.dashboards.views.common import (
    download,
    export_links,
    parse_format,
    parse_period,
    period_choices,
)
from hazri.org import selectors as org

# The download's columns: every count, so that an analyst can add areas up again.
PHOTO_COLUMNS: list[tuple[Any, Callable[[Any], object]]] = [
    (_("Name"), lambda r: r),
    (_("Schools"), lambda r: r.schools),
    (_("Schools using photos"), lambda r: r.schools_with_photos),
    (_("Roll calls"), lambda r: r.rollcalls),
    (_("Roll calls from photos"), lambda r: r.from_photos),
    (_("From photos %"), lambda r: r.photo_pct),
    (_("Children reviewed"), lambda r: r.children),
    (_("Present → absent"), lambda r: r.to_absent),
    (_("Absent → present"), lambda r: r.to_present),
    (_("Present → absent per 100 children"), lambda r: r.to_absent_per_100),
    (_("Absent → present per 100 children"), lambda r: r.to_present_per_100),
]


@page
@require_GET
def photos(request: HttpRequest) -> HttpResponse:
    unit = asked_unit(request)
    period = parse_period(request.GET, org.unit_today(unit), default="month")
    fmt = parse_format(request.GET)
    report = selectors.photo_adoption(unit=unit, start=period.start, end=period.end)
    if fmt:
        return download(
            fmt, f"photos-{unit.code}-{period.start}-{period.end}", PHOTO_COLUMNS, report.rows
        )
    chart = {
        "type": "bar",
        "labels": [local_name(r) for r in report.rows],
        "series": [
            {"label": gettext("From photos %"), "data": [r.photo_pct for r in report.rows]},
            {
                "label": gettext("Present → absent per 100 children"),
                "data": [r.to_absent_per_100 for r in report.rows],
            },
            {
                "label": gettext("Absent → present per 100 children"),
                "data": [r.to_present_per_100 for r in report.rows],
            },
        ],
    }
    context = area_context(
        request,
        unit,
        "dashboard_photos",
        # Read live from the roll calls and photo sets: nothing waits to be counted.
        counted=rollups.Freshness(),
        period=period,
        periods=period_choices(f"unit={unit.pk}", period),
        total=report.total,
        rows=[
            {
                "row": r,
                "url": f"?unit={r.id}&{period.query}"
                if r.kind == "unit"
                else f"{reverse('dashboard_school', args=[r.id])}?{period.query}",
            }
            for r in report.rows
        ],
        chart=chart,
        exports=export_links(f"unit={unit.pk}&{period.query}"),
    )
    return render(request, "dashboards/photos.html", context)
