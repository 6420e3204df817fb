"""The import pages: upload a file and see its preview per school, confirm it and follow
its progress (htmx polling), resume a stopped import; the saved mappings."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from hazri.common.errors import Invalid, ServiceError
from hazri.common.files import table_from_form
from hazri.common.pages import form_failed, page, plain_int
from hazri.org.models import OrgUnit
from hazri.rosters import layouts, presenters, selectors, services
from hazri.rosters.models import Kind, RosterJob, RosterMapping

ACTIONS = ("refused", "create", "change", "end")


def _day(text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid(gettext("That is not a valid date."), field="on", code="bad_day") from None


@page
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    selectors.require_exchange(request.user)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        try:
            uploaded = request.FILES.get("file")
            if uploaded is None:
                raise Invalid(gettext("Choose a CSV or XLSX file."), field="file", code="required")
            mapping_id = plain_int(request.POST.get("mapping"))
            job = services.import_upload(
                user=request.user,
                kind=request.POST.get("kind", ""),
                upload=table_from_form(uploaded, "file"),
                mapping=selectors.mapping_visible(request.user, mapping_id) if mapping_id else None,
                on=_day(request.POST.get("on", "")),
            )
        except ServiceError as error:
            extra = form_failed(error, request.POST)
        else:
            return redirect("rosters_import", job.pk)
    return render(
        request,
        "rosters/imports.html",
        {
            "jobs": selectors.jobs_of(request.user),
            "mappings": selectors.mappings_usable(request.user),
            "kinds": Kind.choices,
            "layouts": layouts.LAYOUTS,
            **extra,
        },
        status=extra["error"].status if extra else 200,
    )


def _column_forms(request: HttpRequest, mapping: RosterMapping | None) -> list[Any]:
    """Each layout's columns with the value to show: as posted, else the mapping's."""
    forms = []
    for kind, columns in layouts.LAYOUTS.items():
        values = []
        for column in columns:
            if request.method == "POST":
                value = request.POST.get(f"col-{kind}-{column.name}", "")
            else:
                value = (
                    mapping.columns.get(column.name, "") if mapping and mapping.kind == kind else ""
                )
            values.append((column, value))
        forms.append((kind, values))
    return forms


@page
@require_http_methods(["GET", "POST"])
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.job_visible(request.user, job_id)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        try:
            if request.POST.get("do") == "resume":
                services.import_resume(job=job, user=request.user)
            else:
                services.import_confirm(job=job, user=request.user)
        except ServiceError as error:
            extra = form_failed(error)
        else:
            messages.success(request, gettext("The import has started."))
            return redirect("rosters_import", job.pk)
        job = selectors.job_visible(request.user, job_id)
    shown = presenters.job_out(job)
    context: dict[str, Any] = {"job": job, "shown": shown, **extra}
    if request.headers.get("HX-Request"):
        if job.working:
            return render(request, "rosters/_progress.html", context)
        response = HttpResponse()
        response["HX-Refresh"] = "true"  # finished: the whole page shows the outcome
        return response
    action = request.GET.get("action", "")
    action = action if action in ACTIONS else ("refused" if job.refused else "")
    number = plain_int(request.GET.get("page"), max_digits=6) or 1
    lines, total = selectors.job_lines(job, action=action, page=number)
    context |= {
        "lines": lines,
        "total": total,
        "action": action,
        "actions": ACTIONS,
        "page_number": number,
        "pages": max(1, -(-total // selectors.PAGE_SIZE)),
        "may_resume": job.status in (RosterJob.Status.FAILED, RosterJob.Status.RUNNING),
    }
    return render(
        request,
        "rosters/job.html",
        context,
        status=extra["error"].status if extra else 200,
    )


def _mapping_form(request: HttpRequest, mapping: RosterMapping | None) -> RosterMapping:
    kind = request.POST.get("kind", "")
    columns = {
        c.name: request.POST.get(f"col-{kind}-{c.name}", "")
        for c in layouts.LAYOUTS.get(kind, ())
        if request.POST.get(f"col-{kind}-{c.name}", "").strip()
    }
    unit_id = plain_int(request.POST.get("unit"))
    if unit_id is None:
        raise Invalid(gettext("Choose the area."), field="unit", code="required")
    formats = [f for f in request.POST.get("date_formats", "").split(",") if f.strip()]
    return services.mapping_save(
        user=request.user,
        unit=selectors.unit_for_mapping(request.user, unit_id),
        name=request.POST.get("name", ""),
        kind=kind,
        columns=columns,
        date_formats=formats,
        mapping=mapping,
    )


def _units(user: Any) -> list[OrgUnit]:
    if user.is_superuser:
        return list(OrgUnit.objects.order_by("depth", "name")[:200])
    paths = set(selectors.exchange_schools(user).values_list("unit_path", flat=True))
    ids = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    return list(OrgUnit.objects.filter(pk__in=sorted(ids)).order_by("depth", "name"))


@page
@require_http_methods(["GET", "POST"])
def mappings(request: HttpRequest, mapping_id: int | None = None) -> HttpResponse:
    # One mapping: "not yours" is "does not exist", whoever asks; the list: importers only.
    mapping = selectors.mapping_visible(request.user, mapping_id) if mapping_id else None
    selectors.require_exchange(request.user)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        try:
            saved = _mapping_form(request, mapping)
        except ServiceError as error:
            extra = form_failed(error, request.POST)
        else:
            messages.success(
                request, gettext("Mapping saved (version %(v)s).") % {"v": saved.version}
            )
            return redirect("rosters_mapping", saved.pk)
    return render(
        request,
        "rosters/mappings.html",
        {
            "mapping": mapping,
            "mappings": selectors.mappings_usable(request.user),
            "units": _units(request.user),
            "kinds": Kind.choices,
            "column_forms": _column_forms(request, mapping),
            **extra,
        },
        status=extra["error"].status if extra else 200,
    )
