"""An officer's decision on a change to a roll call of a certified month."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of, require_role
from hazri.accounts.models import User
from hazri.attendance import seams
from hazri.attendance.models import Approval, RollCall, Timing
from hazri.audit.services import audit_record
from hazri.common.errors import Conflict


@transaction.atomic(durable=True)
def correction_decide(
    *,
    rollcall: RollCall,
    approve: bool,
    by: User,
    reason: str = "",
    now: dt.datetime | None = None,
) -> RollCall:
    """An officer over the school approves or rejects a change to a certified month;
    a late entry (a day older than the offline allowance) the head may decide too,
    unless its month is certified or the head entered it. The decider's reason (why a
    change is refused) is kept with the decision, for the school to read, and in the
    audit trail."""
    late = rollcall.timing == Timing.LATE_ENTRY and not _certified(rollcall)
    if late and rollcall.taken_by_id != by.pk:
        require_role(actor_of(by), Action.APPROVE_LATE, rollcall.school, field="rollcall")
    else:
        access.require_officer_over(by, rollcall.school)
    now = now or timezone.now()
    # Lock every version of this roll call: two decisions at once must not both flip it.
    versions = {
        v.pk: v
        for v in RollCall.objects.select_for_update().filter(
            school_id=rollcall.school_id,
            section_id=rollcall.section_id,
            day=rollcall.day,
            meeting=rollcall.meeting,
        )
    }
    locked = versions[rollcall.pk]
    if locked.approval != Approval.PENDING:
        raise Conflict(
            f"Roll call {locked.pk} is not waiting for approval.",
            field="rollcall",
            code="not_pending",
        )
    if approve:
        for version in versions.values():
            if version.is_current:
                version.is_current = False
                version.updated_at = now
                version.save(update_fields=["is_current", "updated_at"])
    locked.approval = Approval.APPROVED if approve else Approval.REJECTED
    locked.is_current = approve
    locked.decided_by = by
    locked.decided_at = now
    locked.decision_note = reason
    locked.updated_at = now
    locked.save(
        update_fields=[
            "approval",
            "is_current",
            "decided_by",
            "decided_at",
            "decision_note",
            "updated_at",
        ]
    )
    seams.schooldays_changed.send(
        sender=type(locked), days=[(locked.school, locked.day)], staff=True
    )
    audit_record(
        user=by,
        action="rollcall.approve" if approve else "rollcall.reject",
        obj=locked,
        school_id=locked.school_id,
        detail={"reason": reason} if reason else None,
    )
    return locked


def _certified(rollcall: RollCall) -> bool:
    lock = seams.month_lock
    month = rollcall.day.replace(day=1)
    return lock is not None and bool(
        lock.certified([rollcall.school_id], [rollcall.section_id], {month})
    )
