"""The notices' pages: a guardian's preferences and history, the school's delivery log,
and the small service worker that shows a push on the family's phone."""

from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hazri.common.errors import Invalid, ServiceError
from hazri.common.pages import error_text, page, plain_int
from hazri.notify import preferences, selectors
from hazri.notify.invitations import invitations_send
from hazri.notify.models import Channel, Status
from hazri.notify.presenters import prefs_out
from hazri.notify.texts import message_of
from hazri.signon.selectors import section_for_invitations

WORKER = Path(__file__).resolve().parent / "static" / "notify" / "sw.js"
CHOSEN = [Channel.SMS, Channel.EMAIL, Channel.PUSH]


def _clock(value: str, field: str) -> Any:
    from hazri.notify.presenters import parse_hhmm

    try:
        return parse_hhmm(value.strip() or None)
    except ValueError as error:
        raise Invalid("Write a time as HH:MM.", field=field, code="time") from error


@page
@require_http_methods(["GET", "POST"])
def family_notices(request: HttpRequest) -> HttpResponse:
    """The guardian's own: nothing here takes an id."""
    guardian = selectors.guardian_of(request.user)
    error: ServiceError | None = None
    if request.method == "POST":
        try:
            preferences.preference_set(
                guardian=guardian,
                channels=[c for c in CHOSEN if request.POST.get(f"channel_{c}")],
                language=request.POST.get("language", ""),
                quiet_start=_clock(request.POST.get("quiet_start", ""), "quiet_start"),
                quiet_end=_clock(request.POST.get("quiet_end", ""), "quiet_end"),
            )
            return redirect("notices_family")
        except ServiceError as refused:
            error = refused
    return render(
        request,
        "notify/family.html",
        {
            "prefs": prefs_out(guardian),
            "channels": [(c.value, c.label) for c in CHOSEN],
            # What each notice said, in the page's language (not its key).
            "notices": [
                (notice, message_of(notice.kind, get_language(), notice.params).body)
                for notice in selectors.family_notices(guardian)
            ],
            "error": error,
            "error_text": error_text(error) if error else "",
        },
        status=error.status if error else 200,
    )


@page
@require_GET
def school_notices(request: HttpRequest, school_id: int) -> HttpResponse:
    school = selectors.school_for_log(request.user, school_id)
    status = request.GET.get("status", "")
    log = selectors.school_log(school, status=status if status in Status.values else None)
    return render(
        request,
        "notify/school.html",
        {
            "school": school,
            "log": log,
            "status": status,
            "states": Status.choices,
        },
    )


@page
@require_POST
def invitations_send_page(request: HttpRequest, section_id: int) -> HttpResponse:
    """Sends the class's invitations (or one guardian's) by the notice channels, from the
    school's invitations page: how many were queued, and who was not sent to."""
    section = section_for_invitations(request.user, section_id)
    typed = request.POST.get("guardian", "")
    guardian_id = plain_int(typed)
    if typed and guardian_id is None:
        raise Invalid("A guardian is named by their number.", field="guardian", code="guardian")
    sent = invitations_send(
        by=request.user,
        section=section,
        guardian_id=guardian_id,
        link_of=lambda code: request.build_absolute_uri(reverse("invite", args=[code])),
    )
    return render(
        request,
        "notify/invitations_sent.html",
        {"school": section.school, "section": section, "sent": sent},
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /notices/sw.js so that its scope covers the family's notices pages."""
    response = HttpResponse(
        WORKER.read_bytes(), content_type="application/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    return response
