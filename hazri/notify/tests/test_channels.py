"""Each channel for real: e-mail to an SMTP server, SMS to an HTTP gateway (and its
failures), Web Push to a push service whose payload the test decrypts."""

import base64
import json
import os

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import override_settings
from py_vapid import Vapid

from hazri.notify import channels, kinds, queue
from hazri.notify.models import Delivery, Notice, PushSubscription, Status
from hazri.notify.preferences import preference_set, push_subscribe
from hazri.notify.tests.helpers import at, codes_with, mark
from hazri.notify.tests.servers import http_server, smtp_server
from hazri.people.models import Guardian

pytestmark = pytest.mark.django_db


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture(autouse=True)
def fresh_channels():
    channels.reset()
    yield
    channels.reset()


def _absent_zoya(world):
    mark(world, codes_with(world, {world.students[1].pk}))
    kinds.absence_sweep(now=at(17, 0))


def test_email_through_a_real_smtp_server(world):
    guardian = Guardian.objects.get(user=world.imran)
    guardian.email = "imran@example.org"
    guardian.save(update_fields=["email"])
    preference_set(
        guardian=guardian, channels=["email"], language="en", quiet_start=None, quiet_end=None
    )
    with (
        smtp_server() as (port, box),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            DEFAULT_FROM_EMAIL="hazri@example.org",
        ),
    ):
        _absent_zoya(world)
        assert queue.deliver_due(now=at(17, 0)).sent == 1
    [envelope] = box.messages
    assert envelope.rcpt_tos == ["imran@example.org"]
    text = envelope.content.decode()
    assert "Zoya Khan was absent today" in text
    assert f"X-Hazri-Notice: {Notice.objects.get().pk}" in text


def test_email_server_down_is_a_retry(world):
    guardian = Guardian.objects.get(user=world.imran)
    guardian.email = "imran@example.org"
    guardian.save(update_fields=["email"])
    preference_set(
        guardian=guardian, channels=["email"], language="en", quiet_start=None, quiet_end=None
    )
    from hazri.notify.tests.servers import free_port

    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=free_port(),
        EMAIL_TIMEOUT=2,
    ):
        _absent_zoya(world)
        assert queue.deliver_due(now=at(17, 0)).retried == 1
    assert Delivery.objects.get(channel="email").outcome == "error"


def _gateway(url: str, timeout: float = 5) -> dict[str, object]:
    return {"URL": f"{url}/sms", "API_KEY": "k-123", "SENDER": "HAZRIN", "TIMEOUT": timeout}


def test_sms_through_a_real_http_gateway(world):
    with http_server() as (url, record), override_settings(HAZRI_SMS_GATEWAY=_gateway(url)):
        _absent_zoya(world)
        assert queue.deliver_due(now=at(17, 0)).sent == 1
    [request] = record.requests
    assert request["path"] == "/sms" and request["headers"]["x-api-key"] == "k-123"
    sent = json.loads(request["body"])
    assert sent["to"] == "+919800000001" and sent["sender"] == "HAZRIN"
    assert sent["template_id"] == "1107170000000000002"  # the Hindi absence template
    assert "ज़ोया ख़ान" in sent["text"]


@pytest.mark.parametrize("failure", [500, 503, "slow"])
def test_gateway_failures_are_retried_then_sent(world, failure):
    with (
        http_server([failure, 200]) as (url, record),
        override_settings(
            HAZRI_SMS_GATEWAY=_gateway(url, timeout=0.5), HAZRI_NOTIFY_RETRY_SECONDS=60
        ),
    ):
        _absent_zoya(world)
        assert queue.deliver_due(now=at(17, 0)).retried == 1
        notice = Notice.objects.get()
        assert "gateway" in notice.last_error
        assert queue.deliver_due(now=at(17, 1)).sent == 1
    assert len(record.requests) == 2
    notice.refresh_from_db()
    assert notice.status == Status.SENT and notice.attempts == 2
    outcomes = list(
        Delivery.objects.filter(channel="sms").order_by("pk").values_list("outcome", flat=True)
    )
    assert outcomes == ["error", "ok"]


def test_web_push_payload_decrypts_with_the_subscription_key(world):
    receiver = ec.generate_private_key(ec.SECP256R1())
    public = receiver.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    auth = os.urandom(16)
    vapid = Vapid()
    vapid.generate_keys()
    private_raw = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    guardian = Guardian.objects.get(user=world.imran)
    with (
        http_server([201]) as (url, record),
        override_settings(
            HAZRI_VAPID={"PRIVATE_KEY": b64(private_raw), "SUBJECT": "mailto:t@example.org"},
            HAZRI_PUSH_ALLOW_HTTP=True,
        ),
    ):
        push_subscribe(
            guardian=guardian, endpoint=f"{url}/push/abc", p256dh=b64(public), auth=b64(auth)
        )
        preference_set(
            guardian=guardian, channels=["push"], language="hi", quiet_start=None, quiet_end=None
        )
        _absent_zoya(world)
        assert queue.deliver_due(now=at(17, 0)).sent == 1
    [request] = record.requests
    assert request["path"] == "/push/abc"
    assert request["headers"]["content-encoding"] == "aes128gcm"
    assert request["headers"]["authorization"].startswith("vapid t=")
    plain = http_ece.decrypt(
        request["body"], private_key=receiver, auth_secret=auth, version="aes128gcm"
    )
    payload = json.loads(plain)
    assert payload["notice"] == Notice.objects.get().pk
    assert "ज़ोया ख़ान" in payload["title"] or "ज़ोया ख़ान" in payload["body"]
    assert PushSubscription.objects.count() == 1
