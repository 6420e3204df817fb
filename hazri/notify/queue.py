"""The notices' queue: writing each notice once, claiming, sending, retrying, failing.

- Once: `notices_add` inserts with the unique (school, kind, guardian, student, key)
  constraint and ignores what is already there, so a sweep that runs twice, two
  workers, or a roll call corrected after the notice write nothing new.
- Claimed: a worker takes a batch of due notices under a claim token. On PostgreSQL the
  rows are picked with `SELECT … FOR UPDATE SKIP LOCKED` (another worker skips them
  instead of waiting); on every database the claim is a conditional UPDATE (still
  waiting, or a claim that expired), so two workers never hold the same notice.
- Sent when one chosen channel delivered it; each try of each channel is a `Delivery`.
  A failure is tried again after HAZRI_NOTIFY_RETRY_SECONDS × 2^(attempts-1); after
  HAZRI_NOTIFY_MAX_ATTEMPTS the notice is failed, and the school's notices page lists it.
- Quiet hours hold a notice (its `due_at`) until they end; they never drop it.
- Secrets: an invitation's code (and the link that holds it) stays in the notice's
  params only until it is sent; once the notice is sent, failed or cancelled they are
  blanked (`forget_secrets`). Only the code's digest is kept, in signon's Invitation.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from hazri.notify import channels as chan
from hazri.notify.models import Channel, Delivery, Notice, PushSubscription, Status
from hazri.notify.preferences import Prefs, prefs_of, release_at
from hazri.notify.texts import message_of
from hazri.org.models import School
from hazri.people.models import Guardian

# The params that are secrets: kept until the notice is sent, failed or cancelled.
SECRET_PARAMS = ("code", "link")


def forget_secrets(params: dict[str, Any]) -> dict[str, Any]:
    """The params with their secrets blanked (the same dict when it holds none)."""
    if not any(params.get(name) for name in SECRET_PARAMS):
        return params
    return {**params, **dict.fromkeys(SECRET_PARAMS, "")}


# A claim not finished in this long is taken to be a dead worker's and is claimed again.
LEASE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class NewNotice:
    school_id: int
    kind: str
    guardian_id: int
    student_id: int
    key: str
    params: dict[str, Any]


def _zones(school_ids: Iterable[int]) -> dict[int, ZoneInfo]:
    rows = School.objects.filter(pk__in=sorted(set(school_ids))).values_list("pk", "timezone")
    return {pk: ZoneInfo(zone) for pk, zone in rows}


def notices_add(new: list[NewNotice], *, now: dt.datetime | None = None) -> int:
    """Write the notices not yet written (the others are left as they are); each is due
    now, or at the end of its guardian's quiet hours (in the school's zone). Returns how
    many there were to write (those already there included)."""
    if not new:
        return 0
    now = now or timezone.now()
    prefs = prefs_of(n.guardian_id for n in new)
    zones = _zones(n.school_id for n in new)
    rows = []
    for n in new:
        p = prefs[n.guardian_id]
        local = now.astimezone(zones[n.school_id])
        rows.append(
            Notice(
                school_id=n.school_id,
                kind=n.kind,
                guardian_id=n.guardian_id,
                student_id=n.student_id,
                key=n.key,
                params=n.params,
                created_at=now,
                due_at=release_at(local, p.quiet_start, p.quiet_end),
            )
        )
    Notice.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return len(rows)


def _claimable(now: dt.datetime) -> Q:
    return Q(status=Status.PENDING, due_at__lte=now) | Q(
        status=Status.SENDING, claimed_until__lt=now
    )


def claim(
    *, now: dt.datetime | None = None, limit: int = 200, school_ids: list[int] | None = None
) -> list[Notice]:
    """Take up to `limit` due notices for this worker (none another worker holds)."""
    now = now or timezone.now()
    token = uuid.uuid4()
    wanted = Notice.objects.filter(_claimable(now))
    if school_ids is not None:
        wanted = wanted.filter(school_id__in=school_ids)
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            picked = wanted.select_for_update(skip_locked=True).order_by("due_at", "pk")
        else:
            picked = wanted.order_by("due_at", "pk")
        ids = list(picked.values_list("pk", flat=True)[:limit])
        # The condition again: on SQLite two workers may have picked the same rows, and
        # only the first UPDATE still finds them claimable.
        Notice.objects.filter(_claimable(now), pk__in=ids).update(
            status=Status.SENDING, claim=token, claimed_until=now + LEASE
        )
    return list(Notice.objects.filter(claim=token, status=Status.SENDING).order_by("pk"))


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    held: int = 0
    cancelled: int = 0


def _outgoing(
    notice: Notice, guardian: Guardian, prefs: Prefs, pushes: list[PushSubscription]
) -> chan.Outgoing:
    return chan.Outgoing(
        notice_id=notice.pk,
        kind=notice.kind,
        language=prefs.language,
        phone=guardian.phone,
        email=guardian.email,
        message=message_of(notice.kind, prefs.language, notice.params),
        pushes=tuple(chan.Push(p.endpoint, p.p256dh, p.auth) for p in pushes),
    )


def _channels_for(prefs: Prefs, guardian: Guardian) -> tuple[list[str], list[str]]:
    """The guardian's channels that are configured (else the defaults), and the log's
    copy where the console is configured but not chosen (it delivers nothing). A
    guardian who never chose and has no phone on record is sent e-mail, where they
    have an address."""
    configured = chan.channels()
    chosen = [c for c in prefs.channels if c in configured] or [
        c for c in settings.HAZRI_NOTIFY_DEFAULT_CHANNELS if c in configured
    ]
    if (
        not prefs.chosen
        and not guardian.phone.strip()
        and guardian.email.strip()
        and Channel.EMAIL in configured
        and Channel.EMAIL not in chosen
    ):
        chosen.append(Channel.EMAIL)
    copy = (
        [Channel.CONSOLE] if Channel.CONSOLE in configured and Channel.CONSOLE not in chosen else []
    )
    return chosen, [str(c) for c in copy]


def deliver(notices: list[Notice], *, now: dt.datetime | None = None) -> Outcome:
    """Send claimed notices through each guardian's channels and record every try."""
    result = Outcome()
    if not notices:
        return result
    now = now or timezone.now()
    guardian_ids = {n.guardian_id for n in notices}
    guardians = Guardian.objects.in_bulk(guardian_ids)
    prefs = prefs_of(guardian_ids)
    pushes: dict[int, list[PushSubscription]] = {}
    for sub in PushSubscription.objects.filter(guardian_id__in=guardian_ids).order_by("pk"):
        pushes.setdefault(sub.guardian_id, []).append(sub)
    zones = _zones(n.school_id for n in notices)
    log: list[Delivery] = []
    max_attempts = settings.HAZRI_NOTIFY_MAX_ATTEMPTS
    sending: list[tuple[Notice, chan.Outgoing, list[str], list[str]]] = []
    for notice in notices:
        p = prefs[notice.guardian_id]
        # Quiet hours chosen after the notice was written still hold it.
        release = release_at(now.astimezone(zones[notice.school_id]), p.quiet_start, p.quiet_end)
        if release > now:
            notice.status, notice.due_at, notice.claim = Status.PENDING, release, None
            result.held += 1
            continue
        outgoing = _outgoing(
            notice, guardians[notice.guardian_id], p, pushes.get(notice.guardian_id, [])
        )
        sending.append((notice, outgoing, *_channels_for(p, guardians[notice.guardian_id])))
    # The channels wait on the network (a gateway, an SMTP server, a push service) and
    # touch no database: a batch is sent by a few threads at once.
    threads = max(1, settings.HAZRI_NOTIFY_SEND_THREADS)
    if threads > 1 and len(sending) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            tries = list(pool.map(lambda job: _send(job[1], job[2] + job[3]), sending))
    else:
        tries = [_send(outgoing, chosen + copy) for _n, outgoing, chosen, copy in sending]
    for (notice, _sent, chosen, _copy), attempt in zip(sending, tries, strict=True):
        delivered, errors = False, []
        for name, outcome, detail in attempt:
            log.append(_log(notice, name, now, outcome, detail))
            if outcome == Delivery.Outcome.ERROR:
                errors.append(f"{name}: {detail}")
            elif outcome == Delivery.Outcome.OK:
                delivered = delivered or name in chosen
        notice.attempts += 1
        notice.claim, notice.claimed_until = None, None
        if delivered:
            notice.status, notice.sent_at, notice.last_error = Status.SENT, now, ""
            result.sent += 1
        elif not errors or notice.attempts >= max_attempts:
            # Nowhere to send it (no phone, no e-mail), or out of tries: reported.
            notice.status = Status.FAILED
            notice.last_error = ("; ".join(errors) or "no address on any chosen channel")[:500]
            result.failed += 1
        else:
            notice.status = Status.PENDING
            notice.last_error = "; ".join(errors)[:500]
            backoff = settings.HAZRI_NOTIFY_RETRY_SECONDS * 2 ** (notice.attempts - 1)
            notice.due_at = now + dt.timedelta(seconds=backoff)
            result.retried += 1
    with transaction.atomic():
        Delivery.objects.bulk_create(log, batch_size=500)
        # Most of a batch ends alike (sent on the first try): one UPDATE per outcome,
        # not a CASE per row and column (bulk_update took 3/4 of a batch's time).
        for values, ids in _alike(notices).items():
            Notice.objects.filter(pk__in=ids).update(**dict(zip(_SAVED, values, strict=True)))
        # Sent or given up: an invitation's code is not kept any longer.
        done = [n for n in notices if n.status in (Status.SENT, Status.FAILED)]
        for notice in done:
            kept = forget_secrets(notice.params)
            if kept is not notice.params:
                notice.params = kept
                Notice.objects.filter(pk=notice.pk).update(params=kept)
    return result


