"""The support pages: the user's tickets, raising one, a ticket with its history and
the steps its reader may take, the queue of the user's level, a ticket's file."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from hazri.accounts import selectors as access
from hazri.accounts.access import actor_of
from hazri.common import files
from hazri.common.errors import Invalid, ServiceError
from hazri.common.pages import form_failed, page, plain_int
from hazri.org.models import School
from hazri.support import selectors, services
from hazri.support.api import detail


@page
@require_http_methods(["GET"])
def tickets(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request,
        "support/tickets.html",
        {
            "tickets": selectors.raised_by(actor)[:200],
            "queue_size": selectors.queue(actor).count(),
        },
    )


def _where(request: HttpRequest) -> tuple[int | None, int | None]:
    """(school, student) from the form's one choice: "school:<id>" or "student:<id>"."""
    kind, _sep, value = request.POST.get("where", "").partition(":")
    number = plain_int(value)
    if kind not in ("school", "student") or number is None:
        raise Invalid(gettext("Choose the school or the child."), field="where", code="required")
    return (number, None) if kind == "school" else (None, number)


@page
@require_http_methods(["GET", "POST"])
def ticket_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        try:
            school_id, student_id = _where(request)
            category = plain_int(request.POST.get("category"))
            if category is None:
                raise Invalid(gettext("Choose a category."), field="category", code="required")
            ticket = services.ticket_raise(
                category_id=category,
                description=request.POST.get("description", ""),
                uploads=files.form_uploads(request),
                school_id=school_id,
                student_id=student_id,
                by=request.user,
            )
        except ServiceError as error:
            extra = form_failed(error, request.POST)
        else:
            messages.success(request, gettext("Your ticket was raised."))
            return redirect("support_ticket", ticket.pk)
    schools = School.objects.filter(pk__in=sorted(actor.schools_posted())).order_by("name")
    children = [m for m in access.family_of(request.user) if m.relation != "self"]
    return render(
        request,
        "support/ticket_new.html",
        {
            "categories": selectors.categories(),
            "schools": schools,
            "children": children,
            "posted": request.POST,
            **extra,
        },
        status=extra["error"].status if extra else 200,
    )


@page
@require_http_methods(["GET", "POST"])
def ticket(request: HttpRequest, ticket_id: int) -> HttpResponse:
    actor = actor_of(request)
    found = selectors.ticket_visible(actor, ticket_id)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        try:
            services.ticket_comment(
                ticket=found,
                text=request.POST.get("text", ""),
                uploads=files.form_uploads(request),
                by=request.user,
            )
        except ServiceError as error:
            extra = form_failed(error, request.POST)
        else:
            messages.success(request, gettext("Your comment was added."))
            return redirect("support_ticket", found.pk)
    return render(
        request,
        "support/ticket.html",
        {
            **detail(actor, ticket_id),
            **extra,
        },
        status=extra["error"].status if extra else 200,
    )


STEPS = {
    "escalate": lambda t, text, by: services.ticket_escalate(ticket=t, reason=text, by=by),
    "resolve": lambda t, text, by: services.ticket_resolve(ticket=t, note=text, by=by),
    "reopen": lambda t, text, by: services.ticket_reopen(ticket=t, reason=text, by=by),
    "close": lambda t, text, by: services.ticket_close(ticket=t, note=text, by=by),
}


@page
@require_POST
def ticket_step(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Escalate, resolve, reopen or close (the form's `step`), with its text."""
    found = selectors.ticket_visible(actor_of(request), ticket_id)
    step = STEPS.get(request.POST.get("step", ""))
    if step is None:
        raise Invalid(gettext("Choose what to do."), field="step", code="bad_step")
    step(found, request.POST.get("text", ""), request.user)
    messages.success(request, gettext("The ticket is updated."))
    return redirect("support_ticket", found.pk)


@page
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    rows = selectors.queue_rows(actor_of(request))
    return render(
        request,
        "support/queue.html",
        {"rows": rows, "overdue": sum(1 for r in rows if r.overdue)},
    )


@page
@require_http_methods(["GET"])
def file_download(request: HttpRequest, ticket_file_id: int) -> HttpResponse:
    found = selectors.file_visible(actor_of(request), ticket_file_id)
    return files.file_response(bytes(found.data), found.media_type, found.name)
