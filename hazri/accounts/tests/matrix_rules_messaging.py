"""The messaging app's rows of the authorization matrix (merged in test_authorization_matrix).

The world's thread is about the student, between her father (parent) and her class
teacher; its message is the father's; the notice is the class teacher's to the section.
A thread is read by its two sides only (not the head, not a superuser); a notice by the
school's head and teachers, a superuser, and the section's families. Another state's
thread, message and notice are nobody's here: the one 404.
"""

from .matrix_rules import API, SIGNED_IN, Rule, _page, each

PARTIES = {"parent", "class_teacher"}
# Who sees the class teacher's notice: the head and teachers of the school, a superuser,
# the section's families (the student herself has no guardian's reach).
NOTICE_READERS = {"superuser", "head", "class_teacher", "subject_teacher", "parent"}
WITHDRAW_BODY = {"reason": "Sent by mistake"}


def _notice_withdraw(ok: int, path: str) -> Rule:
    """Only the author withdraws; the others who see the notice get 403."""
    return Rule(
        "POST",
        lambda p: path.format(p=p),
        {**each(NOTICE_READERS, 403), "class_teacher": ok},
        body=lambda p: WITHDRAW_BODY,
        **({"anonymous": 302} if not path.startswith(API) else {}),
    )


RULES: dict[str, Rule] = {
    "GET /api/v1/messages/threads": Rule(
        "GET", lambda p: f"{API}/messages/threads", each(SIGNED_IN, 200), outside=None
    ),
    # A guardian writes to the head about the child; the head writes to the family.
    "POST /api/v1/messages/threads": Rule(
        "POST",
        lambda p: f"{API}/messages/threads",
        {"parent": 201, "head": 201},
        body=lambda p: {"student": p.student, "staff": p.staff, "subject": "S", "body": "B"},
    ),
    "GET /api/v1/messages/threads/{thread_id}": Rule(
        "GET", lambda p: f"{API}/messages/threads/{p.thread}", each(PARTIES, 200)
    ),
    "POST /api/v1/messages/threads/{thread_id}/messages": Rule(
        "POST",
        lambda p: f"{API}/messages/threads/{p.thread}/messages",
        each(PARTIES, 201),
        body=lambda p: {"body": "Thank you"},
    ),
    "POST /api/v1/messages/threads/{thread_id}/read": Rule(
        "POST", lambda p: f"{API}/messages/threads/{p.thread}/read", each(PARTIES, 200)
    ),
    "POST /api/v1/messages/{message_id}/withdraw": Rule(
        "POST",
        lambda p: f"{API}/messages/{p.message}/withdraw",
        {"parent": 200, "class_teacher": 403},
        body=lambda p: WITHDRAW_BODY,
    ),
    "GET /api/v1/messages/files/{file_id}": Rule(
        "GET", lambda p: f"{API}/messages/files/{p.message_file}", each(PARTIES, 200)
    ),
    "GET /api/v1/students/{student_id}/message-recipients": Rule(
        "GET",
        lambda p: f"{API}/students/{p.student}/message-recipients",
        each({"parent", "head", "class_teacher", "subject_teacher"}, 200),
    ),
    "GET /api/v1/messages/notices": Rule(
        "GET", lambda p: f"{API}/messages/notices", each(SIGNED_IN, 200), outside=None
    ),
    # The section's class teacher or the head; the others who see the section: 403.
    "POST /api/v1/sections/{section_id}/notices": Rule(
        "POST",
        lambda p: f"{API}/sections/{p.section}/notices",
        {"head": 201, "class_teacher": 201},
        denied=403,
        body=lambda p: {"title": "Trip", "body": "Friday"},
    ),
    "POST /api/v1/messages/notices/{class_notice_id}/withdraw": _notice_withdraw(
        200, API + "/messages/notices/{p.class_notice}/withdraw"
    ),
    "POST /api/v1/messages/notices/{class_notice_id}/read": Rule(
        "POST",
        lambda p: f"{API}/messages/notices/{p.class_notice}/read",
        each(NOTICE_READERS, 200),
    ),
}

PAGES: dict[str, Rule] = {
    "messaging_inbox": _page(lambda p: "/messages/", each(SIGNED_IN, 200), outside=None),
    "messaging_thread_new": _page(lambda p: "/messages/new/", each(SIGNED_IN, 200), outside=None),
    "messaging_thread": _page(lambda p: f"/messages/threads/{p.thread}/", each(PARTIES, 200)),
    "messaging_thread_read": Rule(
        "POST",
        lambda p: f"/messages/threads/{p.thread}/read/",
        each(PARTIES, 302),
        anonymous=302,
    ),
    "messaging_message_withdraw": Rule(
        "POST",
        lambda p: f"/messages/letters/{p.message}/withdraw/",
        {"parent": 302, "class_teacher": 403},
        anonymous=302,
        body=lambda p: WITHDRAW_BODY,
    ),
    "messaging_file": _page(lambda p: f"/messages/files/{p.message_file}/", each(PARTIES, 200)),
    "messaging_notices": _page(lambda p: "/messages/notices/", each(SIGNED_IN, 200), outside=None),
    "messaging_notice_read": Rule(
        "POST",
        lambda p: f"/messages/notices/{p.class_notice}/read/",
        each(NOTICE_READERS, 302),
        anonymous=302,
    ),
    "messaging_notice_withdraw": _notice_withdraw(
        302, "/messages/notices/{p.class_notice}/withdraw/"
    ),
    "messaging_notice_new": _page(
        lambda p: f"/sections/{p.section}/notices/new/",
        {"head": 200, "class_teacher": 200},
        denied=403,
    ),
}
