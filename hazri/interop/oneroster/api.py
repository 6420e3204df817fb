"""OneRoster in the JSON API: ask for an export (a unit or a school), send a bundle to
import (base64 in the body: at most 6 MB; larger bundles go through the page or the
command line), follow an exchange, and fetch an export's zip."""

import base64
import binascii
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from hazri.accounts.access import actor_of
from hazri.common.api import ErrorOut, Id, PathId, Text, request_user
from hazri.common.errors import Invalid, NotFound
from hazri.interop.models import Exchange
from hazri.interop.oneroster import selectors, services

router = Router(tags=["interop"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


class OneRosterExportIn(Schema):
    unit: Id | None = Field(
        None, description="A unit: its whole subtree (the state's administrator)"
    )
    school: Id | None = Field(None, description="One school (its head or administrator too)")


class OneRosterImportIn(Schema):
    school: Id | None = Field(None, description="Your school (a head or administrator)")
    name: Text = Field("", max_length=200)
    data: Text = Field(max_length=8_000_000, description="The bundle's zip, base64 (about 6 MB)")


class OneRosterExchangeOut(Schema):
    id: int
    direction: str = Field(max_length=6)
    status: str = Field(max_length=7)
    unit: int | None
    school: int | None
    created_at: str = Field(max_length=40)
    finished_at: str | None = Field(max_length=40)
    summary: dict[str, Any]
    error: str = Field(max_length=5000)
    download: str | None = Field(max_length=200)


def exchange_out(exchange: Exchange) -> dict[str, Any]:
    done = exchange.status == Exchange.Status.DONE
    export = exchange.direction == Exchange.Direction.EXPORT
    return {
        "id": exchange.pk,
        "direction": exchange.direction,
        "status": exchange.status,
        "unit": exchange.unit_id,
        "school": exchange.school_id,
        "created_at": exchange.created_at.isoformat(),
        "finished_at": exchange.finished_at.isoformat() if exchange.finished_at else None,
        "summary": exchange.summary,
        "error": exchange.error,
        "download": f"/api/v1/oneroster/exchanges/{exchange.pk}/file" if done and export else None,
    }


@router.post(
    "/oneroster/exports",
    response={202: OneRosterExchangeOut, **ERRORS},
    summary="Export a OneRoster 1.2 CSV bundle of a unit or a school (runs in the background)",
)
def post_export(request: HttpRequest, payload: OneRosterExportIn) -> Status[dict[str, Any]]:
    request_user(request)
    exchange = services.export_request(
        actor_of(request), unit_id=payload.unit, school_id=payload.school
    )
    return Status(202, exchange_out(exchange))


@router.post(
    "/oneroster/imports",
    response={202: OneRosterExchangeOut, **ERRORS},
    summary="Import a OneRoster 1.2 CSV bundle, bulk or delta (checked whole first)",
    description=(
        "A broken bundle is refused with 422, naming the file, line, column and reason of "
        "the first problem (and how many more); nothing is written."
    ),
)
def post_import(request: HttpRequest, payload: OneRosterImportIn) -> Status[dict[str, Any]]:
    request_user(request)
    try:
        data = base64.b64decode(payload.data, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(_("This is not base64."), field="data", code="bad_base64") from None
    exchange = services.import_request(
        actor_of(request), data=data, school_id=payload.school, name=payload.name
    )
    return Status(202, exchange_out(exchange))


@router.get(
    "/oneroster/exchanges/{exchange_id}",
    response={200: OneRosterExchangeOut, **ERRORS},
    summary="An export or import: its status and summary",
)
def get_exchange(request: HttpRequest, exchange_id: PathId) -> dict[str, Any]:
    request_user(request)
    return exchange_out(selectors.exchange_visible(actor_of(request), exchange_id))


@router.get(
    "/oneroster/exchanges/{exchange_id}/file",
    response={200: None, **ERRORS},
    summary="An export's zip",
)
def get_exchange_file(request: HttpRequest, exchange_id: PathId) -> FileResponse:
    request_user(request)
    exchange = selectors.exchange_visible(actor_of(request), exchange_id)
    return download(exchange)


def download(exchange: Exchange) -> FileResponse:
    """An export's zip (NotFound while it is not ready)."""
    path = services.exchange_file(exchange)
    ready = exchange.direction == Exchange.Direction.EXPORT
    if exchange.summary.get("removed_on"):
        raise NotFound(
            _("This export's file was removed after %(days)s days: export again.")
            % {"days": services.keep_days_setting()},
            field="exchange",
            code="removed",
        )
    if not ready or exchange.status != Exchange.Status.DONE or not path.exists():
        raise NotFound(_("This export has no file (yet)."), field="exchange", code="not_ready")
    name = f"oneroster-{exchange.pk}.zip"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type="application/zip"
    )
