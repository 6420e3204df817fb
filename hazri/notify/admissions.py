"""What the admissions app tells us: a one-time code for a family applying without an
account, and each change of an application's status.

A family applying online is not a guardian on record yet (nor their child a student),
so these are not queued `Notice`s (which name both): they are sent at once, after the
admissions transaction committed, through the configured channels that reach a phone
number or an e-mail address (`HAZRI_NOTIFY_DEFAULT_CHANNELS`), in the default language.
A failure is logged; the family asks for a new code, and sees the status in Hazri.
"""

import logging
from typing import Any

from django.conf import settings
from django.utils import translation

from hazri.admissions.models import Application
from hazri.notify.channels import NoAddress, Outgoing, SendError, channels
from hazri.notify.models import Channel, Kind
from hazri.notify.texts import message_of

log = logging.getLogger("hazri.notify")
# Channels that reach an address given in a form (push needs a subscribed phone).
_DIRECT = {Channel.CONSOLE, Channel.SMS, Channel.EMAIL}


def _send(kind: str, *, phone: str, email: str, params: dict[str, Any], url: str) -> int:
    language = settings.HAZRI_NOTIFY_DEFAULT_LANGUAGE
    message = message_of(kind, language, params)
    sent = 0
    configured = channels()
    for name in settings.HAZRI_NOTIFY_DEFAULT_CHANNELS:
        channel = configured.get(name)
        if channel is None or name not in _DIRECT:
            continue
        outgoing = Outgoing(
            notice_id=0,
            kind=kind,
            language=language,
            phone=phone,
            email=email,
            message=message,
            url=url,
        )
        try:
            channel.send(outgoing)
            sent += 1
        except (NoAddress, SendError) as error:
            log.warning("%s to %s by %s not sent: %s", kind, phone or email, name, error)
    return sent


def on_phone_code_sent(sender: Any, phone: str, code: str, minutes: int, **kwargs: Any) -> None:
    # Only an SMS proves the number (an e-mail would not).
    _send(
        Kind.ADMISSION_CODE,
        phone=phone,
        email="",
        params={"code": code, "minutes": minutes},
        url="/admissions/",
    )


def on_application_changed(sender: Any, application: Application, note: str, **kwargs: Any) -> None:
    school = application.school
    with translation.override(settings.HAZRI_NOTIFY_DEFAULT_LANGUAGE):
        status = str(Application.Status(application.status).label)
    _send(
        Kind.APPLICATION,
        phone=application.verified_phone or application.guardian_phone,
        email=application.guardian_email,
        params={
            "reference": application.reference,
            "status": status,
            "note": note,
            "child": application.child_name,
            "child_local": application.child_name_local or application.child_name,
            "school": school.name,
            "school_local": school.name_local or school.name,
        },
        url=f"/admissions/applications/{application.pk}/",
    )
