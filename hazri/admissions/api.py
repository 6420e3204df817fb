"""Online admission in the JSON API: a family proves its phone (where it has no account),
applies, follows, resubmits or withdraws; a school sees its queue and seats, reviews,
asks for a correction, admits or refuses.

A family is the signed-in user, or a caller holding the token of a verified phone number
(`X-Admission-Token`, from POST /admissions/phone-codes/verify)."""

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.security import APIKeyHeader

from hazri.accounts.access import actor_of
from hazri.accounts.auth import api_auth
from hazri.admissions import selectors, services
from hazri.admissions.models import Application
from hazri.admissions.schemas import (
    AdmitIn,
    ApplicationDetailsIn,
    ApplicationIn,
    ApplicationListOut,
    ApplicationOut,
    ApplicationWithdrawIn,
    ClassSeatsOut,
    CorrectionIn,
    DocumentKind,
    PhoneCodeIn,
    PhoneCodeOut,
    PhoneVerifiedOut,
    PhoneVerifyIn,
    RefuseIn,
    SchoolQueueOut,
    SchoolsToApplyOut,
    SeatPlanIn,
    application_out,
    summary_out,
)
from hazri.admissions.services import Family
from hazri.admissions.services.phone import WRONG_CODE
from hazri.common import files
from hazri.common.api import ErrorOut, PathId, QueryId, Text
from hazri.signon.guard import guarded

