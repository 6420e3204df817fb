"""A guardian's notice preferences: reading them (with the defaults), the quiet-hours
rule, and setting them."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from hazri.common.errors import Invalid
from hazri.notify.models import Channel, NoticePreference, PushSubscription
from hazri.people.models import Guardian


@dataclass(frozen=True)
class Prefs:
    channels: tuple[str, ...]
    language: str
    quiet_start: dt.time | None
    quiet_end: dt.time | None
    chosen: bool  # False: the defaults (the guardian never chose)


def default_prefs() -> Prefs:
    """What a guardian who never chose gets (most have no login): SMS to the phone on
    record, in the state's language."""
    return Prefs(
        channels=tuple(settings.HAZRI_NOTIFY_DEFAULT_CHANNELS),
        language=settings.HAZRI_NOTIFY_DEFAULT_LANGUAGE,
        quiet_start=None,
        quiet_end=None,
        chosen=False,
    )


def _prefs(row: NoticePreference) -> Prefs:
    return Prefs(tuple(row.channels), row.language, row.quiet_start, row.quiet_end, True)


def prefs_of(guardian_ids: Iterable[int]) -> dict[int, Prefs]:
    """Each guardian's preferences, the defaults where none were chosen: one query."""
    ids = sorted(set(guardian_ids))
    found = {p.guardian_id: _prefs(p) for p in NoticePreference.objects.filter(guardian_id__in=ids)}
    default = default_prefs()
    return {pk: found.get(pk, default) for pk in ids}


def release_at(now: dt.datetime, start: dt.time | None, end: dt.time | None) -> dt.datetime:
    """When a notice may go out, given quiet hours from `start` to `end` (local times in
    `now`'s zone; a span may cross midnight): `now` outside them, else their end. Never
    dropped, only held."""
    if start is None or end is None or start == end:
        return now
    t = now.timetz().replace(tzinfo=None)
    at_end = now.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if start < end:
        return at_end if start <= t < end else now
    if t >= start:  # after the start, before midnight: the end is tomorrow
        tomorrow = now.date() + dt.timedelta(days=1)
        return dt.datetime.combine(tomorrow, end, tzinfo=now.tzinfo)
    return at_end if t < end else now


def preference_set(
    *,
    guardian: Guardian,
    channels: list[str],
    language: str,
    quiet_start: dt.time | None,
    quiet_end: dt.time | None,
) -> NoticePreference:
    """A guardian chooses how to be told. Only configured channels; push only once this
    guardian has subscribed a phone."""
    known = {str(c) for c in Channel} - {Channel.CONSOLE}
    for index, name in enumerate(channels):
        if name not in known:
            raise Invalid(f"'{name}' is not a channel.", field=f"channels[{index}]", code="channel")
    if len(set(channels)) != len(channels):
        raise Invalid("A channel is named twice.", field="channels", code="duplicate")
    if Channel.PUSH in channels and not PushSubscription.objects.filter(guardian=guardian).exists():
        raise Invalid(
            "Subscribe this phone before choosing push.", field="channels", code="no_push"
        )
    if language not in dict(settings.LANGUAGES):
        raise Invalid(f"'{language}' is not a language.", field="language", code="language")
    if (quiet_start is None) != (quiet_end is None):
        raise Invalid("Give both ends of the quiet hours.", field="quiet_end", code="quiet")
    with transaction.atomic():
        row, _ = NoticePreference.objects.update_or_create(
            guardian=guardian,
            defaults={
                "channels": list(channels),
                "language": language,
                "quiet_start": quiet_start,
                "quiet_end": quiet_end,
            },
        )
    return row


def push_subscribe(
    *, guardian: Guardian, endpoint: str, p256dh: str, auth: str
) -> PushSubscription:
    if not endpoint.startswith("https://") and not settings.HAZRI_PUSH_ALLOW_HTTP:
        raise Invalid("A push endpoint is an https address.", field="endpoint", code="endpoint")
    row, _ = PushSubscription.objects.update_or_create(
        guardian=guardian, endpoint=endpoint, defaults={"p256dh": p256dh, "auth": auth}
    )
    return row


def push_unsubscribe(*, guardian: Guardian, endpoint: str) -> int:
    """Forget a phone; with no phone left, push is no longer among the channels."""
    with transaction.atomic():
        deleted, _ = PushSubscription.objects.filter(guardian=guardian, endpoint=endpoint).delete()
        if not PushSubscription.objects.filter(guardian=guardian).exists():
            row = NoticePreference.objects.filter(guardian=guardian).first()
            if row is not None and Channel.PUSH in row.channels:
                row.channels = [c for c in row.channels if c != Channel.PUSH]
                row.save(update_fields=["channels", "updated_at"])
    return deleted
