"""The register pages: a section's month as the paper register, its certification by
the head, officers' decisions on changes after it, and the PDF and XLSX downloads."""

import calendar
import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from hazri.accounts import selectors as access
from hazri.accounts.access import actor_of
from hazri.attendance import services as attendance
from hazri.attendance.models import RollCall
from hazri.audit.services import audit_record
from hazri.common import localize
from hazri.common.errors import NotFound, ServiceError
from hazri.common.pages import error_text, page, plain_int
from hazri.org import selectors as org
from hazri.org.models import Section
from hazri.people.models import Posting
from hazri.registers import approvals, services
from hazri.registers.exports.layout import (
    build_sheet,
    column_heading,
    localized,
    meeting_legend,
    pending_changes,
)
from hazri.registers.selectors import Register, section_register

# Months a page will show: a year like 0001 is a typo, not a register.
FIRST_MONTH, LAST_MONTH = dt.date(1950, 1, 1), dt.date(2199, 12, 1)

# What the page says when certifying or deciding is refused, in the user's language.
REFUSALS = {
    "certify_needs_head": _("Only the head of school can certify the month."),
    "outside_session": _("This month is outside the school session."),
    "month_not_over": _(
        "This month is not over yet: it can be certified on its last day or later."
    ),
    "checker_required": _("Write the name of the checker who verified the register."),
    "already_certified": _("This month is already certified."),
    "not_officer": _("Only an officer over this school (block or above) can decide this."),
    "not_pending": _("This change was already decided."),
}


def parse_month(value: str | None, default: dt.date) -> dt.date:
    if not value:
        return default.replace(day=1)
    try:
        year, month = value.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError(value)
        first = dt.date(int(year), int(month), 1)
        if not FIRST_MONTH <= first <= LAST_MONTH:
            raise ValueError(value)
        return first
    except ValueError:
        raise ServiceError(
            gettext("'%(value)s' is not a month: use YEAR-MONTH, like 2026-10.")
            % {"value": value[:20]},
            field="month",
            code="bad_month",
        ) from None


