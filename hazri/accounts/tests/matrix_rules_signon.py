"""The signon app's rows of the authorization matrix (merged in test_authorization_matrix):
personal invitations, issued by the head and the school administrator (Action.ADMIT),
redeemed by anyone holding a code; the state's sign-on, off in the test settings."""

from .matrix_rules import API, FAMILY, ROLES, SEES_SCHOOL, Rule, _page, each

# Who issues invitations: the head, the school administrator and the superuser.
ADMITS = {"superuser", "head", "school_admin"}
# A code nobody was given: refused with 422 (field "code"), whoever asks.
UNKNOWN_CODE = "ABCDE-FGHJK"
EVERYONE = set(ROLES) - {"anonymous"}

RULES: dict[str, Rule] = {
    "POST /api/v1/schools/{school_id}/invitations": Rule(
        "POST",
        lambda p: f"{API}/schools/{p.school}/invitations",
        each(ADMITS, 201),
        denied=403,
        body=lambda p: {"kind": "student", "target": p.student},
    ),
    "POST /api/v1/sections/{section_id}/invitations": Rule(
        "POST",
        lambda p: f"{API}/sections/{p.section}/invitations",
        each(ADMITS, 201),
        denied=403,
        body=lambda p: {"kind": "student"},
    ),
    "GET /api/v1/schools/{school_id}/invitations": Rule(
        "GET", lambda p: f"{API}/schools/{p.school}/invitations", each(ADMITS, 200), denied=403
    ),
    "POST /api/v1/invitations/{invitation_id}/revoke": Rule(
        "POST",
        lambda p: f"{API}/invitations/{p.invitation}/revoke",
        each(ADMITS, 200),
        denied=403,
    ),
    "POST /api/v1/invitations/redeem": Rule(
        "POST",
        lambda p: f"{API}/invitations/redeem",
        each(EVERYONE, 422),
        body=lambda p: {"code": UNKNOWN_CODE, "username": "newcomer", "password": "x"},
        outside=None,
        anonymous=422,
    ),
}

PAGES: dict[str, Rule] = {
    "invitations": _page(
        lambda p: f"/schools/{p.school}/invitations/", each(ADMITS, 200), denied=403
    ),
    # The print page of the section's slips.
    "invitations_issue": Rule(
        "POST",
        lambda p: f"/sections/{p.section}/invitations/",
        each(ADMITS, 200),
        denied=403,
        anonymous=302,
        body=lambda p: {"kind": "student"},
    ),
    "invitations_issue_staff": Rule(
        "POST",
        lambda p: f"/schools/{p.school}/invitations/staff/",
        each(ADMITS, 200),
        denied=403,
        anonymous=302,
    ),
    "invitation_revoke": Rule(
        "POST",
        lambda p: f"/invitations/{p.invitation}/revoke/",
        each(ADMITS, 302),
        denied=403,
        anonymous=302,
    ),
    "invite_enter": _page(lambda p: "/invite/", each(EVERYONE, 200), outside=None, anonymous=200),
    # Anyone may open a slip's link; an unknown code is a 422 page.
    "invite": _page(
        lambda p: f"/invite/{UNKNOWN_CODE}/", each(EVERYONE, 422), outside=None, anonymous=422
    ),
    # The state's sign-on is off in the test settings: there is no such page.
    "sso_start": _page(
        lambda p: "/accounts/sso/", each(EVERYONE, 404), outside=None, anonymous=404
    ),
    "sso_callback": _page(
        lambda p: "/accounts/sso/callback/?code=x&state=y",
        each(EVERYONE, 404),
        outside=None,
        anonymous=404,
    ),
}

# The family's roles are refused as anyone outside the school is.
assert not FAMILY & ADMITS and SEES_SCHOOL | {"superuser"} >= ADMITS
