"""The staff roll call of a school's day (the ORM path: a school sends one a day)."""

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from hazri.accounts import selectors as access
from hazri.accounts.access import ACTIONS, Action, Role
from hazri.accounts.models import User
from hazri.attendance import rules, seams
from hazri.attendance.models import Approval, StaffRollCall, Timing
from hazri.attendance.services.common import (
    STORED_TIMING,
    SYNC_MARGIN,
    Capture,
    Sheet,
    Submitted,
    captured_before_sync,
    judge_timing,
    require_after_login,
    require_clock,
    require_school_day,
    roster_for,
)
from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Forbidden, Invalid
from hazri.org import selectors as org
from hazri.org.models import School
from hazri.people import selectors as people


def staff_rollcall_submit(
    *,
    school: School,
    day: dt.date,
    marks: Sequence[tuple[int, str]],
    capture: Capture,
    by: User,
    now: dt.datetime | None = None,
    ids_field: str | None = None,
) -> Submitted:
    """Store a staff roll call; `ids_field` names the list of ids when the marks came
    compact, for the errors (rules.pack_marks)."""
    key = {"school": school, "day": day}
    repeat = _repeat_of(StaffRollCall, school, capture.client_uuid, key)
    if repeat is not None:
        return Submitted(repeat, created=False)
    if org.academic_year_for(school, day) is None:
        raise Invalid(
            f"{day} is outside every school session.", field="day", code="outside_session"
        )
    members = people.school_staff_roll(school, day)
    roll = [member.id for member in members]
    if not roll:
        raise Invalid(
            f"No staff are posted to {school.name} on {day}.", field="school", code="empty_roll"
        )
    return _submit(
        StaffRollCall,
        key=key,
        school=school,
        day=day,
        roll=roll,
        names={member.id: member.name for member in members},
        marks=marks,
        capture=capture,
        by=by,
        now=now,
        policy=org.policy_for_school(school),
        ids_field=ids_field,
    )


def _repeat_of(
    model: type[Sheet], school: School, client_uuid: uuid.UUID, key: dict[str, Any]
) -> Sheet | None:
    stored = model.objects.filter(school=school, client_uuid=client_uuid).first()
    if stored is None:
        return None
    if stored.identity != model.identity_of(**key):
        raise Conflict(
            f"client_uuid {client_uuid} was already used for a different roll call.",
            field="client_uuid",
            code="uuid_reused",
        )
    return stored


def _submit(
    model: type[Sheet],
    *,
    key: dict[str, Any],
    school: School,
    day: dt.date,
    roll: list[int],
    names: dict[int, str],
    marks: Sequence[tuple[int, str]],
    capture: Capture,
    by: User,
    now: dt.datetime | None,
    policy: org.Policy,
    meeting: int = 1,
    locked: bool = False,
    ids_field: str | None = None,
) -> Submitted:
    now = now or timezone.now()
    require_clock(capture, now)
    local = ZoneInfo(school.timezone)
    role = access.require_marker(by, school, day)
    status = org.school_day_status(school, day, policy=policy)
    require_school_day(status, day)
    captured, skew = rules.corrected_capture(
        capture.captured_at, device_clock=capture.device_clock, server_clock=now
    )
    require_after_login(capture, captured, local)
    pulls = seams.device_pulls
    if capture.device is not None and pulls is not None:
        synced = pulls.first_after(by.pk, capture.device.pk, captured + SYNC_MARGIN)
        if synced is not None:
            raise captured_before_sync(captured, synced, local)
    try:
        timing = judge_timing(school, day, meeting, policy, captured, now)
        packed = rules.pack_marks(
            roll,
            marks,
            member_field="staff" if model is StaffRollCall else "student",
            names=names,
            ids_field=ids_field,
        )
    except rules.RuleViolation as violation:
        raise Invalid(violation.message, field=violation.field, code=violation.code) from None
    counts = rules.count_marks(packed)
    note = capture.note.strip()
    for attempt in range(3):
        try:
            # The outer boundary: the version, the school-day and the audit event commit
            # together (durable: no caller wraps it).
            with transaction.atomic(durable=True):
                sheet = _store_version(
                    model,
                    key=key,
                    school=school,
                    roll=roll,
                    packed=packed,
                    counts=counts,
                    capture=capture,
                    captured=captured,
                    skew=skew,
                    timing=timing,
                    note=note,
                    role=role,
                    by=by,
                    now=now,
                    policy=policy,
                    locked=locked,
                )
                # The officers' rollup of this school's day moves with its roll calls.
                seams.schooldays_changed.send(sender=model, days=[(school, day)], staff=True)
                action = "correct" if sheet.timing == Timing.CORRECTION else "submit"
                audit_record(
                    user=by,
                    action=f"{model.__name__.lower()}.{action}",
                    obj=sheet,
                    school_id=school.pk,
                    detail={"version": sheet.version, "timing": sheet.timing},
                )
            break
        except IntegrityError:
            # Two devices raced for the same key or the same UUID was sent twice at
            # once: the unique constraints held, so look again and retry.
            repeat = _repeat_of(model, school, capture.client_uuid, key)
            if repeat is not None:
                return Submitted(repeat, created=False)
            if attempt == 2:
                raise
    return Submitted(sheet, created=True)


