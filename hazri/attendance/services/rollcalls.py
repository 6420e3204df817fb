"""Storing student roll calls, one or a batch: each refused or accepted on its own, the
accepted ones written in one transaction as new versions (plain SQL: hazri.common.sql)."""

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import ForeignKey
from django.utils import timezone

from hazri.accounts import selectors as access
from hazri.accounts.access import ACTIONS, Action, Role
from hazri.accounts.models import User
from hazri.attendance import rules, seams
from hazri.attendance.models import Approval, RollCall, Timing
from hazri.attendance.services.checks import Accepted, Reads, check
from hazri.attendance.services.common import (
    STORED_TIMING,
    Capture,
    RollCallItem,
    Submitted,
    rosters_for,
)
from hazri.audit.services import audit_records
from hazri.common import sql
from hazri.common.errors import Conflict, Forbidden, Invalid, ServiceError
from hazri.org.models import Section


def rollcall_submit(
    *,
    section: Section,
    day: dt.date,
    meeting: int,
    marks: Sequence[tuple[int, str]],
    capture: Capture,
    by: User,
    now: dt.datetime | None = None,
    postings: list[access.PostingSpan] | None = None,
    ids_field: str | None = None,
) -> Submitted:
    """Store one roll call, or raise the ServiceError that refuses it."""
    item = RollCallItem(
        section=section, day=day, meeting=meeting, marks=marks, capture=capture, ids_field=ids_field
    )
    [outcome] = rollcalls_submit(items=[item], by=by, now=now, postings=postings)
    if isinstance(outcome, ServiceError):
        raise outcome
    return outcome


def rollcalls_submit(
    *,
    items: Sequence[RollCallItem],
    by: User,
    now: dt.datetime | None = None,
    postings: list[access.PostingSpan] | None = None,
) -> list[Submitted | ServiceError]:
    """Store or refuse each roll call on its own; the answers come in the order given.

    What the rules need is read once for all the items (their repeats, the user's
    postings, certifications, and per school its policy, per school-day its calendar,
    per day the rolls), every rule is applied to each item in Python, and the accepted
    ones are written in one transaction: a few statements in all plus the rollup of
    each school-day touched. If that transaction meets a race (another device wrote
    the same roll call or UUID at once), each item is written again on its own.
    """
    now = now or timezone.now()
    reads = Reads(by=by, now=now, items=items, postings=postings)
    outcomes: list[Submitted | ServiceError | None] = [None] * len(items)
    accepted: list[tuple[int, Accepted]] = []
    first_of: dict[tuple[int, uuid.UUID], int] = {}  # a UUID sent twice in one batch
    again: list[int] = []
    for index, item in enumerate(items):
        sent = (item.section.school_id, item.capture.client_uuid)
        if sent in first_of:
            again.append(index)
            continue
        try:
            repeat = _repeat_check(reads.repeats.get(sent), item)
            if repeat is not None:
                outcomes[index] = Submitted(repeat, created=False)
                continue
            accepted.append((index, check(item, reads)))
            first_of[sent] = index
        except ServiceError as error:
            outcomes[index] = error
    if accepted:
        written = _store([a for _, a in accepted], by=by, now=now)
        for (index, _), outcome in zip(accepted, written, strict=True):
            outcomes[index] = outcome
    for index in again:
        item = items[index]
        earlier = outcomes[first_of[(item.section.school_id, item.capture.client_uuid)]]
        if isinstance(earlier, Submitted):
            try:
                outcomes[index] = Submitted(_repeat_check(earlier.sheet, item), created=False)
            except ServiceError as error:
                outcomes[index] = error
        else:
            # The first with this UUID was refused: this one is judged on its own.
            [outcomes[index]] = rollcalls_submit(items=[item], by=by, now=now, postings=postings)
    return [outcome for outcome in outcomes if outcome is not None]


def _repeat_check(stored: RollCall | None, item: RollCallItem) -> RollCall | None:
    if stored is None:
        return None
    if stored.identity != (item.section.school_id, item.section.pk, item.day, item.meeting):
        raise Conflict(
            f"client_uuid {item.capture.client_uuid} was already used for a different roll call.",
            field="client_uuid",
            code="uuid_reused",
        )
    return stored