def shift_month(month: dt.date, step: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + step
    return dt.date(index // 12, index % 12 + 1, 1)


def refusal_text(error: ServiceError) -> str:
    friendly = REFUSALS.get(error.code)
    return str(friendly) if friendly is not None else error_text(error)


def _load(request: HttpRequest, section_id: int) -> tuple[Section, Register, dt.date]:
    section = access.section_visible(request.user, section_id)
    today = org.school_today(section.school)
    params = request.POST if request.method == "POST" else request.GET
    month = parse_month(params.get("month"), today)
    # Children's attendance records are sensitive: every look (page, PDF, XLSX) is logged.
    audit_record(
        user=request.user,
        action="register.view",
        obj=section,
        school_id=section.school_id,
        detail={"month": f"{month:%Y-%m}"},
    )
    return section, section_register(section=section, month=month, today=today), today


def register_url(section: Section, month: dt.date, name: str = "section_register") -> str:
    return f"{reverse(name, args=[section.pk])}?month={month:%Y-%m}"


@page
@require_http_methods(["GET", "POST"])
def register_page(request: HttpRequest, section_id: int) -> HttpResponse:
    section, register, today = _load(request, section_id)
    error: ServiceError | None = None
    checker = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        checker = request.POST.get("checked_by", "")[:200]
        try:
            done = _act(request, section, register, action, checker)
        except ServiceError as refused:
            error = refused
        else:
            messages.success(request, done)
            return redirect(register_url(section, register.month))
    return _render(request, section, register, today, error=error, checker=checker)


def _act(
    request: HttpRequest, section: Section, register: Register, action: str, checker: str
) -> str:
    user: Any = request.user
    if action == "certify":
        services.month_certify(section=section, month=register.month, checked_by=checker, by=user)
        return gettext("%(month)s is certified and locked.") % {
            "month": localize.month(register.month)
        }
    if action in ("approve", "reject"):
        rollcall_id = plain_int(request.POST.get("rollcall"))
        rollcall = (
            RollCall.objects.filter(pk=rollcall_id, school_id=section.school_id, section=section)
            .select_related("school")
            .first()
            if rollcall_id
            else None
        )
        if rollcall is None:
            raise NotFound(
                f"No change {request.POST.get('rollcall', '')[:20]} in this register.",
                field="rollcall",
            )
        attendance.correction_decide(
            rollcall=rollcall,
            approve=action == "approve",
            by=user,
            reason=request.POST.get("reason", "").strip()[:500],
        )
        if action == "approve":
            return gettext("The change is approved: the register now counts it.")
        return gettext("The change is rejected: the register stays as it was.")
    raise ServiceError("Unknown action.", field="action", code="bad_form")


def _render(
    request: HttpRequest,
    section: Section,
    register: Register,
    today: dt.date,
    *,
    error: ServiceError | None,
    checker: str,
) -> HttpResponse:
    school = section.school
    month = register.month
    last_day = dt.date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    role = access.posting_role(request.user, school, today)
    year = section.academic_year
    previous, following = shift_month(month, -1), shift_month(month, 1)
    sheet = build_sheet(register)
    context = {
        "school": school,
        "section": section,
        "register": register,
        "sheet": sheet,
        "legend": meeting_legend(sheet.meetings_per_day),
        "heading": column_heading(sheet.meetings_per_day),
        "is_head": role == Posting.Role.HEAD,
        "month_over": today >= last_day,
        "last_day": last_day,
        "pending": pending_changes(register),
        **_waiting(request, register),
        "error": error,
        "error_message": refusal_text(error) if error else "",
        "checker": checker,
        "month_value": f"{month:%Y-%m}",
        "previous_url": register_url(section, previous)
        if previous >= year.starts_on.replace(day=1)
        else "",
        "next_url": register_url(section, following) if following <= year.ends_on else "",
        "pdf_url": register_url(section, month, "section_register_pdf"),
        "xlsx_url": register_url(section, month, "section_register_xlsx"),
        "day_url": f"{reverse('school_day', args=[school.pk])}",
    }
    return render(
        request, "registers/register.html", context, status=error.status if error else 200
    )


def _waiting(request: HttpRequest, register: Register) -> dict[str, Any]:
    """Which of the month's waiting changes the user may decide here, and whose approval
    the others wait for (the head is told it is the block officer's, by name of unit)."""
    if not register.pending:
        return {"decidable": set(), "deciding_unit": ""}
    decidable = set(
        approvals.approvals_for(actor_of(request))
        .filter(pk__in=[p.pk for p in register.pending])
        .values_list("pk", flat=True)
    )
    unit = approvals.deciding_unit(register.school)
    return {
        "decidable": decidable,
        "deciding_unit": localized(unit.name, unit.name_local) if unit is not None else "",
    }


def _filename(register: Register, extension: str) -> str:
    section = register.section
    label = "".join(ch for ch in f"{section.grade}{section.name}" if ch.isalnum())
    return f"register-{register.school.code}-{label}-{register.month:%Y-%m}.{extension}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@page
@require_http_methods(["GET"])
def register_pdf(request: HttpRequest, section_id: int) -> HttpResponse:
    _section, register, _today = _load(request, section_id)
    from hazri.registers.exports.pdf import register_pdf as render_pdf  # WeasyPrint: slow import

    return _download(render_pdf(register), "application/pdf", _filename(register, "pdf"))


@page
@require_http_methods(["GET"])
def register_xlsx(request: HttpRequest, section_id: int) -> HttpResponse:
    _section, register, _today = _load(request, section_id)
    from hazri.registers.exports.xlsx import XLSX_TYPE
    from hazri.registers.exports.xlsx import register_xlsx as render_xlsx

    return _download(render_xlsx(register), XLSX_TYPE, _filename(register, "xlsx"))
