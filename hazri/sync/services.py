"""A device's pull: a full snapshot or the changes since its token, and a new token."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from hazri.accounts import selectors as access
from hazri.accounts.models import DeviceToken, User
from hazri.attendance.presenters import rollcall_out, staff_rollcall_out
from hazri.org import selectors as org
from hazri.sync import selectors
from hazri.sync.models import SyncLog

OVERLAP = selectors.OVERLAP


# The outer boundary: the snapshot is read and its token cut in one transaction, so the
# token's watermark matches what was sent (durable: no caller wraps a pull).
@transaction.atomic(durable=True)
def sync_pull(
    *,
    user: User,
    device: DeviceToken | None,
    token: str | None,
    state: str | None,
    device_clock: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    now = now or timezone.now()
    postings = access.postings_of(user)
    schools = selectors.device_schools(postings, now)
    # The windows below reach back from the earliest of the schools' own todays (with no
    # school there is nothing to window, and any day will do).
    today = min((org.school_today(school, now) for school in schools), default=now.date())
    school_ids = [s.pk for s in schools]
    previous = selectors.pull_of(user, token)
    full = (
        previous is None
        or previous.school_ids != school_ids
        or not state
        or state != previous.state_hash
    )
    sections = selectors.current_sections(schools, now)
    since = None if full else previous.watermark - OVERLAP  # type: ignore[union-attr]
    rolls = selectors.rolls_in_scope(
        schools, [section["id"] for section in sections], changed_after=since
    )
    sent_enrolments = [row for row in rolls.enrolments if row[0] in rolls.changed_enrolments]
    sent_students = [row for row in rolls.students if row[0] in rolls.changed_students]
    rollcalls, staff_rollcalls = selectors.recent_rollcalls(
        schools, since_day=today - dt.timedelta(days=selectors.DAYS_BACK), changed_after=since
    )
    policies = org.schools_policies(schools)
    log = SyncLog.objects.create(
        user=user,
        device=device,
        previous=previous,
        created_at=now,
        watermark=now,
        school_ids=school_ids,
        full=full,
        state_hash=selectors.state_hash(rolls.enrolments, rolls.students),
        clock_skew_seconds=round((now - device_clock).total_seconds()) if device_clock else None,
    )
    return {
        "token": str(log.pk),
        "full": full,
        "server_time": now,
        "state_hash": log.state_hash,
        "schools": selectors.school_rows(user, schools, now, policies=policies, postings=postings),
        "days": selectors.day_rows(schools, policies=policies, now=now),
        "sections": sections,
        "staff": selectors.staff_rows(schools, today),
        "students": [
            dict(zip(selectors.STUDENT_FIELDS, row, strict=True)) for row in sent_students
        ],
        "enrolments": [
            dict(zip(selectors.ENROLMENT_FIELDS, row, strict=True)) for row in sent_enrolments
        ],
        "rollcalls": [rollcall_out(r) for r in rollcalls],
        "staff_rollcalls": [staff_rollcall_out(r) for r in staff_rollcalls],
    }


def synclogs_prune(*, keep_days: int = 30, now: dt.datetime | None = None) -> int:
    """Delete sync logs older than `keep_days`, except each user's newest per device:
    that one dates the device's last pull (the backdating check reads it) and is the
    token an idle device comes back with. A device holding a pruned token gets a full
    resync, as for any unknown token. Returns the rows deleted."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=keep_days)
    newer = SyncLog.objects.filter(
        user_id=OuterRef("user_id"), created_at__gt=OuterRef("created_at")
    )
    old = SyncLog.objects.filter(created_at__lt=cutoff)
    with_device = old.filter(device__isnull=False).filter(
        Exists(newer.filter(device_id=OuterRef("device_id")))
    )
    without = old.filter(device__isnull=True).filter(Exists(newer.filter(device__isnull=True)))
    ids = [*with_device.values_list("pk", flat=True), *without.values_list("pk", flat=True)]
    deleted = 0
    for offset in range(0, len(ids), 5000):
        deleted += SyncLog.objects.filter(pk__in=ids[offset : offset + 5000]).delete()[0]
    return deleted