def _store(
    accepted: list[Accepted], *, by: User, now: dt.datetime
) -> list[Submitted | ServiceError]:
    for attempt in range(3):
        try:
            # The outer boundary of a submit: its versions, school-days and audit events
            # commit together, or none of them (durable: no caller may wrap it and
            # commit it later, or roll it back after the device was told "stored").
            with transaction.atomic(durable=True):
                return _write(accepted, by=by, now=now)
        except IntegrityError:
            # Another device wrote the same roll call or UUID at once: the unique
            # constraints held. Each item is written on its own and looks again.
            if len(accepted) > 1:
                return [out for one in accepted for out in _store([one], by=by, now=now)]
            item = accepted[0].item
            stored = (
                RollCall.objects.filter(
                    school_id=item.section.school_id, client_uuid=item.capture.client_uuid
                )
                .select_related("roster", "taken_by")
                .first()
            )
            try:
                repeat = _repeat_check(stored, item)
            except ServiceError as error:
                return [error]
            if repeat is not None:
                return [Submitted(repeat, created=False)]
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _stored_timing(a: Accepted, has_current: bool) -> str:
    """How the version is stored; after the cutoff only the head corrects, with a reason.
    A day older than the offline allowance, taken in its window, is a late entry."""
    if a.timing != rules.Timing.AFTER_CUTOFF:
        if a.late_entry:
            return Timing.LATE_ENTRY
        return STORED_TIMING[a.timing]
    cutoff = a.policy.cutoff.strftime("%H:%M")
    if not has_current:
        local = ZoneInfo(a.item.section.school.timezone)
        raise Invalid(
            f"Attendance for {a.item.day} closed at {cutoff}; these marks were taken at "
            f"{a.captured.astimezone(local):%Y-%m-%d %H:%M}.",
            field="captured_at",
            code="after_cutoff",
        )
    if Action.CORRECT not in ACTIONS[Role(a.role)]:
        raise Forbidden(
            f"After {cutoff} only the head of school can correct a roll call.",
            field="captured_at",
            code="correction_needs_head",
        )
    if not a.note:
        raise Invalid(
            "A correction after the cutoff needs a reason.",
            field="note",
            code="reason_required",
        )
    return Timing.CORRECTION


@dataclass(slots=True)
class _Head:
    """The current version of a key while a batch is decided: stored (its id) or made
    earlier in this batch (its row, still to be inserted)."""

    captured_at: dt.datetime
    pk: int | None = None
    row: dict[str, Any] | None = None


def _write(
    accepted: list[Accepted], *, by: User, now: dt.datetime
) -> list[Submitted | ServiceError]:
    """Store the accepted roll calls as new versions, in one transaction (the caller's).

    The current and latest versions of their keys are read and locked in one query (in
    id order, so two batches never deadlock), every decision is taken in Python in the
    order given, then the losing current versions are switched off in one UPDATE, the
    new versions inserted in one INSERT, each school-day's rollup recounted, and the
    audit events written at once. The new versions go as plain rows (building a model
    instance for each and preparing it field by field was a fifth of a batch's time);
    the answers are loaded from those rows as the ORM loads them.
    """
    keys = {a.key for a in accepted}
    heads: dict[tuple[int, int, dt.date, int], _Head] = {}
    latest: dict[tuple[Any, ...], int] = {}
    for pk, school, section, day, meeting, version, is_current, captured in _versions_locked(keys):
        key = (school, section, day, meeting)
        latest[key] = max(latest.get(key, 0), version)
        if is_current:
            heads[key] = _Head(captured_at=captured, pk=pk)
    outcomes: list[Submitted | ServiceError | None] = []
    switched_off: list[int] = []
    made: list[tuple[int, Accepted, dict[str, Any]]] = []  # (index in outcomes, item, row)
    for a in accepted:
        previous = heads.get(a.key)
        try:
            stored_timing = _stored_timing(a, previous is not None)
        except ServiceError as error:
            outcomes.append(error)
            continue
        version = latest.get(a.key, 0) + 1
        latest[a.key] = version
        # The roll call captured last is current, whichever reached the server first;
        # in a certified month a change waits for an officer's approval instead, and a
        # late entry for the head's or an officer's.
        later = previous is None or previous.captured_at <= a.captured
        # A late entry captured before the current version is history already, as any
        # older capture is: nothing to approve, it must not replace the newer marks.
        waits = a.locked or (stored_timing == Timing.LATE_ENTRY and later)
        becomes_current = not waits and later
        if becomes_current and previous is not None:
            if previous.row is not None:  # made earlier in this batch
                previous.row["is_current"] = False
            else:
                switched_off.append(cast(int, previous.pk))
        capture = a.item.capture
        row = {
            "school_id": a.item.section.school_id,
            "section_id": a.item.section.pk,
            "day": a.item.day,
            "meeting": a.item.meeting,
            "source": capture.source,
            "version": version,
            "is_current": becomes_current,
            "client_uuid": capture.client_uuid,
            "roster_id": None,  # below, for all the rows at once
            "marks": a.packed,
            "present": a.counts.present,
            "absent": a.counts.absent,
            "leave": a.counts.leave,
            "duty": a.counts.duty,
            "device_captured_at": capture.captured_at,
            "captured_at": a.captured,
            "clock_skew_seconds": round(a.skew.total_seconds()),
            "received_at": now,
            "updated_at": now,
            "taken_by_id": by.pk,
            "device_id": capture.device.pk if capture.device is not None else None,
            "timing": stored_timing,
            "note": a.note,
            "approval": Approval.PENDING if waits else Approval.NONE,
            "decided_by_id": None,
            "decided_at": None,
            "decision_note": "",
        }
        if becomes_current:
            heads[a.key] = _Head(captured_at=a.captured, row=row)
        made.append((len(outcomes), a, row))
        outcomes.append(None)
    if not made:
        return cast(list[Submitted | ServiceError], outcomes)
    rosters = rosters_for([(a.item.section.school, a.roll) for _, a, _ in made])
    for (_, _, row), roster in zip(made, rosters, strict=True):
        row["roster_id"] = roster.pk
    if switched_off:
        sql.execute(
            "UPDATE attendance_rollcall SET is_current = %s, updated_at = %s "
            f"WHERE id IN ({sql.placeholders(switched_off)})",
            [False, sql.param(RollCall, "updated_at", now), *switched_off],
        )
    ids = sql.insert_rows(RollCall, [row for _, _, row in made])
    sheets = []
    for (index, a, row), pk, roster in zip(made, ids, rosters, strict=True):
        sheet = sql.instance(RollCall, {**row, "id": pk})
        # What the answers show, without a query each.
        _SCHOOL.set_cached_value(sheet, a.item.section.school)
        _SECTION.set_cached_value(sheet, a.item.section)
        _ROSTER.set_cached_value(sheet, roster)
        _TAKEN_BY.set_cached_value(sheet, by)
        _DEVICE.set_cached_value(sheet, a.item.capture.device)
        waits_for = (
            "" if row["approval"] != Approval.PENDING else "officer" if a.locked else "approver"
        )
        outcomes[index] = Submitted(sheet, created=True, waits_for=waits_for)
        sheets.append(sheet)
    # The officers' rollup of each school-day moves with its roll calls.
    seams.schooldays_changed.send(
        sender=RollCall,
        days=[(a.item.section.school, a.item.day) for _, a, _ in made],
        staff=False,
    )
    audit_records(
        user=by,
        events=[
            (
                "rollcall.correct" if sheet.timing == Timing.CORRECTION else "rollcall.submit",
                sheet,
                sheet.school_id,
                {"version": sheet.version, "timing": sheet.timing},
            )
            for sheet in sheets
        ],
    )
    return cast(list[Submitted | ServiceError], outcomes)


