"""The notify app's rows of the authorization matrix (merged in test_authorization_matrix).

A family's notices and preferences are the signed-in guardian's own (no ids): anyone
else, the child included, has none here (404). A school's delivery log is its head's
and the officers' over it (and the superuser's); other staff are refused (403).
Sending a class's invitations is for who issues them (signon's ADMITS); the rest of the
school is refused (403), anyone outside it gets the one 404."""

from .matrix_rules import API, OFFICERS, SIGNED_IN, Rule, _page, each
from .matrix_rules_signon import ADMITS

GUARDIAN_ONLY = {"parent": 200}
LOG_READERS = each(OFFICERS | {"superuser", "head"}, 200)
ENDPOINT = "https://push.example.org/send/abc"

RULES: dict[str, Rule] = {
    "GET /api/v1/notices/preferences": Rule(
        "GET", lambda p: f"{API}/notices/preferences", GUARDIAN_ONLY, outside=None
    ),
    "PUT /api/v1/notices/preferences": Rule(
        "PUT",
        lambda p: f"{API}/notices/preferences",
        GUARDIAN_ONLY,
        body=lambda p: {"channels": ["sms"], "language": "en"},
        outside=None,
    ),
    "GET /api/v1/notices": Rule("GET", lambda p: f"{API}/notices", GUARDIAN_ONLY, outside=None),
    "POST /api/v1/notices/push-subscriptions": Rule(
        "POST",
        lambda p: f"{API}/notices/push-subscriptions",
        {"parent": 201},
        body=lambda p: {"endpoint": ENDPOINT, "keys": {"p256dh": "BOr1", "auth": "x1"}},
        outside=None,
    ),
    "DELETE /api/v1/notices/push-subscriptions": Rule(
        "DELETE",
        lambda p: f"{API}/notices/push-subscriptions",
        GUARDIAN_ONLY,
        body=lambda p: {"endpoint": ENDPOINT},
        outside=None,
    ),
    "GET /api/v1/schools/{school_id}/notices": Rule(
        "GET", lambda p: f"{API}/schools/{p.school}/notices", LOG_READERS, denied=403
    ),
    "POST /api/v1/sections/{section_id}/invitations/send": Rule(
        "POST",
        lambda p: f"{API}/sections/{p.section}/invitations/send",
        each(ADMITS, 201),
        denied=403,
        body=lambda p: {},
    ),
}
PAGES: dict[str, Rule] = {
    "notices_family": _page(lambda p: "/notices/", GUARDIAN_ONLY, outside=None),
    "notices_school": _page(lambda p: f"/schools/{p.school}/notices/", LOG_READERS, denied=403),
    # The result page: how many were queued, who was not sent to.
    "invitations_send": Rule(
        "POST",
        lambda p: f"/sections/{p.section}/invitations/send/",
        each(ADMITS, 200),
        denied=403,
        anonymous=302,
    ),
    "notices_worker": _page(
        lambda p: "/notices/sw.js", each(SIGNED_IN, 200), anonymous=200, outside=None
    ),
}
