"""The channels a notice goes through, behind one small interface.

`settings.HAZRI_NOTIFY_CHANNELS` lists their dotted paths; each class has a `name` (a
`Channel` value) and `send(outgoing)`, which returns a detail for the log when the
notice left, raises `NoAddress` when the guardian has nothing for this channel (no
phone, no e-mail, no subscribed phone), and `SendError` on a failure worth retrying.
"""

import json
import logging
import threading
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

import requests
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from hazri.notify.models import Channel, Kind
from hazri.notify.texts import SENDER_HEADER, Message

log = logging.getLogger("hazri.notify")


class SendError(Exception):
    """The channel failed; the notice is tried again later."""


class NoAddress(Exception):
    """The guardian has no address on this channel: nothing to try again."""


@dataclass(frozen=True)
class Push:
    endpoint: str
    p256dh: str
    auth: str


@dataclass(frozen=True)
class Outgoing:
    notice_id: int
    kind: str
    language: str
    phone: str
    email: str
    message: Message
    pushes: tuple[Push, ...] = field(default=())
    url: str = "/notices/"


class NoticeChannel(Protocol):
    name: str

    def send(self, outgoing: Outgoing) -> str: ...


class ConsoleChannel:
    """Writes the notice to the log (development, and a record where nothing else is set)."""

    name = Channel.CONSOLE

    def send(self, outgoing: Outgoing) -> str:
        # An invitation's body holds its code: the log gets its subject only.
        secret = outgoing.kind == Kind.INVITATION
        log.info(
            "notice %s (%s) to %s: %s",
            outgoing.notice_id,
            outgoing.kind,
            outgoing.phone or outgoing.email or "-",
            outgoing.message.subject if secret else outgoing.message.body,
        )
        return "logged"


class EmailChannel:
    """Through Django's e-mail backend (SMTP in production: EMAIL_HOST, EMAIL_PORT…)."""

    name = Channel.EMAIL

    def send(self, outgoing: Outgoing) -> str:
        if not outgoing.email:
            raise NoAddress("no e-mail address")
        mail = EmailMessage(
            subject=outgoing.message.subject,
            body=outgoing.message.body,
            to=[outgoing.email],
            headers={"X-Hazri-Notice": str(outgoing.notice_id)},
        )
        try:
            mail.send(fail_silently=False)
        except OSError as error:  # smtplib's errors are OSErrors, as are refused connections
            raise SendError(f"smtp: {error}"[:500]) from error
        return f"to {outgoing.email}"


# --- SMS --------------------------------------------------------------------------------


class SmsGateway(Protocol):
    def send(self, *, to: str, sender: str, template_id: str, text: str) -> str: ...


class HttpSmsGateway:
    """An operator's HTTP API: a JSON POST with the API key in a header. The gateway's
    answer must be a 2xx; anything else, or no answer in `TIMEOUT` seconds, is a retry."""

    def __init__(self, url: str, api_key: str, timeout: float = 5.0) -> None:
        self.url, self.api_key, self.timeout = url, api_key, timeout
        self.local = threading.local()  # a session (kept-alive connections) per thread

    @property
    def session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session  # type: ignore[no-any-return]

    def send(self, *, to: str, sender: str, template_id: str, text: str) -> str:
        try:
            response = self.session.post(
                self.url,
                data=json.dumps(
                    {"to": to, "sender": sender, "template_id": template_id, "text": text},
                    ensure_ascii=False,
                ).encode(),
                headers={"Content-Type": "application/json", "X-Api-Key": self.api_key},
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise SendError(f"gateway: {type(error).__name__}") from error
        if not 200 <= response.status_code < 300:
            raise SendError(f"gateway: HTTP {response.status_code} {response.text[:200]}")
        return f"gateway: {response.status_code} {response.text[:200]}"


@cache
def sms_gateway() -> SmsGateway:
    conf: dict[str, Any] = settings.HAZRI_SMS_GATEWAY
    cls = import_string(conf.get("CLASS", "hazri.notify.channels.HttpSmsGateway"))
    return cls(conf["URL"], conf.get("API_KEY", ""), float(conf.get("TIMEOUT", 5)))  # type: ignore[no-any-return]


class SmsChannel:
    name = Channel.SMS

    def send(self, outgoing: Outgoing) -> str:
        if not outgoing.phone:
            raise NoAddress("no phone number")
        sender = str(settings.HAZRI_SMS_GATEWAY.get("SENDER", "HAZRIN"))
        if not SENDER_HEADER.fullmatch(sender):
            raise SendError(f"sender header {sender!r} is not 6 capital letters")
        sms = outgoing.message.sms
        return sms_gateway().send(
            to=outgoing.phone, sender=sender, template_id=sms.template_id, text=sms.text
        )


# --- Web Push ---------------------------------------------------------------------------


class PushChannel:
    """Web Push (RFC 8291 aes128gcm, VAPID) to every phone the guardian subscribed."""

    name = Channel.PUSH

    def send(self, outgoing: Outgoing) -> str:
        from pywebpush import WebPushException, webpush

        if not outgoing.pushes:
            raise NoAddress("no subscribed phone")
        vapid = settings.HAZRI_VAPID
        payload = json.dumps(
            {
                "title": outgoing.message.subject,
                "body": outgoing.message.body,
                "url": outgoing.url,
                "notice": outgoing.notice_id,
            },
            ensure_ascii=False,
        )
        sent, errors = 0, []
        for push in outgoing.pushes:
            try:
                webpush(
                    {"endpoint": push.endpoint, "keys": {"p256dh": push.p256dh, "auth": push.auth}},
                    data=payload,
                    vapid_private_key=vapid["PRIVATE_KEY"],
                    vapid_claims={"sub": vapid.get("SUBJECT", "mailto:admin@hazri.invalid")},
                    timeout=float(vapid.get("TIMEOUT", 10)),
                    ttl=24 * 3600,
                )
                sent += 1
            except (WebPushException, requests.RequestException) as error:
                errors.append(str(error).splitlines()[0][:150])
        if not sent:
            raise SendError("push: " + "; ".join(errors))
        return f"push: {sent} of {len(outgoing.pushes)} phones"


@cache
def channels() -> dict[str, NoticeChannel]:
    """The configured channels by name."""
    found = {}
    for path in settings.HAZRI_NOTIFY_CHANNELS:
        channel = import_string(path)()
        found[str(channel.name)] = channel
    return found


def reset() -> None:
    """Forget the configured channels and gateway (tests change the settings)."""
    channels.cache_clear()
    sms_gateway.cache_clear()