_SCHOOL, _SECTION, _ROSTER, _TAKEN_BY, _DEVICE = (
    cast(ForeignKey[Any, Any], RollCall._meta.get_field(name))
    for name in ("school", "section", "roster", "taken_by", "device")
)


def _versions_locked(keys: set[tuple[int, int, dt.date, int]]) -> list[tuple[Any, ...]]:
    """The current and the latest version of these keys' roll calls, locked in id order
    (two writers never deadlock): one plain query, as every submit runs it. Rows: id,
    school, section, day, meeting, version, is_current, captured_at.

    Each key is looked up on its own, the current version by the one-current index and
    the latest by the top of the versions index, so the cost does not grow with the
    versions a key has had (a device that resends, a correction, a batch sent twice):
    written as IN lists of each column with the latest as MAX(version) of each row's
    key, it read every version of the section and grew with them."""
    rows = [
        (school, section, sql.param(RollCall, "day", day), meeting)
        for school, section, day, meeting in sorted(keys)
    ]
    source, args = sql.rows_source(_KEY_FIELDS, rows)
    same_key = (
        "{t}.school_id = k.school_id AND {t}.section_id = k.section_id "
        "AND {t}.day = k.day AND {t}.meeting = k.meeting"
    )
    return sql.select(
        f"WITH k (school_id, section_id, day, meeting) AS ({source}) "
        "SELECT r.id, r.school_id, r.section_id, r.day, r.meeting, r.version, r.is_current, "
        "r.captured_at FROM attendance_rollcall r WHERE "
        + sql.among(
            "r.id",
            f"SELECT c.id FROM k JOIN attendance_rollcall c ON {same_key.format(t='c')} "
            "AND c.is_current "
            "UNION ALL "
            f"SELECT (SELECT l.id FROM attendance_rollcall l WHERE {same_key.format(t='l')} "
            "ORDER BY l.version DESC LIMIT 1) FROM k",
        )
        + f" ORDER BY r.id{sql.for_update()}",
        args,
        [None, None, None, _DAY, None, None, _IS_CURRENT, _CAPTURED],
    )


_DAY = sql.field(RollCall, "day")
_KEY_FIELDS = [sql.field(RollCall, name) for name in ("school", "section", "day", "meeting")]
_IS_CURRENT = sql.field(RollCall, "is_current")
_CAPTURED = sql.field(RollCall, "captured_at")
