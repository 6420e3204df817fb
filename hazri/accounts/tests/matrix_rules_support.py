"""The support app's rows of the authorization matrix (merged in test_authorization_matrix).

The world's ticket is at its school's level, raised by the class teacher (outside: by
that school's head). It is seen by its raiser, the school's head, the officers over the
school and the superuser; the head (and the superuser) handle it at this level, the
others who see it are refused (403); everyone else gets the one 404.
"""

from hazri.support.tests.support_world import seeded

from .matrix_rules import API, OFFICERS, SIGNED_IN, STAFF, Rule, _page, each

SEES = {"superuser", "head", "class_teacher", *OFFICERS}
HANDLES = {"superuser": 200, "head": 200}
REASON = {"reason": "Needs the block office"}

RULES: dict[str, Rule] = {
    "GET /api/v1/support/categories": Rule(
        "GET", lambda p: f"{API}/support/categories", each(SIGNED_IN, 200), outside=None
    ),
    "GET /api/v1/support/tickets": Rule(
        "GET", lambda p: f"{API}/support/tickets", each(SIGNED_IN, 200), outside=None
    ),
    "GET /api/v1/support/queue": Rule(
        "GET", lambda p: f"{API}/support/queue", each(SIGNED_IN, 200), outside=None
    ),
    # Staff raise a ticket at a school they are posted to (a guardian names a child).
    "POST /api/v1/support/tickets": Rule(
        "POST",
        lambda p: f"{API}/support/tickets",
        each(STAFF, 201),
        body=lambda p: {
            "category": seeded("hardware").pk,
            "description": "The tablet is broken",
            "school": p.school,
        },
    ),
    "GET /api/v1/support/tickets/{ticket_id}": Rule(
        "GET", lambda p: f"{API}/support/tickets/{p.ticket}", each(SEES, 200)
    ),
    "POST /api/v1/support/tickets/{ticket_id}/comments": Rule(
        "POST",
        lambda p: f"{API}/support/tickets/{p.ticket}/comments",
        each(SEES, 201),
        body=lambda p: {"text": "Which tablet?"},
    ),
    "POST /api/v1/support/tickets/{ticket_id}/escalate": Rule(
        "POST",
        lambda p: f"{API}/support/tickets/{p.ticket}/escalate",
        {**each(SEES, 403), **HANDLES},
        body=lambda p: REASON,
    ),
    "POST /api/v1/support/tickets/{ticket_id}/resolve": Rule(
        "POST",
        lambda p: f"{API}/support/tickets/{p.ticket}/resolve",
        {**each(SEES, 403), **HANDLES},
        body=lambda p: {"reason": "Replaced"},
    ),
    # Only the raiser reopens, and only a resolved ticket: this one is open (409).
    "POST /api/v1/support/tickets/{ticket_id}/reopen": Rule(
        "POST",
        lambda p: f"{API}/support/tickets/{p.ticket}/reopen",
        {**each(SEES, 403), "class_teacher": 409},
        body=lambda p: {"reason": "Still broken"},
    ),
    # The raiser closes at any time; its handler only once resolved (409 here).
    "POST /api/v1/support/tickets/{ticket_id}/close": Rule(
        "POST",
        lambda p: f"{API}/support/tickets/{p.ticket}/close",
        {**each(SEES, 403), "class_teacher": 200, "head": 409, "superuser": 409},
        body=lambda p: {"note": ""},
    ),
    "GET /api/v1/support/files/{ticket_file_id}": Rule(
        "GET", lambda p: f"{API}/support/files/{p.ticket_file}", each(SEES, 200)
    ),
}

PAGES: dict[str, Rule] = {
    "support_tickets": _page(lambda p: "/support/", each(SIGNED_IN, 200), outside=None),
    "support_queue": _page(lambda p: "/support/queue/", each(SIGNED_IN, 200), outside=None),
    "support_ticket_new": _page(lambda p: "/support/new/", each(SIGNED_IN, 200), outside=None),
    "support_ticket": _page(lambda p: f"/support/tickets/{p.ticket}/", each(SEES, 200)),
    "support_ticket_step": Rule(
        "POST",
        lambda p: f"/support/tickets/{p.ticket}/step/",
        {**each(SEES, 403), "superuser": 302, "head": 302},
        anonymous=302,
        body=lambda p: {"step": "resolve", "text": "Replaced"},
    ),
    "support_file": _page(lambda p: f"/support/files/{p.ticket_file}/", each(SEES, 200)),
}