_SAVED = ("status", "due_at", "claim", "claimed_until", "attempts", "sent_at", "last_error")


def _alike(notices: list[Notice]) -> dict[tuple[Any, ...], list[int]]:
    groups: dict[tuple[Any, ...], list[int]] = {}
    for notice in notices:
        groups.setdefault(tuple(getattr(notice, f) for f in _SAVED), []).append(notice.pk)
    return groups


def _send(outgoing: chan.Outgoing, names: list[str]) -> list[tuple[str, str, str]]:
    """One notice through each of these channels: (channel, outcome, detail) of each."""
    configured = chan.channels()
    tries: list[tuple[str, str, str]] = []
    for name in names:
        try:
            tries.append((name, Delivery.Outcome.OK, configured[name].send(outgoing)))
        except chan.NoAddress as error:
            tries.append((name, Delivery.Outcome.SKIPPED, str(error)))
        except chan.SendError as error:
            tries.append((name, Delivery.Outcome.ERROR, str(error)))
    return tries


def _log(notice: Notice, channel: str, at: dt.datetime, outcome: str, detail: str) -> Delivery:
    return Delivery(
        school_id=notice.school_id,
        notice=notice,
        channel=channel,
        at=at,
        outcome=outcome,
        detail=detail[:500],
    )


def deliver_due(
    *, now: dt.datetime | None = None, batch: int = 200, school_ids: list[int] | None = None
) -> Outcome:
    """Claim and send batches until nothing is due (one worker's run)."""
    total = Outcome()
    while True:
        claimed = claim(now=now, limit=batch, school_ids=school_ids)
        if not claimed:
            return total
        done = deliver(claimed, now=now)
        for name in ("sent", "retried", "failed", "held", "cancelled"):
            setattr(total, name, getattr(total, name) + getattr(done, name))
