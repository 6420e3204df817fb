"""The credentials app's rows of the authorization matrix (merged in test_authorization_matrix).

Verifying a document, the published keys and the status lists are public: everyone,
signed in or not, inside or outside, gets them. A document is seen by its school's
staff and officers and by the student's family; only the head, the school
administrator (and a superuser) revoke it."""

from typing import Any

from hazri.credentials.models import Credential

from .matrix_rules import API, FAMILY, ROLES, SEES_SCHOOL, Place, Rule, _page, each

EVERYONE = each(set(ROLES) - {"anonymous"}, 200)
ISSUERS = {"head": 200, "school_admin": 200, "superuser": 200}


def _qr(p: Place) -> dict[str, Any]:
    return {"qr": Credential.objects.get(pk=p.credential).qr}


RULES: dict[str, Rule] = {
    "POST /api/v1/verify": Rule(
        "POST", lambda p: f"{API}/verify", EVERYONE, body=_qr, outside=None, anonymous=200
    ),
    "GET /api/v1/credentials/keys": Rule(
        "GET", lambda p: f"{API}/credentials/keys", EVERYONE, outside=None, anonymous=200
    ),
    "GET /api/v1/credentials/status/{list_number}": Rule(
        "GET", lambda p: f"{API}/credentials/status/0", EVERYONE, outside=None, anonymous=200
    ),
    "GET /api/v1/students/{student_id}/credentials": Rule(
        "GET",
        lambda p: f"{API}/students/{p.student}/credentials",
        each(SEES_SCHOOL | FAMILY, 200),
    ),
    "GET /api/v1/schools/{school_id}/credentials": Rule(
        "GET", lambda p: f"{API}/schools/{p.school}/credentials", each(SEES_SCHOOL, 200)
    ),
    "GET /api/v1/credentials/{credential_id}": Rule(
        "GET",
        lambda p: f"{API}/credentials/{p.credential}",
        each(SEES_SCHOOL | FAMILY, 200),
    ),
    # Those who see it but may not revoke it: 403 (the family too).
    "POST /api/v1/credentials/{credential_id}/revoke": Rule(
        "POST",
        lambda p: f"{API}/credentials/{p.credential}/revoke",
        {**ISSUERS, **each(FAMILY, 403)},
        denied=403,
        body=lambda p: {"reason": "Issued with the wrong term"},
    ),
}
PAGES: dict[str, Rule] = {
    "credentials_verify": _page(lambda p: "/verify/", EVERYONE, outside=None, anonymous=200),
    "credentials_school": _page(
        lambda p: f"/schools/{p.school}/credentials/", each(SEES_SCHOOL, 200)
    ),
    "credentials_detail": _page(
        lambda p: f"/credentials/{p.credential}/", each(SEES_SCHOOL | FAMILY, 200)
    ),
    "credentials_revoke": Rule(
        "POST",
        lambda p: f"/credentials/{p.credential}/revoke/",
        {**dict.fromkeys(ISSUERS, 302), **each(FAMILY, 403)},
        denied=403,
        anonymous=302,
        body=lambda p: {"reason": "Issued with the wrong term"},
    ),
}
