"""Admission pages, made for a phone: a family proves its number (or signs in), applies,
follows the status, corrects and resubmits; a school's queue with seats per class, and
an application's page where the school reviews, asks for a correction, admits or
refuses. A GET reads only.

A family without an account keeps the token of its verified number in the session."""

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from hazri.accounts.access import actor_of
from hazri.admissions import selectors, services
from hazri.admissions.models import Application, ApplicationDocument
from hazri.admissions.services import Details, Family
from hazri.admissions.services.phone import WRONG_CODE
from hazri.common import files
from hazri.common.errors import Invalid, ServiceError
from hazri.common.pages import error_page, form_failed, page, plain_int, use_language_of
from hazri.people.models import Gender, Guardianship
from hazri.signon.guard import guarded

TOKEN = "admissions_phone_token"
GUESSES = "admission_phone"
S = Application.Status


def _family(request: HttpRequest) -> Family | None:
    if request.user.is_authenticated:
        return Family(user=request.user)
    phone = services.phone_of_token(str(request.session.get(TOKEN, "")))
    return Family(phone=phone) if phone else None


def family_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in or with a verified number (else to the start page); the user's
    language; a service's refusal as a 4xx page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        family = _family(request)
        if family is None:
            return redirect("admissions_home")
        use_language_of(request)
        try:
            return view(request, family, *args, **kwargs)
        except ServiceError as error:
            return error_page(request, error)

    return wrapper


