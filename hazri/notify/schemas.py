"""The notices API's shapes (names unique across Hazri's API)."""

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from hazri.common.api import Id, Text

ChosenChannel = Literal["email", "sms", "push"]
# A local time of day, written HH:MM (a number would be read as seconds).
ClockTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", max_length=5)]


class NotifyPrefsIn(Schema):
    channels: list[ChosenChannel] = Field(max_length=3, description="Tried in this order")
    language: Literal["en", "hi", "fa", "ru"]
    quiet_start: ClockTime | None = Field(None, description="Quiet hours from (local, HH:MM)")
    quiet_end: ClockTime | None = Field(None, description="…until (may be the next morning)")


class NotifyPrefsOut(Schema):
    channels: list[str]
    language: str
    quiet_start: str | None
    quiet_end: str | None
    chosen: bool = Field(description="False: the defaults (SMS to the phone on record)")
    phone: str
    email: str
    push_phones: int = Field(description="Phones subscribed to push")
    push_key: str = Field(description="The VAPID public key to subscribe with")


class NoticeDeliveryOut(Schema):
    channel: str
    at: dt.datetime
    outcome: str
    detail: str


class SentNoticeOut(Schema):
    id: int
    kind: str
    key: str
    student: int
    student_name: str
    guardian: int
    status: str
    created_at: dt.datetime
    due_at: dt.datetime
    sent_at: dt.datetime | None
    attempts: int
    last_error: str
    deliveries: list[NoticeDeliveryOut]


class SchoolNoticesOut(Schema):
    school: int
    counts: dict[str, int]
    notices: list[SentNoticeOut]


class PushKeysIn(Schema):
    p256dh: Text = Field(min_length=1, max_length=200)
    auth: Text = Field(min_length=1, max_length=100)


class PushSubscriptionIn(Schema):
    endpoint: Text = Field(min_length=1, max_length=1000)
    keys: PushKeysIn


class PushEndpointIn(Schema):
    endpoint: Text = Field(min_length=1, max_length=1000)


class InvitationsSendIn(Schema):
    guardian: Id | None = Field(
        None, description="Only this guardian of the class (else every one without an account)"
    )


class InvitationNotSentOut(Schema):
    guardian: int
    name: str
    reason: Literal["no_address"] = Field(description="no_address: no phone or e-mail")


class InvitationsSentOut(Schema):
    queued: int = Field(description="Invitations issued and queued, one notice each")
    not_sent: list[InvitationNotSentOut] = Field(
        description="Guardians not sent to (and issued nothing): print them a slip"
    )
