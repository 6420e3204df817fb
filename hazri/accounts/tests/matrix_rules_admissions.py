"""The admissions app's rows of the authorization matrix (merged in test_authorization_matrix).

The world's application (Place.application) is parent Imran's, for class 5, held by the
world's school; outside, one made with a verified phone, held by another state's school.
A family reaches its own applications (signed in, or by a phone's token); a school's
admitters (head, school administrator, superuser) reach those it holds; everyone else
gets the one 404."""

from typing import Any

from hazri.org.models import Section

from .matrix_rules import API, ROLES, SIGNED_IN, Place, Rule, _page, each

ADMITS = {"superuser", "head", "school_admin"}
EVERYONE = set(ROLES) - {"anonymous"}
FAMILY_OR_SCHOOL = {"parent": 200, **each(ADMITS, 200)}
APPLICATION = "/api/v1/admissions/applications/{application_id}"


def _year(p: Place) -> int:
    return int(Section.objects.get(pk=p.section).academic_year_id)


def _application_body(p: Place) -> dict[str, Any]:
    return {
        "academic_year": _year(p),
        "grade": 5,
        "schools": [p.school],
        "child_name": "Matrix applicant",
        "gender": "F",
        "date_of_birth": "2016-05-05",
        "guardian_name": "Matrix parent",
        "guardian_phone": "9333333333",
        "relation": "mother",
        "documents": [
            {"kind": "birth_certificate", "name": "b.pdf", "data": "JVBERi0xLjQKJSVFT0YK"}
        ],
    }


def _details_body(p: Place) -> dict[str, Any]:
    body = _application_body(p)
    for key in ("academic_year", "grade", "schools"):
        body.pop(key)
    return body


def _school_post(path: str, body: Any = None) -> Rule:
    return Rule(
        "POST",
        lambda p: f"{API}/admissions/applications/{p.application}/{path}",
        each(ADMITS, 200),
        body=body,
    )


RULES: dict[str, Rule] = {
    # --- A family: anyone may ask for a code; a signed-in user or a phone's token applies.
    "POST /api/v1/admissions/phone-codes": Rule(
        "POST",
        lambda p: f"{API}/admissions/phone-codes",
        each(EVERYONE, 201),
        body=lambda p: {"phone": "9444444444"},
        outside=None,
        anonymous=201,
    ),
    "POST /api/v1/admissions/phone-codes/verify": Rule(
        "POST",
        lambda p: f"{API}/admissions/phone-codes/verify",
        each(EVERYONE, 422),  # no code was sent to this number
        body=lambda p: {"phone": "9555555555", "code": "123456"},
        outside=None,
        anonymous=422,
    ),
    "GET /api/v1/admissions/schools": Rule(
        "GET", lambda p: f"{API}/admissions/schools", each(SIGNED_IN, 200), outside=None
    ),
    "GET /api/v1/admissions/applications": Rule(
        "GET", lambda p: f"{API}/admissions/applications", each(SIGNED_IN, 200), outside=None
    ),
    "POST /api/v1/admissions/applications": Rule(
        "POST",
        lambda p: f"{API}/admissions/applications",
        each(SIGNED_IN, 201),
        body=_application_body,
        outside=None,
    ),
    f"GET {APPLICATION}": Rule(
        "GET", lambda p: f"{API}/admissions/applications/{p.application}", FAMILY_OR_SCHOOL
    ),
    f"GET {APPLICATION}/documents/{{document}}": Rule(
        "GET",
        lambda p: f"{API}/admissions/applications/{p.application}/documents/birth_certificate",
        FAMILY_OR_SCHOOL,
    ),
    # Submitted, not sent back: the family may not resubmit yet (409), nobody else at all.
    f"POST {APPLICATION}/resubmit": Rule(
        "POST",
        lambda p: f"{API}/admissions/applications/{p.application}/resubmit",
        {"parent": 409},
        body=_details_body,
    ),
    f"POST {APPLICATION}/withdraw": Rule(
        "POST",
        lambda p: f"{API}/admissions/applications/{p.application}/withdraw",
        {"parent": 200},
        body=lambda p: {"reason": "Moved away"},
    ),
    # --- A school's admitters.
    "GET /api/v1/admissions/schools/{school_id}/queue": Rule(
        "GET", lambda p: f"{API}/admissions/schools/{p.school}/queue", each(ADMITS, 200)
    ),
    "PUT /api/v1/admissions/schools/{school_id}/seats": Rule(
        "PUT",
        lambda p: f"{API}/admissions/schools/{p.school}/seats",
        each(ADMITS, 200),
        body=lambda p: {"academic_year": _year(p), "grade": 5, "seats": 40},
    ),
    f"POST {APPLICATION}/review": _school_post("review"),
    f"POST {APPLICATION}/correction": _school_post(
        "correction", lambda p: {"note": "The birth certificate is unreadable"}
    ),
    f"POST {APPLICATION}/admit": _school_post("admit", lambda p: {"section": p.section}),
    f"POST {APPLICATION}/refuse": _school_post("refuse", lambda p: {"reason": "Class is full"}),
}

PAGES: dict[str, Rule] = {
    "admissions_home": _page(
        lambda p: "/admissions/", each(SIGNED_IN, 200), outside=None, anonymous=200
    ),
    "admissions_phone": Rule(
        "POST",
        lambda p: "/admissions/phone/",
        each(EVERYONE, 302),
        body=lambda p: {"phone": "9444444444"},
        outside=None,
        anonymous=302,
    ),
    "admissions_verify": _page(
        lambda p: "/admissions/phone/verify/", each(SIGNED_IN, 200), outside=None, anonymous=200
    ),
    "admissions_apply": _page(lambda p: "/admissions/apply/", each(SIGNED_IN, 200), outside=None),
    "admissions_application": _page(
        lambda p: f"/admissions/applications/{p.application}/", FAMILY_OR_SCHOOL
    ),
    "admissions_correct": _page(
        lambda p: f"/admissions/applications/{p.application}/correct/", {"parent": 200}
    ),
    "admissions_withdraw": Rule(
        "POST",
        lambda p: f"/admissions/applications/{p.application}/withdraw/",
        {"parent": 302},
        anonymous=302,
    ),
    "admissions_document": _page(
        lambda p: f"/admissions/applications/{p.application}/documents/birth_certificate/",
        FAMILY_OR_SCHOOL,
    ),
    "admissions_decide": Rule(
        "POST",
        lambda p: f"/admissions/applications/{p.application}/decide/",
        each(ADMITS, 302),
        body=lambda p: {"action": "review"},
        anonymous=302,
    ),
    "admissions_queue": _page(lambda p: f"/schools/{p.school}/admissions/", each(ADMITS, 200)),
    "admissions_seats": Rule(
        "POST",
        lambda p: f"/schools/{p.school}/admissions/seats/",
        each(ADMITS, 302),
        body=lambda p: {"grade": "5", "seats": "40"},
        anonymous=302,
    ),
}
