"""Reporting across the system as JSON (and CSV/XLSX): an area's applications,
transfers, promotions and drop-outs over an academic year (selectors.reporting)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from hazri.accounts import selectors as access
from hazri.common.api import ErrorOut
from hazri.common.tables import table_formats
from hazri.dashboards import schemas
from hazri.dashboards.api import _rows_or_table
from hazri.dashboards.selectors import reporting

router = Router(tags=["dashboards"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 422), ErrorOut)


@router.get(
    "/dashboards/reporting",
    response={200: list[schemas.AreaMovementOut], **ERRORS},
    openapi_extra=table_formats(),
    summary="Applications, transfers, promotions and drop-outs of an area over a year",
)
def area_movement(request: HttpRequest, query: Query[schemas.AreaMovementQuery]) -> Any:
    unit = access.unit_visible(request.user, query.unit)
    year = reporting.year_for(unit, query.year)
    report = reporting.year_report(unit=unit, year=year)
    rows = [
        {
            "kind": r.kind,
            "id": r.id,
            "name": r.name,
            "year": year.pk,
            "year_name": year.name,
            **{name: getattr(r.figures, name) for name in reporting.FIGURES},
        }
        for r in report.lines()
    ]
    return _rows_or_table(
        query.format, f"reporting-{unit.code}-{year.name}", schemas.AreaMovementOut, rows
    )
