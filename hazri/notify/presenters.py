"""Notices and preferences as the API and the pages show them."""

import datetime as dt
from typing import Any

from django.conf import settings

from hazri.notify.models import Notice, PushSubscription
from hazri.notify.preferences import prefs_of
from hazri.people.models import Guardian


def hhmm(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def parse_hhmm(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def prefs_out(guardian: Guardian) -> dict[str, Any]:
    prefs = prefs_of([guardian.pk])[guardian.pk]
    return {
        "channels": list(prefs.channels),
        "language": prefs.language,
        "quiet_start": hhmm(prefs.quiet_start),
        "quiet_end": hhmm(prefs.quiet_end),
        "chosen": prefs.chosen,
        "phone": guardian.phone,
        "email": guardian.email,
        "push_phones": PushSubscription.objects.filter(guardian=guardian).count(),
        "push_key": settings.HAZRI_VAPID.get("PUBLIC_KEY", ""),
    }


def notice_out(notice: Notice) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "key": notice.key,
        "student": notice.student_id,
        "student_name": notice.student.name,
        "guardian": notice.guardian_id,
        "status": notice.status,
        "created_at": notice.created_at,
        "due_at": notice.due_at,
        "sent_at": notice.sent_at,
        "attempts": notice.attempts,
        "last_error": notice.last_error,
        "deliveries": [
            {"channel": d.channel, "at": d.at, "outcome": d.outcome, "detail": d.detail}
            for d in notice.deliveries.all()
        ],
    }
