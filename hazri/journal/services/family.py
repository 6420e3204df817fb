"""What a family writes in the diary: a guardian signs a child's week, and tells the
school in advance that the child will be absent (and may take it back until the day).
A student reads their diary and writes nothing (SPEC §5.7)."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hazri.accounts.access import actor_of
from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Forbidden, Invalid
from hazri.journal.models import AbsenceNotice, Acknowledgement
from hazri.journal.selectors.diary import monday_of
from hazri.org.models import School
from hazri.people.models import Student

MAX_NOTICE_DAYS = 60
MAX_REASON = 500


def require_guardian(user: Any, student: Student) -> None:
    """Only the child's guardian writes in the child's diary (not the student, not the
    school's staff)."""
    if student.pk not in actor_of(user).children:
        raise Forbidden(
            "Only the child's parent or guardian can do this in the diary.",
            field="student",
            code="not_guardian",
        )


def week_acknowledge(
    *, school: School, student: Student, week: dt.date, today: dt.date, by: Any
) -> tuple[Acknowledgement, bool]:
    """Sign the week (any day of it); the same guardian signing again gets the signature
    they gave (False: not created)."""
    require_guardian(by, student)
    monday = monday_of(week)
    if monday > today:
        raise Invalid(
            "This week has not begun: a week is signed once it has begun.",
            field="week",
            code="future_week",
        )
    found = Acknowledgement.objects.filter(
        school=school, student=student, week=monday, signed_by=by
    ).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(
                school=school, student=student, week=monday, signed_by=by, signed_at=timezone.now()
            )
            audit_record(
                user=by,
                action="diary.acknowledge",
                obj=ack,
                school_id=school.pk,
                detail={"student": student.pk, "week": monday.isoformat()},
            )
    except IntegrityError:  # signed at the same moment from another device
        return Acknowledgement.objects.get(
            school=school, student=student, week=monday, signed_by=by
        ), False
    return ack, True


def notice_tell(
    *,
    school: School,
    student: Student,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str,
    today: dt.date,
    by: Any,
) -> AbsenceNotice:
    """Tell the school that the child will be absent from one day to another, and why."""
    require_guardian(by, student)
    reason = reason.strip()
    if not reason:
        raise Invalid("Say why the child will be absent.", field="reason", code="required")
    if len(reason) > MAX_REASON:
        raise Invalid(
            f"The reason is longer than {MAX_REASON} characters.", field="reason", code="too_long"
        )
    if starts_on < today:
        raise Invalid(
            "An absence is told in advance: the first day cannot be in the past.",
            field="starts_on",
            code="past_day",
        )
    if ends_on < starts_on:
        raise Invalid("The last day comes before the first.", field="ends_on", code="before_start")
    if (ends_on - starts_on).days >= MAX_NOTICE_DAYS:
        raise Invalid(
            f"A notice covers at most {MAX_NOTICE_DAYS} days.", field="ends_on", code="too_long"
        )
    with transaction.atomic():
        notice = AbsenceNotice.objects.create(
            school=school,
            student=student,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            told_by=by,
            told_at=timezone.now(),
        )
        audit_record(
            user=by,
            action="diary.absence_notice",
            obj=notice,
            school_id=school.pk,
            detail={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
        )
    return notice


def notice_withdraw(*, notice: AbsenceNotice, today: dt.date, by: Any) -> AbsenceNotice:
    """A guardian takes a notice back, until its first day."""
    require_guardian(by, notice.student)
    with transaction.atomic():
        locked = AbsenceNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.withdrawn_at is not None:
            raise Conflict("This notice was already withdrawn.", field="notice", code="withdrawn")
        if locked.starts_on < today:
            raise Conflict(
                "The absence has begun: the notice can no longer be withdrawn.",
                field="notice",
                code="begun",
            )
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at"])
        audit_record(
            user=by, action="diary.absence_notice_withdraw", obj=locked, school_id=locked.school_id
        )
    return locked
