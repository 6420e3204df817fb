"""Threads, replies, unread counts, withdrawal (kept, with its trace), files checked
before they are stored, bad input named by field, and the signals sent once on commit."""

import pytest
from django.test import TestCase

from hazri.accounts.access import Actor
from hazri.audit.models import AuditEvent
from hazri.common.errors import Invalid
from hazri.common.files import MAX_ATTACHMENT_BYTES
from hazri.messaging import selectors, services
from hazri.messaging.models import Message, MessageFile
from hazri.messaging.signals import message_posted, notice_posted

from .msg_world import PDF, MsgWorld, api, b64, post

pytestmark = pytest.mark.django_db


def _thread(mw: MsgWorld, body: str = "Is there homework?") -> int:
    response = post(
        api(mw.world.imran),
        "/messages/threads",
        {"student": mw.zoya.pk, "staff": mw.asha_staff.pk, "subject": "Homework", "body": body},
    )
    assert response.status_code == 201, response.content
    return int(response.json()["thread"]["id"])


def _unread(user) -> int:  # type: ignore[no-untyped-def]
    return int(api(user).get("/api/v1/messages/threads").json()["unread"])


def test_unread_counts_follow_the_read_marker(mw: MsgWorld) -> None:
    thread = _thread(mw)
    asha, father = api(mw.world.asha), api(mw.world.imran)
    assert _unread(mw.world.asha) == 1
    assert _unread(mw.world.imran) == 0  # his own message
    listed = asha.get("/api/v1/messages/threads").json()["threads"]
    assert [(t["id"], t["unread"]) for t in listed] == [(thread, 1)]
    # Reading the thread (a GET) marks nothing; the POST does.
    asha.get(f"/api/v1/messages/threads/{thread}")
    assert _unread(mw.world.asha) == 1
    assert post(asha, f"/messages/threads/{thread}/read", {}).status_code == 200
    assert _unread(mw.world.asha) == 0
    # Her reply: unread for the father, not for her.
    assert (
        post(asha, f"/messages/threads/{thread}/messages", {"body": "Page 12"}).status_code == 201
    )
    assert _unread(mw.world.imran) == 1
    assert _unread(mw.world.asha) == 0
    post(father, f"/messages/threads/{thread}/messages", {"body": "Thank you"})
    post(father, f"/messages/threads/{thread}/messages", {"body": "And tomorrow?"})
    assert _unread(mw.world.asha) == 2
    # The header shows it too.
    page = asha.get("/messages/")
    assert b'data-unread="2"' in page.content


def test_newest_first_and_paging(mw: MsgWorld) -> None:
    ids = [_thread(mw, f"Question {n}") for n in range(selectors.PAGE_SIZE + 2)]
    asha = api(mw.world.asha)
    first = asha.get("/api/v1/messages/threads").json()
    assert first["total"] == len(ids) and first["pages"] == 2
    assert [t["id"] for t in first["threads"]] == ids[::-1][: selectors.PAGE_SIZE]
    second = asha.get("/api/v1/messages/threads", {"page": 2}).json()
    assert [t["id"] for t in second["threads"]] == ids[::-1][selectors.PAGE_SIZE :]
    # A reply brings a thread to the top.
    post(asha, f"/messages/threads/{ids[0]}/messages", {"body": "Yes"})
    assert asha.get("/api/v1/messages/threads").json()["threads"][0]["id"] == ids[0]


def test_withdraw_keeps_the_message_and_shows_the_trace(mw: MsgWorld) -> None:
    thread = _thread(mw, "Something I regret")
    message = Message.objects.get(thread_id=thread)
    asha, father = api(mw.world.asha), api(mw.world.imran)
    # Only the author withdraws; a reason is needed.
    refused = post(asha, f"/messages/{message.pk}/withdraw", {"reason": "No"})
    assert refused.status_code == 403
    empty = post(father, f"/messages/{message.pk}/withdraw", {"reason": " "})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "reason"
    done = post(father, f"/messages/{message.pk}/withdraw", {"reason": "Wrong child"})
    assert done.status_code == 200
    assert done.json()["body"] is None
    assert done.json()["withdrawn"]["reason"] == "Wrong child"
    assert post(father, f"/messages/{message.pk}/withdraw", {"reason": "x"}).status_code == 409
    message.refresh_from_db()
    assert message.body == "Something I regret" and message.withdrawn_at is not None
    shown = asha.get(f"/api/v1/messages/threads/{thread}").json()["messages"][0]
    assert shown["body"] is None and shown["withdrawn"]["by"] == "Imran Khan"
    page = asha.get(f"/messages/threads/{thread}/").content.decode()
    assert "Something I regret" not in page and "Wrong child" in page and "data-withdrawn" in page
    assert AuditEvent.objects.filter(action="messaging.message_withdraw").count() == 1
    # A withdrawn message is not unread.
    assert _unread(mw.world.asha) == 0


