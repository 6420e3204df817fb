"""Sending a class's invitations by the notice channels (SPEC §5.6: "a school prints or
sends them in bulk"): one notice per guardian with the code, through the SMS gateway
under its DLT template; sending again withdraws the older code; a guardian with no phone
and no e-mail is reported and issued nothing; the code is forgotten once sent."""

import logging
import re

import pytest
from django.core import mail
from django.test import Client

from hazri.audit.models import AuditEvent
from hazri.common.errors import NotFound
from hazri.notify import queue
from hazri.notify.invitations import invitations_send
from hazri.notify.models import Kind, Notice, NoticePreference, Status
from hazri.notify.tests.helpers import gateway  # noqa: F401
from hazri.notify.texts import SMS_TEMPLATES, fit, message_of
from hazri.people.models import Guardian, Guardianship
from hazri.signon.codes import code_digest
from hazri.signon.models import Invitation
from hazri.signon.services import invitation_redeem_with_password
from hazri.testing.world import PASSWORD, World

pytestmark = pytest.mark.django_db
API = "/api/v1"
CODE = re.compile(r"[A-Z0-9]{5}-[A-Z0-9]{5}")


def link_of(code: str) -> str:
    return f"https://hazri.example/invite/{code}/"


def client_of(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def families(world: World) -> tuple[Guardian, Guardian, Guardian]:
    """Salma (a phone; mother of two in 5 A), Gita (an e-mail only) and Kamla (neither);
    Imran, the world's father, has an account and is never invited."""
    salma = Guardian.objects.create(name="Salma Sharma", phone="+919800000002")
    gita = Guardian.objects.create(name="Gita Rao", email="gita@example.org")
    kamla = Guardian.objects.create(name="Kamla Devi")
    for guardian, child in [
        (salma, world.students[0]),
        (salma, world.students[2]),
        (gita, world.students[3]),
        (kamla, world.students[4]),
    ]:
        Guardianship.objects.create(guardian=guardian, student=child, relation="mother")
    return salma, gita, kamla


def test_one_notice_per_guardian_through_the_gateway_with_the_code(world, gateway, caplog):  # noqa: F811
    salma, gita, kamla = families(world)
    sent = invitations_send(by=world.ravi, section=world.section, link_of=link_of)
    assert sent.queued == 2
    assert [(n.guardian_id, n.reason) for n in sent.not_sent] == [(kamla.pk, "no_address")]
    event = AuditEvent.objects.get(action="invitation.send_section")
    assert event.detail == {"queued": 2, "not_sent": [kamla.pk]} and event.user == world.ravi
    # Kamla was issued nothing: a slip is printed for her instead.
    assert not Invitation.objects.filter(guardian=kamla).exists()
    notices = {n.guardian_id: n for n in Notice.objects.filter(kind=Kind.INVITATION)}
    assert set(notices) == {salma.pk, gita.pk}
    code = notices[salma.pk].params["code"]
    assert notices[salma.pk].student_id == world.students[0].pk  # her first child on the roll
    assert Invitation.objects.get(guardian=salma).code_digest == code_digest(code)
    assert notices[salma.pk].params["link"] == link_of(code)

    with caplog.at_level(logging.INFO, logger="hazri.notify"):
        done = queue.deliver_due()
    assert done.sent == 2 and done.failed == 0
    # The log's copy (the console channel) names the notice, never its code.
    assert "invitation" in caplog.text and code not in caplog.text
    # Salma never chose: SMS in the default language (Hindi), its DLT template and her code.
    (sms,) = gateway.sent
    template = SMS_TEMPLATES[(Kind.INVITATION, "hi")]
    assert sms["to"] == "+919800000002" and sms["template_id"] == template.template_id
    assert code in sms["text"] and fit(world.school.name_local or world.school.name) in sms["text"]
    # Gita has no phone: e-mail, with the link.
    (letter,) = mail.outbox
    assert letter.to == ["gita@example.org"] and link_of(notices[gita.pk].params["code"]) in (
        letter.body
    )
    # Once sent, the code is no longer kept anywhere in the notice.
    for notice in Notice.objects.filter(kind=Kind.INVITATION):
        assert notice.status == Status.SENT
        assert notice.params["code"] == "" and notice.params["link"] == ""
        assert not CODE.search(str(notice.params))
    # The code works (the notice carried the real one).
    invitation = invitation_redeem_with_password(
        code=code, username="salma", password="kite-mango-river-42"
    )
    assert invitation.guardian_id == salma.pk


def test_sending_again_withdraws_the_older_code_and_never_sends_it(world, gateway):  # noqa: F811
    salma, _gita, _kamla = families(world)
    invitations_send(by=world.ravi, section=world.section, link_of=link_of)
    first = Notice.objects.get(kind=Kind.INVITATION, guardian=salma)
    old_code = first.params["code"]
    # Sent again before the first went out: the first is cancelled and forgets its code.
    invitations_send(by=world.ravi, section=world.section, link_of=link_of, guardian_id=salma.pk)
    first.refresh_from_db()
    assert first.status == Status.CANCELLED and first.params["code"] == ""
    newer = Notice.objects.get(kind=Kind.INVITATION, guardian=salma, status=Status.PENDING)
    new_code = newer.params["code"]
    assert new_code != old_code
    queue.deliver_due()
    texts = [s["text"] for s in gateway.sent if s["to"] == salma.phone]
    assert len(texts) == 1 and new_code in texts[0] and old_code not in texts[0]
    # Only the newest code works.
    states = dict(
        Invitation.objects.filter(guardian=salma).values_list("code_digest", "revoked_at")
    )
    assert states[code_digest(old_code)] is not None and states[code_digest(new_code)] is None
    with pytest.raises(Exception, match="withdrawn"):
        invitation_redeem_with_password(code=old_code, username="salma", password="x-y-z-42-abc")


def test_one_guardian_who_cannot_be_reached_or_is_not_of_the_class(world):
    _salma, _gita, kamla = families(world)
    sent = invitations_send(
        by=world.ravi, section=world.section, link_of=link_of, guardian_id=kamla.pk
    )
    assert sent.queued == 0 and [n.name for n in sent.not_sent] == ["Kamla Devi"]
    assert not Invitation.objects.exists() and not Notice.objects.exists()
    imran = Guardian.objects.get(user=world.imran)  # has an account: nothing to send
    with pytest.raises(NotFound) as refused:
        invitations_send(
            by=world.ravi, section=world.section, link_of=link_of, guardian_id=imran.pk
        )
    assert refused.value.field == "guardian"


def test_a_failed_notice_forgets_the_code_too(world, gateway, settings):  # noqa: F811
    settings.HAZRI_NOTIFY_MAX_ATTEMPTS = 1
    salma, _gita, _kamla = families(world)
    gateway.failing = True
    invitations_send(by=world.ravi, section=world.section, link_of=link_of, guardian_id=salma.pk)
    assert queue.deliver_due().failed == 1
    notice = Notice.objects.get(kind=Kind.INVITATION)
    assert notice.status == Status.FAILED and notice.params["code"] == ""


def test_the_page_and_who_may_send(world, gateway):  # noqa: F811
    salma, _gita, kamla = families(world)
    url = f"/sections/{world.section.pk}/invitations/send/"
    head = client_of(world.ravi)
    listing = head.get(f"/schools/{world.school.pk}/invitations/")
    assert f'action="{url}"'.encode() in listing.content
    page = head.post(url)
    assert page.status_code == 200
    assert b'data-queued="2"' in page.content
    assert f'data-guardian="{kamla.pk}" data-reason="no_address"'.encode() in page.content
    # The codes are not shown on the page: they go by SMS and e-mail only.
    code = Notice.objects.get(guardian=salma).params["code"]
    assert code.encode() not in page.content
    # One guardian, from the list of issued invitations.
    listing = head.get(f"/schools/{world.school.pk}/invitations/")
    assert f'data-send-guardian="{salma.pk}"'.encode() in listing.content
    assert head.post(url, {"guardian": str(salma.pk)}).status_code == 200
    assert head.post(url, {"guardian": "x"}).status_code == 422
    # The class teacher may not; a teacher of another school is told nothing (404).
    assert client_of(world.asha).post(url).status_code == 403
    assert client_of(world.suresh).post(url).status_code == 404
    assert Notice.objects.filter(kind=Kind.INVITATION).count() == 3  # two, then one again


def test_the_api(world, gateway):  # noqa: F811
    _salma, _gita, kamla = families(world)
    url = f"{API}/sections/{world.section.pk}/invitations/send"
    answer = client_of(world.ravi).post(url, {}, content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert answer.json() == {
        "queued": 2,
        "not_sent": [{"guardian": kamla.pk, "name": "Kamla Devi", "reason": "no_address"}],
    }
    missing = client_of(world.ravi).post(url, {"guardian": 999999}, content_type="application/json")
    assert missing.status_code == 404 and "guardian" in missing.content.decode()
    teacher = client_of(world.asha).post(url, {}, content_type="application/json")
    assert teacher.status_code == 403
    outside = client_of(world.suresh).post(url, {}, content_type="application/json")
    assert outside.status_code == 404


def test_texts_in_english_and_hindi(world, gateway):  # noqa: F811
    salma, _gita, _kamla = families(world)
    params = {
        "code": "K7MWP-3RDXA",
        "link": link_of("K7MWP-3RDXA"),
        "child": "Aarav",
        "child_local": "आरव",
        "school": "GPS Rampur",
        "school_local": "शासकीय प्राथमिक शाला रामपुर",
    }
    english = message_of(Kind.INVITATION, "en", params)
    hindi = message_of(Kind.INVITATION, "hi", params)
    assert "K7MWP-3RDXA" in english.body and params["link"] in english.body
    assert english.sms.values == ("GPS Rampur", "K7MWP-3RDXA")
    assert "K7MWP-3RDXA" in hindi.body and "आमंत्रित" in hindi.body
    assert "शासकीय प्राथमिक शाला रामपुर" in hindi.subject
    assert hindi.sms.text.startswith("प्रिय अभिभावक") and "K7MWP-3RDXA" in hindi.sms.text
    # Once sent, the history says an invitation came, without its code.
    forgotten = message_of(Kind.INVITATION, "en", {**params, "code": "", "link": ""})
    assert "K7MWP" not in forgotten.body and "GPS Rampur" in forgotten.body
    # A guardian who chose English gets the English template.
    NoticePreference.objects.create(guardian=salma, channels=["sms"], language="en")
    invitations_send(by=world.ravi, section=world.section, link_of=link_of, guardian_id=salma.pk)
    queue.deliver_due()
    (sms,) = gateway.sent
    assert sms["template_id"] == SMS_TEMPLATES[(Kind.INVITATION, "en")].template_id
    assert sms["text"].startswith(f"Dear parent, {fit(world.school.name)} invites you")