def _store_version(
    model: type[Sheet],
    *,
    key: dict[str, Any],
    school: School,
    roll: list[int],
    packed: str,
    counts: rules.Counts,
    capture: Capture,
    captured: dt.datetime,
    skew: dt.timedelta,
    timing: rules.Timing,
    note: str,
    role: str,
    by: User,
    now: dt.datetime,
    policy: org.Policy,
    locked: bool = False,
) -> Sheet:
    versions = model.objects.filter(**key)
    current = versions.select_for_update().filter(is_current=True).first()
    if timing == rules.Timing.AFTER_CUTOFF:
        cutoff = policy.cutoff.strftime("%H:%M")
        if current is None:
            raise Invalid(
                f"Attendance for {key['day']} closed at {cutoff}; these marks were taken at "
                f"{captured.astimezone(ZoneInfo(school.timezone)):%Y-%m-%d %H:%M}.",
                field="captured_at",
                code="after_cutoff",
            )
        if Action.CORRECT not in ACTIONS[Role(role)]:
            raise Forbidden(
                f"After {cutoff} only the head of school can correct a roll call.",
                field="captured_at",
                code="correction_needs_head",
            )
        if not note:
            raise Invalid(
                "A correction after the cutoff needs a reason.",
                field="note",
                code="reason_required",
            )
        stored_timing = Timing.CORRECTION
    else:
        stored_timing = STORED_TIMING[timing]
    latest = versions.aggregate(latest=Max("version"))["latest"] or 0
    # The roll call captured last is current, whichever reached the server first;
    # in a certified month a change waits for an officer's approval instead.
    becomes_current = not locked and (current is None or current.captured_at <= captured)
    if becomes_current and current is not None:
        current.is_current = False
        current.updated_at = now
        current.save(update_fields=["is_current", "updated_at"])
    sheet: Sheet = model(
        **key,
        version=latest + 1,
        is_current=becomes_current,
        client_uuid=capture.client_uuid,
        roster=roster_for(school=school, members=roll),
        marks=packed,
        present=counts.present,
        absent=counts.absent,
        leave=counts.leave,
        duty=counts.duty,
        device_captured_at=capture.captured_at,
        captured_at=captured,
        clock_skew_seconds=round(skew.total_seconds()),
        received_at=now,
        updated_at=now,
        taken_by=by,
        device=capture.device,
        timing=stored_timing,
        note=note,
        approval=Approval.PENDING if locked else Approval.NONE,
    )
    sheet.save(force_insert=True)
    return sheet