def test_files_are_checked_before_they_are_stored(mw: MsgWorld) -> None:
    thread = _thread(mw)
    father = api(mw.world.imran)
    path = f"/messages/threads/{thread}/messages"
    for data, code in [
        (b"\x7fELF\x02\x01", "bad_type"),
        (b"%PDF-" + bytes(MAX_ATTACHMENT_BYTES), "too_large"),
    ]:
        got = post(father, path, {"body": "See", "attachments": [{"name": "a", "data": b64(data)}]})
        assert got.status_code == 422, got.content
        assert got.json()["errors"][0] == {
            "field": "attachments[0].data",
            "code": code,
            "message": got.json()["errors"][0]["message"],
        }
    got = post(father, path, {"body": "See", "attachments": [{"name": "a", "data": "%%%"}]})
    assert got.status_code == 422 and got.json()["errors"][0]["code"] == "bad_base64"
    assert MessageFile.objects.count() == 0
    assert Message.objects.count() == 1  # nothing half-written
    got = post(
        father, path, {"body": "See", "attachments": [{"name": "note.pdf", "data": b64(PDF)}]}
    )
    assert got.status_code == 201
    stored = got.json()["files"][0]
    assert stored["media_type"] == "application/pdf"
    download = api(mw.world.asha).get(f"/api/v1/messages/files/{stored['id']}")
    assert download.status_code == 200 and download.content == PDF
    assert download["X-Content-Type-Options"] == "nosniff"
    page = api(mw.world.asha).get(stored["url"])
    assert page.status_code == 200 and page.content == PDF
    for user in (mw.farah, mw.salma, mw.world.meera, mw.world.suresh):
        assert api(user).get(f"/api/v1/messages/files/{stored['id']}").status_code == 404
        assert api(user).get(stored["url"]).status_code == 404


def test_bad_input_names_the_field(mw: MsgWorld) -> None:
    father = api(mw.world.imran)
    base = {"student": mw.zoya.pk, "staff": mw.asha_staff.pk, "subject": "S", "body": "B"}
    for change, field in [
        ({"body": "   "}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"body": "a\x00b"}, "body"),
        ({"subject": ""}, "subject"),
        ({"student": "1"}, "student"),
        ({"student": 2**63}, "student"),
    ]:
        got = post(father, "/messages/threads", {**base, **change})
        assert 400 <= got.status_code < 500, (change, got.status_code)
        assert got.json()["errors"][0]["field"] == field, (change, got.json())
    assert api(mw.world.imran).get("/api/v1/messages/threads/999999").status_code == 404
    # The form says the same.
    page = father.post(
        "/messages/new/",
        {"recipient": f"{mw.zoya.pk}:{mw.asha_staff.pk}", "subject": "S", "body": "a\x00"},
    )
    assert page.status_code == 422 and b'data-error-field="body"' in page.content


class SignalsOnCommit(TestCase):
    def test_message_and_notice_signals_fire_once_after_commit(self) -> None:
        from hazri.testing.world import build_world

        from .msg_world import build_messaging

        mw = build_messaging(build_world())
        sent: list[tuple[str, int]] = []

        def on_message(sender, message, **kw):  # type: ignore[no-untyped-def]
            sent.append(("message", message.pk))

        def on_notice(sender, notice, **kw):  # type: ignore[no-untyped-def]
            sent.append(("notice", notice.pk))

        message_posted.connect(on_message)
        notice_posted.connect(on_notice)
        try:
            with self.captureOnCommitCallbacks(execute=False) as callbacks:
                thread = services.thread_start(
                    student_id=mw.zoya.pk,
                    staff_id=mw.asha_staff.pk,
                    subject="S",
                    body="B",
                    uploads=[],
                    by=mw.world.imran,
                )
            assert sent == []  # not before the commit
            for callback in callbacks:
                callback()
            first = Message.objects.get(thread=thread)
            assert sent == [("message", first.pk)]
            with self.captureOnCommitCallbacks(execute=True):
                reply = services.message_post(thread=thread, body="R", uploads=[], by=mw.world.asha)
                notice = services.notice_post(
                    section=mw.world.section,
                    title="Trip",
                    body="Friday",
                    uploads=[],
                    by=mw.world.asha,
                )
            assert sent == [("message", first.pk), ("message", reply.pk), ("notice", notice.pk)]
            # A refused write sends nothing.
            with self.captureOnCommitCallbacks(execute=True), pytest.raises(Invalid):
                services.message_post(thread=thread, body="", uploads=[], by=mw.world.asha)
            assert len(sent) == 3
        finally:
            message_posted.disconnect(on_message)
            notice_posted.disconnect(on_notice)
        assert selectors.unread_total(Actor(mw.world.imran)) == 2  # a reply and a notice


def test_a_short_file_with_a_bad_byte_at_its_end_is_not_text() -> None:
    from hazri.common.files import sniff

    assert sniff(b"MZ\x90\x00") is None
    assert sniff("नमस्ते".encode()) == "text/plain"


def _queries(client, path: str) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_the_inbox_and_a_thread_read_in_a_fixed_number_of_queries(mw: MsgWorld) -> None:
    thread = _thread(mw)
    asha = api(mw.world.asha)
    paths = ["/api/v1/messages/threads", f"/api/v1/messages/threads/{thread}", "/messages/"]
    few = [_queries(asha, path) for path in paths]
    for n in range(6):
        _thread(mw, f"More {n}")
        post(api(mw.world.imran), f"/messages/threads/{thread}/messages", {"body": f"And {n}"})
    assert [_queries(asha, path) for path in paths] == few