def _open(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page anyone may open (the start, the phone's code)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        use_language_of(request)
        try:
            return view(request, *args, **kwargs)
        except ServiceError as error:
            return error_page(request, error)

    return wrapper


# --- A family ---------------------------------------------------------------------------


@_open
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    family = _family(request)
    found = list(selectors.applications_of_family(family)) if family is not None else []
    return render(
        request,
        "admissions/home.html",
        {"family": family, "applications": found, "phone": request.GET.get("phone", "")[:30]},
    )


@_open
@require_POST
def phone(request: HttpRequest) -> HttpResponse:
    try:
        sent = services.phone_code_send(phone=request.POST.get("phone", ""))
    except ServiceError as error:
        return render(
            request,
            "admissions/home.html",
            {"family": None, "applications": [], "phone": request.POST.get("phone", "")[:30]}
            | form_failed(error),
            status=error.status,
        )
    request.session["admissions_phone"] = sent.phone
    return redirect("admissions_verify")


@_open
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    number = str(request.session.get("admissions_phone", ""))
    if request.method == "POST":
        try:
            verified = guarded(
                request,
                lambda: services.phone_code_check(
                    phone=request.POST.get("phone", number), code=request.POST.get("code", "")
                ),
                scope=GUESSES,
                counted=WRONG_CODE,
            )
        except ServiceError as error:
            return render(
                request,
                "admissions/verify.html",
                {"phone": number} | form_failed(error),
                status=error.status,
            )
        request.session[TOKEN] = verified.token
        messages.success(request, gettext("Your mobile number is verified."))
        return redirect("admissions_home")
    return render(request, "admissions/verify.html", {"phone": number})


def _date(text: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(gettext("That is not a valid date."), field=field, code="bad_day") from None


def _details(posted: Any) -> Details:
    return Details(
        child_name=posted.get("child_name", ""),
        child_name_local=posted.get("child_name_local", ""),
        gender=posted.get("gender", ""),
        date_of_birth=_date(posted.get("date_of_birth", ""), "date_of_birth"),
        state_id=posted.get("state_id", ""),
        guardian_name=posted.get("guardian_name", ""),
        guardian_name_local=posted.get("guardian_name_local", ""),
        guardian_phone=posted.get("guardian_phone", ""),
        guardian_email=posted.get("guardian_email", ""),
        relation=posted.get("relation", ""),
        address=posted.get("address", ""),
    )


def _documents(request: HttpRequest) -> dict[str, files.Upload]:
    return {
        kind: files.from_form(request.FILES[kind], f"documents.{kind}")
        for kind in ApplicationDocument.Kind.values
        if kind in request.FILES
    }


def _form_context(request: HttpRequest, family: Family, posted: Any) -> dict[str, Any]:
    return {
        "family": family,
        "posted": posted,
        "years": selectors.open_years(),
        # A state has thousands of schools: the family narrows the lists by a search.
        "schools": selectors.schools_to_apply(request.GET.get("q", "")[:100], limit=200),
        "q": request.GET.get("q", "")[:100],
        "genders": Gender.choices,
        "relations": Guardianship.Relation.choices,
        "grades": range(1, 13),
        "kinds": ApplicationDocument.Kind.choices,
    }


@family_page
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, family: Family) -> HttpResponse:
    posted: Any = request.POST if request.method == "POST" else {"guardian_phone": family.phone}
    extra: dict[str, Any] = {}
    if request.method == "POST":
        try:
            schools = [
                pk
                for n in range(1, 4)
                if (pk := plain_int(request.POST.get(f"school_{n}"))) is not None
            ]
            year = plain_int(request.POST.get("academic_year"))
            grade = plain_int(request.POST.get("grade"), max_digits=2)
            if year is None:
                raise Invalid(gettext("Choose the year."), field="academic_year", code="required")
            if grade is None:
                raise Invalid(gettext("Choose the class."), field="grade", code="required")
            application = services.application_submit(
                family=family,
                academic_year_id=year,
                grade=grade,
                school_ids=schools,
                details=_details(request.POST),
                documents=_documents(request),
            )
        except ServiceError as error:
            extra = form_failed(error)
        else:
            messages.success(
                request,
                gettext("Your application %(reference)s was sent.")
                % {"reference": application.reference},
            )
            return redirect("admissions_application", application.pk)
    return render(
        request,
        "admissions/apply.html",
        _form_context(request, family, posted) | extra,
        status=extra["error"].status if extra else 200,
    )


def _visible(request: HttpRequest, application_id: int) -> tuple[Application, str]:
    family = _family(request)
    return selectors.family_visible(family, actor_of(request), application_id)


@family_page
@require_http_methods(["GET"])
def application(request: HttpRequest, family: Family, application_id: int) -> HttpResponse:
    found, side = _visible(request, application_id)
    return render(
        request,
        "admissions/application.html",
        {
            "application": found,
            "side": side,
            "preferences": selectors.preferences(found),
            "events": selectors.events(found),
            "documents": selectors.documents(found),
            "sections": selectors.sections_for(found) if side == "school" else [],
            "seats": (
                selectors.seats(found.school, found.academic_year, found.grade)[0]
                if side == "school"
                else None
            ),
            "is_open": found.is_open,
        },
    )


@family_page
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, family: Family, application_id: int) -> HttpResponse:
    found = selectors.application_of_family(family, application_id)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        try:
            services.application_resubmit(
                application=found,
                family=family,
                details=_details(request.POST),
                documents=_documents(request),
            )
        except ServiceError as error:
            extra = form_failed(error)
        else:
            messages.success(request, gettext("Your corrected application was sent."))
            return redirect("admissions_application", found.pk)
    posted = request.POST if request.method == "POST" else vars(found)
    return render(
        request,
        "admissions/correct.html",
        _form_context(request, family, posted) | {"application": found} | extra,
        status=extra["error"].status if extra else 200,
    )


@family_page
@require_POST
def withdraw(request: HttpRequest, family: Family, application_id: int) -> HttpResponse:
    found = selectors.application_of_family(family, application_id)
    services.application_withdraw(
        application=found, family=family, reason=request.POST.get("reason", "")
    )
    messages.success(request, gettext("The application was withdrawn."))
    return redirect("admissions_application", found.pk)


@family_page
@require_http_methods(["GET"])
def document(
    request: HttpRequest, family: Family, application_id: int, document: str
) -> HttpResponse:
    found, _side = _visible(request, application_id)
    stored = selectors.document(found, document)
    return files.file_response(bytes(stored.data), stored.media_type, stored.name)


# --- A school ---------------------------------------------------------------------------


@page
@require_http_methods(["GET"])
def queue(request: HttpRequest, school_id: int) -> HttpResponse:
    actor = actor_of(request)
    school = selectors.school_for_admissions(actor, school_id)
    year = selectors.year_for(school, plain_int(request.GET.get("year")))
    grade = plain_int(request.GET.get("grade"), max_digits=2)
    grade = grade if grade is not None and 1 <= grade <= 12 else None
    status = request.GET.get("status", "")
    status = status if status in S.values else ""
    return render(
        request,
        "admissions/queue.html",
        {
            "school": school,
            "year": year,
            "years": selectors.years_for(school),
            "grade": grade,
            "status": status,
            "statuses": S.choices,
            "seats": selectors.seats(school, year),
            "applications": selectors.queue(school, year, grade=grade, status=status),
        },
    )


@page
@require_POST
def seats(request: HttpRequest, school_id: int) -> HttpResponse:
    actor = actor_of(request)
    school = selectors.school_for_admissions(actor, school_id)
    year = selectors.year_for(school, plain_int(request.POST.get("year")))
    grade = plain_int(request.POST.get("grade"), max_digits=2)
    count = plain_int(request.POST.get("seats"), max_digits=5)
    if grade is None:
        raise Invalid(gettext("Choose the class."), field="grade", code="required")
    if count is None:
        raise Invalid(gettext("Write the number of seats."), field="seats", code="required")
    services.seat_plan_set(
        school=school, academic_year=year, grade=grade, seats=count, by=request.user
    )
    messages.success(request, gettext("Seats saved."))
    return redirect(f"{reverse('admissions_queue', args=[school.pk])}?year={year.pk}")


@page
@require_POST
def decide(request: HttpRequest, application_id: int) -> HttpResponse:
    found = selectors.application_for_school(actor_of(request), application_id)
    action = request.POST.get("action", "")
    by = request.user
    held_by = found.school_id
    if action == "review":
        services.application_review(application=found, by=by)
    elif action == "correction":
        services.application_correction_ask(
            application=found, note=request.POST.get("note", ""), by=by
        )
    elif action == "admit":
        section = plain_int(request.POST.get("section"))
        if section is None:
            raise Invalid(gettext("Choose the section."), field="section", code="required")
        services.application_admit(application=found, section_id=section, by=by)
    elif action == "refuse":
        services.application_refuse(
            application=found,
            reason=request.POST.get("reason", ""),
            no_seats=request.POST.get("no_seats") == "1",
            by=by,
        )
    else:
        raise Invalid(gettext("Choose what to do."), field="action", code="bad_action")
    found.refresh_from_db()
    messages.success(
        request,
        gettext("The application is now: %(status)s.") % {"status": found.get_status_display()},
    )
    if found.school_id != held_by:  # passed on to the next preference: no longer ours
        return redirect("admissions_queue", held_by)
    return redirect("admissions_application", found.pk)
