"""The OneRoster pages: export an area or a school, upload a bundle to import, and one
exchange's page that polls until it is done and links the download."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from hazri.accounts.access import Actor, actor_of
from hazri.common.errors import Invalid, NotFound, ServiceError
from hazri.common.pages import form_failed, page, plain_int
from hazri.interop.models import Exchange
from hazri.interop.oneroster import bundle, selectors, services
from hazri.interop.oneroster.api import download
from hazri.org.models import OrgUnit


def _may_exchange(actor: Actor) -> None:
    if not actor.is_superuser and not selectors.schools_to_exchange(actor).exists():
        raise NotFound(gettext("There is nothing here for you."), field="page")


def _context(actor: Actor, **extra: Any) -> dict[str, Any]:
    units = OrgUnit.objects.order_by("depth", "name")[:500] if actor.is_superuser else []
    return {
        "schools": selectors.schools_to_exchange(actor)[:500],
        "units": units,
        "exchanges": selectors.exchanges_visible(actor)[:20],
        **extra,
    }


@page
@require_http_methods(["GET"])
def oneroster(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    _may_exchange(actor)
    return render(request, "interop/oneroster.html", _context(actor))


def _choice(request: HttpRequest) -> tuple[int | None, int | None]:
    """(unit, school) from the form's one choice: "unit:<id>" or "school:<id>"."""
    kind, _sep, value = request.POST.get("area", "").partition(":")
    number = plain_int(value)
    if kind not in ("unit", "school") or number is None:
        raise Invalid(gettext("Choose what to export."), field="area", code="required")
    return (number, None) if kind == "unit" else (None, number)


@page
@require_POST
def oneroster_export(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    _may_exchange(actor)
    try:
        unit_id, school_id = _choice(request)
        exchange = services.export_request(actor, unit_id=unit_id, school_id=school_id)
    except ServiceError as error:
        extra = form_failed(error, request.POST)
        return render(
            request, "interop/oneroster.html", _context(actor, **extra), status=error.status
        )
    return redirect("interop_oneroster_exchange", exchange.pk)


@page
@require_POST
def oneroster_import(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    _may_exchange(actor)
    try:
        uploaded = request.FILES.get("bundle")
        if uploaded is None:
            raise Invalid(gettext("Choose the bundle's zip."), field="bundle", code="required")
        if (uploaded.size or 0) > bundle.MAX_ZIP_BYTES:
            raise Invalid(gettext("The bundle is too big."), field="bundle", code="too_big")
        exchange = services.import_request(
            actor,
            data=uploaded.read(),
            school_id=plain_int(request.POST.get("school")),
            name=str(uploaded.name or ""),
        )
    except bundle.BundleInvalid as error:
        extra = {**form_failed(error, request.POST), "problems": error.problems}
        return render(request, "interop/oneroster.html", _context(actor, **extra), status=422)
    except ServiceError as error:
        extra = form_failed(error, request.POST)
        return render(
            request, "interop/oneroster.html", _context(actor, **extra), status=error.status
        )
    return redirect("interop_oneroster_exchange", exchange.pk)


@page
@require_http_methods(["GET"])
def oneroster_exchange(request: HttpRequest, exchange_id: int) -> HttpResponse:
    exchange = selectors.exchange_visible(actor_of(request), exchange_id)
    waiting = exchange.status in (Exchange.Status.WAITING, Exchange.Status.RUNNING)
    template = (
        "interop/oneroster_progress.html"
        if request.headers.get("HX-Request")
        else "interop/oneroster_exchange.html"
    )
    return render(request, template, {"exchange": exchange, "waiting": waiting})


@page
@require_http_methods(["GET"])
def oneroster_download(request: HttpRequest, exchange_id: int) -> HttpResponse:
    found = selectors.exchange_visible(actor_of(request), exchange_id)
    return download(found)  # type: ignore[return-value]  # a FileResponse streams
