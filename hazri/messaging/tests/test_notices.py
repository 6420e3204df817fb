"""A class teacher's notice to the families of a section: who may send it, who reads
it, read receipts counted by family, withdrawal with its trace."""

import pytest

from hazri.accounts.models import User
from hazri.messaging.models import ClassNotice
from hazri.people.models import Guardian, Guardianship
from hazri.testing.world import PASSWORD

from .msg_world import PDF, MsgWorld, api, b64, post

pytestmark = pytest.mark.django_db


def _send(mw: MsgWorld, user: User | None = None, **extra: object) -> object:
    return post(
        api(user or mw.world.asha),
        f"/sections/{mw.world.section.pk}/notices",
        {"title": "School trip", "body": "Friday, bring lunch", **extra},
    )


def test_the_class_teacher_and_the_head_send_notices(mw: MsgWorld) -> None:
    assert _send(mw).status_code == 201  # type: ignore[attr-defined]
    assert _send(mw, mw.world.ravi).status_code == 201  # type: ignore[attr-defined]
    assert _send(mw, mw.farah).status_code == 403  # type: ignore[attr-defined]  # a subject teacher
    assert _send(mw, mw.world.suresh).status_code == 404  # type: ignore[attr-defined]  # another school
    assert _send(mw, mw.world.imran).status_code == 404  # type: ignore[attr-defined]
    bad = _send(mw, title="")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "title"  # type: ignore[attr-defined]
    wrong = _send(mw, attachments=[{"name": "x.exe", "data": b64(b"MZ\x90\x00")}])
    assert wrong.json()["errors"][0]["field"] == "attachments[0].data"  # type: ignore[attr-defined]
    assert ClassNotice.objects.count() == 2


def test_read_receipts_count_families(mw: MsgWorld) -> None:
    sent = _send(mw, attachments=[{"name": "trip.pdf", "data": b64(PDF)}]).json()  # type: ignore[attr-defined]
    notice = sent["id"]
    # Zoya's father and Aarav's mother have logins: two families of five children.
    assert sent["receipts"] == {"read": 0, "families": 2}
    # A second guardian of Zoya reads it: still one family.
    mother = User.objects.create_user("rukhsana", password=PASSWORD)
    Guardianship.objects.create(
        guardian=Guardian.objects.create(name="Rukhsana", user=mother),
        student=mw.zoya,
        relation="mother",
    )
    father = api(mw.world.imran)
    listed = father.get("/api/v1/messages/notices").json()["notices"]
    assert [(n["id"], n["read_by_me"], n["receipts"]) for n in listed] == [(notice, False, None)]
    assert father.get(sent["files"][0]["url"]).content == PDF
    assert father.get("/api/v1/messages/threads").json()["unread"] == 1  # the notice
    for user in (mw.world.imran, mother, mw.world.imran):
        assert post(api(user), f"/messages/notices/{notice}/read", {}).status_code == 200
    counted = api(mw.world.asha).get("/api/v1/messages/notices").json()["notices"][0]
    assert counted["receipts"] == {"read": 1, "families": 2}
    post(api(mw.salma), f"/messages/notices/{notice}/read", {})
    page = api(mw.world.asha).get("/messages/notices/").content.decode()
    assert 'data-receipts="2/2"' in page and "Read by 2 of 2 families" in page
    assert father.get("/api/v1/messages/threads").json()["unread"] == 0
    # Gopal's section at Khedi does not get it; nor does its teacher or the officer.
    assert api(mw.world.suresh).get("/api/v1/messages/notices").json()["notices"] == []
    assert post(api(mw.world.suresh), f"/messages/notices/{notice}/read", {}).status_code == 404


def test_withdrawing_a_notice_keeps_it_with_its_trace(mw: MsgWorld) -> None:
    notice = _send(mw).json()["id"]  # type: ignore[attr-defined]
    assert (
        post(
            api(mw.world.ravi), f"/messages/notices/{notice}/withdraw", {"reason": "x"}
        ).status_code
        == 403
    )
    done = post(
        api(mw.world.asha), f"/messages/notices/{notice}/withdraw", {"reason": "Trip moved"}
    )
    assert done.status_code == 200
    assert done.json()["body"] is None and done.json()["withdrawn"]["reason"] == "Trip moved"
    stored = ClassNotice.objects.get(pk=notice)
    assert stored.body == "Friday, bring lunch" and stored.withdrawn_at is not None
    page = api(mw.world.imran).get("/messages/notices/").content.decode()
    assert "Trip moved" in page and "Friday, bring lunch" not in page
