"""The approval queue page: every change waiting for the user's decision, across the
schools of their area, with what it changes and why, approved or refused in place."""

from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from hazri.accounts.access import actor_of
from hazri.attendance import services as attendance
from hazri.attendance.models import RollCall
from hazri.common.errors import Invalid, NotFound
from hazri.common.pages import page, plain_int
from hazri.org import selectors as org
from hazri.registers import approvals
from hazri.registers.exports.layout import localized, meeting_word
from hazri.registers.views.register import register_url

PER_PAGE = 20
REASON_MAX = 500


def _filters(params: Any) -> tuple[int | None, approvals.Kind | None]:
    school = plain_int(params.get("school"))
    kind = params.get("kind", "")
    return school, approvals.Kind(kind) if kind in {k.value for k in approvals.Kind} else None


def _query(school: int | None, kind: approvals.Kind | None, page_number: int | None = None) -> str:
    pairs = [("school", school), ("kind", kind.value if kind else None), ("page", page_number)]
    wanted = {key: value for key, value in pairs if value}
    return f"?{urlencode(wanted)}" if wanted else ""


@page
@require_http_methods(["GET", "POST"])
def approvals_page(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    params = request.POST if request.method == "POST" else request.GET
    school, kind = _filters(params)
    if request.method == "POST":
        messages.success(request, _decide(request))
        back = plain_int(request.POST.get("page"))
        return redirect(reverse("approvals") + _query(school, kind, back))
    found = approvals.approvals_for(actor, school_id=school, kind=kind)
    listing = Paginator(
        found.select_related("school", "section", "roster", "taken_by").order_by(
            "received_at", "pk"
        ),
        PER_PAGE,
    )
    shown = listing.get_page(request.GET.get("page"))
    schools = (
        approvals.approvals_for(actor)
        .order_by("school__name", "school_id")
        .values_list("school_id", "school__name", "school__name_local")
        .distinct()
    )
    return render(
        request,
        "registers/approvals.html",
        {
            "listing": shown,
            "items": _items(approvals.describe(list(shown))),
            "schools": [(pk, localized(name, local)) for pk, name, local in schools],
            "school": school,
            "kind": kind.value if kind else "",
            "kinds": [
                (approvals.Kind.CERTIFIED_MONTH.value, gettext("Changes to certified months")),
                (approvals.Kind.LATE_ENTRY.value, gettext("Late entries")),
            ],
            "previous_query": _query(school, kind, shown.previous_page_number())
            if shown.has_previous()
            else "",
            "next_query": _query(school, kind, shown.next_page_number())
            if shown.has_next()
            else "",
            "reason_max": REASON_MAX,
        },
    )


def _items(waiting: list[approvals.Waiting]) -> list[dict[str, Any]]:
    schools = {w.rollcall.school_id: w.rollcall.school for w in waiting}
    meetings = {pk: org.policy_for_school(s).meetings_per_day for pk, s in schools.items()}
    return [_item(w, meetings[w.rollcall.school_id]) for w in waiting]


def _item(waiting: approvals.Waiting, meetings_per_day: int) -> dict[str, Any]:
    r: RollCall = waiting.rollcall
    zone = ZoneInfo(r.school.timezone)
    taker = r.taken_by
    return {
        "rollcall": r,
        "kind": waiting.kind.value,
        "school": localized(r.school.name, r.school.name_local),
        "section": r.section.label,
        "day": r.day,
        "meeting": meeting_word(r.meeting, meetings_per_day),
        "by": taker.get_full_name() or taker.get_username(),
        "at": date_format(r.captured_at.astimezone(zone), "j M Y, H:i"),
        "note": r.note,
        "first_entry": waiting.first_entry,
        "changes": [
            {"name": localized(c.name, c.name_local), "before": c.before or "–", "after": c.after}
            for c in waiting.changes
        ],
        "register_url": register_url(r.section, r.day.replace(day=1)),
    }


def _decide(request: HttpRequest) -> str:
    action = request.POST.get("action", "")
    if action not in ("approve", "refuse"):
        raise Invalid("Choose approve or refuse.", field="action", code="bad_form")
    rollcall_id = plain_int(request.POST.get("rollcall"))
    rollcall = (
        approvals.approvals_for(actor_of(request))
        .filter(pk=rollcall_id or 0)
        .select_related("school")
        .first()
    )
    if rollcall is None:
        raise NotFound(
            f"No change {str(rollcall_id or '')[:20]} waits for your decision.", field="rollcall"
        )
    reason = request.POST.get("reason", "").strip()[:REASON_MAX]
    if action == "refuse" and not reason:
        raise Invalid(
            gettext("Say why the change is refused: the school reads it."),
            field="reason",
            code="refusal_reason_required",
        )
    attendance.correction_decide(
        rollcall=rollcall,
        approve=action == "approve",
        by=request.user,  # type: ignore[arg-type]
        reason=reason,
    )
    day = date_format(rollcall.day, "j M Y")
    if action == "approve":
        return gettext("Approved: the register of %(day)s now counts the change.") % {"day": day}
    return gettext("Refused: the register of %(day)s stays as it was.") % {"day": day}