router = Router(tags=["admissions"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)
GUESSES = "admission_phone"
SearchText = Annotated[Text, Query("", max_length=100)]
QueryGrade = Annotated[int, Query(ge=1, le=12)]  # signon.guard's lock on guessing, for phone codes


class PhoneTokenAuth(APIKeyHeader):
    """A family with no account: the token of the phone number it verified."""

    param_name = "X-Admission-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> str | None:
        phone = services.phone_of_token(key or "")
        if phone is not None:
            request.admission_phone = phone  # type: ignore[attr-defined]
        return phone


FAMILY_AUTH = [*api_auth, PhoneTokenAuth()]


def _family(request: HttpRequest) -> Family:
    user = request.user if request.user.is_authenticated else None
    return Family(user=user, phone=getattr(request, "admission_phone", ""))


def _uploads(items: list[Any]) -> dict[str, files.Upload]:
    return {
        item.kind: files.from_base64(item.name, item.data, f"documents.{item.kind}")
        for item in items
    }


def _reloaded(application: Application) -> dict[str, Any]:
    found = Application.objects.select_related("school", "admission").get(pk=application.pk)
    return application_out(found)


# --- A family ---------------------------------------------------------------------------


@router.post(
    "/admissions/phone-codes",
    auth=None,
    response={201: PhoneCodeOut, **ERRORS, 429: ErrorOut},
    summary="Send a one-time code by SMS to the family's mobile number (no account needed)",
)
def post_phone_code(request: HttpRequest, payload: PhoneCodeIn) -> Status[dict[str, Any]]:
    sent = services.phone_code_send(phone=payload.phone)
    return Status(201, {"phone": sent.phone, "expires_at": sent.expires_at})


@router.post(
    "/admissions/phone-codes/verify",
    auth=None,
    response={200: PhoneVerifiedOut, **ERRORS, 429: ErrorOut},
    summary="Check the code: the answer's token lets the family apply and follow",
)
def post_phone_verify(request: HttpRequest, payload: PhoneVerifyIn) -> dict[str, Any]:
    verified = guarded(
        request,
        lambda: services.phone_code_check(phone=payload.phone, code=payload.code),
        scope=GUESSES,
        counted=WRONG_CODE,
    )
    return {"phone": verified.phone, "token": verified.token, "expires_at": verified.expires_at}


@router.get(
    "/admissions/schools",
    auth=FAMILY_AUTH,
    response={200: SchoolsToApplyOut, **ERRORS},
    summary="Schools a family may name as preferences (by name or UDISE code)",
)
def get_schools_to_apply(request: HttpRequest, q: SearchText = "") -> dict[str, Any]:
    _family(request)
    return {"schools": list(selectors.schools_to_apply(q))}


@router.get(
    "/admissions/applications",
    auth=FAMILY_AUTH,
    response={200: ApplicationListOut, **ERRORS},
    summary="The family's applications, newest first",
)
def get_applications(request: HttpRequest) -> dict[str, Any]:
    found = selectors.applications_of_family(_family(request))
    return {"applications": [summary_out(a) for a in found]}


@router.post(
    "/admissions/applications",
    auth=FAMILY_AUTH,
    response={201: ApplicationOut, **ERRORS},
    summary="Apply for a child: details, documents, preferred schools in order",
)
def post_application(request: HttpRequest, payload: ApplicationIn) -> Status[dict[str, Any]]:
    application = services.application_submit(
        family=_family(request),
        academic_year_id=payload.academic_year,
        grade=payload.grade,
        school_ids=payload.schools,
        details=payload.details(),
        documents=_uploads(payload.documents),
    )
    return Status(201, _reloaded(application))


@router.get(
    "/admissions/applications/{application_id}",
    auth=FAMILY_AUTH,
    response={200: ApplicationOut, **ERRORS},
    summary="An application with its preferences, steps and documents (family or school)",
)
def get_application(request: HttpRequest, application_id: PathId) -> dict[str, Any]:
    found, _side = selectors.family_visible(_family(request), actor_of(request), application_id)
    return _reloaded(found)


@router.get(
    "/admissions/applications/{application_id}/documents/{document}",
    auth=FAMILY_AUTH,
    response={200: None, **ERRORS},
    summary="A document of an application (the family's, or the school's holding it)",
)
def get_application_document(
    request: HttpRequest, application_id: PathId, document: DocumentKind
) -> HttpResponse:
    found, _side = selectors.family_visible(_family(request), actor_of(request), application_id)
    stored = selectors.document(found, document)
    return files.file_response(bytes(stored.data), stored.media_type, stored.name)


@router.post(
    "/admissions/applications/{application_id}/resubmit",
    auth=FAMILY_AUTH,
    response={200: ApplicationOut, **ERRORS},
    summary="The family's corrected details (and documents sent again), after a correction",
)
def post_resubmit(
    request: HttpRequest, application_id: PathId, payload: ApplicationDetailsIn
) -> dict[str, Any]:
    family = _family(request)
    application = services.application_resubmit(
        application=selectors.application_of_family(family, application_id),
        family=family,
        details=payload.details(),
        documents=_uploads(payload.documents),
    )
    return _reloaded(application)


@router.post(
    "/admissions/applications/{application_id}/withdraw",
    auth=FAMILY_AUTH,
    response={200: ApplicationOut, **ERRORS},
    summary="The family withdraws an open application",
)
def post_withdraw(
    request: HttpRequest, application_id: PathId, payload: ApplicationWithdrawIn
) -> dict[str, Any]:
    family = _family(request)
    application = services.application_withdraw(
        application=selectors.application_of_family(family, application_id),
        family=family,
        reason=payload.reason,
    )
    return _reloaded(application)


# --- A school ---------------------------------------------------------------------------


@router.get(
    "/admissions/schools/{school_id}/queue",
    response={200: SchoolQueueOut, **ERRORS},
    summary="A school's applications for a year (open first) with seats per class",
)
def get_queue(
    request: HttpRequest,
    school_id: PathId,
    academic_year: QueryId | None = None,
    grade: QueryGrade | None = None,
) -> dict[str, Any]:
    actor = actor_of(request)
    school = selectors.school_for_admissions(actor, school_id)
    year = selectors.year_for(school, academic_year)
    rows = selectors.queue(school, year, grade=grade)
    for row in rows:
        row.school = school
    return {
        "school": school.pk,
        "academic_year": year.pk,
        "seats": selectors.seats(school, year, grade),
        "applications": [summary_out(a) for a in rows],
    }


@router.put(
    "/admissions/schools/{school_id}/seats",
    response={200: ClassSeatsOut, **ERRORS},
    summary="Set the seats a school offers in one class in a year",
)
def put_seats(request: HttpRequest, school_id: PathId, payload: SeatPlanIn) -> Any:
    actor = actor_of(request)
    school = selectors.school_for_admissions(actor, school_id)
    year = selectors.year_for(school, payload.academic_year)
    services.seat_plan_set(
        school=school, academic_year=year, grade=payload.grade, seats=payload.seats, by=actor.user
    )
    (row,) = selectors.seats(school, year, payload.grade)
    return row


def _held(request: HttpRequest, application_id: int) -> Application:
    return selectors.application_for_school(actor_of(request), application_id)


@router.post(
    "/admissions/applications/{application_id}/review",
    response={200: ApplicationOut, **ERRORS},
    summary="The school starts reviewing the application",
)
def post_review(request: HttpRequest, application_id: PathId) -> dict[str, Any]:
    application = services.application_review(
        application=_held(request, application_id), by=request.user
    )
    return _reloaded(application)


@router.post(
    "/admissions/applications/{application_id}/correction",
    response={200: ApplicationOut, **ERRORS},
    summary="Ask the family to correct something (say what)",
)
def post_correction(
    request: HttpRequest, application_id: PathId, payload: CorrectionIn
) -> dict[str, Any]:
    application = services.application_correction_ask(
        application=_held(request, application_id), note=payload.note, by=request.user
    )
    return _reloaded(application)


@router.post(
    "/admissions/applications/{application_id}/admit",
    response={200: ApplicationOut, **ERRORS},
    summary="Admit the child to a section: the admission (next number) and the enrolment",
)
def post_admit(request: HttpRequest, application_id: PathId, payload: AdmitIn) -> dict[str, Any]:
    application = services.application_admit(
        application=_held(request, application_id),
        section_id=payload.section,
        admitted_on=payload.admitted_on,
        by=request.user,
    )
    return _reloaded(application)


@router.post(
    "/admissions/applications/{application_id}/refuse",
    response={200: ApplicationOut, **ERRORS},
    summary="Refuse with a reason; for lack of seats it passes to the next preference",
)
def post_refuse(request: HttpRequest, application_id: PathId, payload: RefuseIn) -> dict[str, Any]:
    application = services.application_refuse(
        application=_held(request, application_id),
        reason=payload.reason,
        no_seats=payload.no_seats,
        by=request.user,
    )
    return _reloaded(application)
