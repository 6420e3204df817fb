"""The records pages: a child's lifelong record, a section's year end, a transfer
certificate (issue, print, cancel) and the admission from one. A GET reads only."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of, require_role
from hazri.common.errors import Invalid, NotFound, ServiceError
from hazri.common.pages import error_text, form_failed, page, plain_int
from hazri.credentials.selectors import qr_svg
from hazri.org import selectors as org
from hazri.records import selectors, services
from hazri.records.timeline import student_record
from hazri.records.yearend import year_end


def _day(value: str | None, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise Invalid(gettext("That is not a valid date."), field=field, code="bad_day") from None


def _text(request: HttpRequest, name: str, limit: int) -> str:
    value = request.POST.get(name, "")
    if "\x00" in value or len(value) > limit:
        raise Invalid(
            gettext("The form was incomplete. Reload the page and try again."),
            field=name,
            code="bad_form",
        )
    return value


@page
@require_http_methods(["GET"])
def record_page(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access.student_visible(request.user, student_id)
    school = selectors.school_leaving(student)
    may_issue = school is not None and actor_of(request).may(Action.ISSUE, school) is not None
    return render(
        request,
        "records/record.html",
        {"record": student_record(student), "school": school, "may_issue": may_issue},
    )


@page
@require_http_methods(["GET", "POST"])
def year_end_page(request: HttpRequest, section_id: int) -> HttpResponse:
    section = selectors.section_to_promote(request.user, section_id)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        try:
            to_id, repeat_id = (
                plain_int(request.POST.get("to")),
                plain_int(request.POST.get("repeat_in")),
            )
            _plan, made = services.year_end_promote(
                section=section,
                to=selectors.section_named(request.user, to_id, field="to"),
                repeat_in=selectors.section_named(request.user, repeat_id, field="repeat_in"),
                by=request.user,  # type: ignore[arg-type]
            )
        except ServiceError as error:
            extra = form_failed(error, request.POST)
        else:
            messages.success(
                request,
                gettext("%(count)d children were carried into next session.")
                % {"count": len(made)},
            )
            return redirect("records_year_end", section.pk)
    return render(
        request,
        "records/year_end.html",
        {"plan": year_end(section), **extra},
        status=extra["error"].status if extra else 200,
    )


@page
@require_http_methods(["GET", "POST"])
def tc_issue_page(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access.student_visible(request.user, student_id)
    school = selectors.school_leaving(student)
    if school is None:
        raise NotFound(gettext("This child is on no school's roll."), field="student")
    require_role(actor_of(request), Action.ISSUE, school, field="school")
    extra: dict[str, Any] = {}
    if request.method == "POST":
        try:
            tc = services.tc_issue(
                student=student,
                school=school,
                left_on=_day(request.POST.get("left_on"), "left_on"),
                reason=_text(request, "reason", 200),
                conduct=_text(request, "conduct", 100),
                dues_cleared=request.POST.get("dues_cleared") == "yes",
                remarks=_text(request, "remarks", 300),
                by=request.user,  # type: ignore[arg-type]
            )
        except ServiceError as error:
            extra = form_failed(error, request.POST)
        else:
            messages.success(request, gettext("The transfer certificate was issued."))
            return redirect("records_tc", tc.pk)
    return render(
        request,
        "records/tc_issue.html",
        {"student": student, "school": school, "today": org.school_today(school), **extra},
        status=extra["error"].status if extra else 200,
    )


@page
@require_http_methods(["GET"])
def tc_page(request: HttpRequest, tc_id: int) -> HttpResponse:
    tc = selectors.tc_visible(request.user, tc_id)
    may_cancel = actor_of(request).may(Action.ISSUE, tc.school) is not None
    qr = qr_svg(tc.credential) if tc.credential is not None else ""
    return render(request, "records/tc.html", {"tc": tc, "may_cancel": may_cancel, "qr": qr})


@page
@require_POST
def tc_cancel_page(request: HttpRequest, tc_id: int) -> HttpResponse:
    tc = selectors.tc_visible(request.user, tc_id)
    try:
        services.tc_cancel(tc=tc, reason=_text(request, "reason", 300), by=request.user)  # type: ignore[arg-type]
    except ServiceError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error_text(error))
    else:
        messages.success(request, gettext("The transfer certificate was cancelled."))
    return redirect("records_tc", tc.pk)


@page
@require_http_methods(["GET", "POST"])
def tc_admit_page(request: HttpRequest, school_id: int) -> HttpResponse:
    school = selectors.school_to_admit(request.user, school_id)
    extra: dict[str, Any] = {}
    found = None
    number = (request.POST if request.method == "POST" else request.GET).get("number", "")
    if number and "\x00" not in number and len(number) <= 1000:
        try:
            found = services.tc_find(number)
        except ServiceError as error:
            extra = form_failed(error, request.GET)
    if request.method == "POST":
        try:
            section = selectors.section_named(
                request.user, plain_int(request.POST.get("section")), field="section"
            )
            if section is None or section.school_id != school.pk:
                raise NotFound(gettext("Choose a class of this school."), field="section")
            enrolment = services.tc_admit(
                number=_text(request, "number", 1000),
                section=section,
                admission_no=_text(request, "admission_no", 20),
                admitted_on=_day(request.POST.get("admitted_on"), "admitted_on"),
                by=request.user,  # type: ignore[arg-type]
            )
        except ServiceError as error:
            extra = form_failed(error, request.POST)
        else:
            messages.success(
                request, gettext("The child was admitted; their record came with them.")
            )
            return redirect("records_record", enrolment.student_id)
    today = org.school_today(school)
    return render(
        request,
        "records/tc_admit.html",
        {
            "school": school,
            "found": found,
            "number": number,
            "sections": selectors.sections_open(school, today),
            "today": today,
            **extra,
        },
        status=extra["error"].status if extra else 200,
    )
