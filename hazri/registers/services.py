"""Writes for the register: certifying a month (SPEC §3.13), fees and exam results."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of
from hazri.accounts.models import User
from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Forbidden, Invalid, NotFound
from hazri.org import selectors as org
from hazri.org.models import School, Section
from hazri.people.models import Enrolment, Student
from hazri.registers.models import ExamResult, FeeRecord, MonthCertification
from hazri.registers.selectors import month_days


def month_certify(
    *,
    section: Section,
    month: dt.date,
    checked_by: str,
    by: User,
    note: str = "",
    now: dt.datetime | None = None,
) -> MonthCertification:
    """The head signs the month; from then on a change needs an officer's approval."""
    now = now or timezone.now()
    school = section.school
    today = org.school_today(school, now)
    month = month.replace(day=1)
    if actor_of(by).may(Action.CERTIFY, school, day=today) is None:
        raise Forbidden(
            "Only the head of school certifies a month.", field="month", code="certify_needs_head"
        )
    if not section.academic_year.contains(month) and not section.academic_year.contains(
        month_days(month)[-1]
    ):
        raise Invalid(
            f"{month:%B %Y} is outside the session {section.academic_year.name}.",
            field="month",
            code="outside_session",
        )
    if today < month_days(month)[-1]:
        raise Invalid(
            f"{month:%B %Y} is not over yet: certify it on its last day or later.",
            field="month",
            code="month_not_over",
        )
    checked_by = checked_by.strip()
    if not checked_by:
        raise Invalid(
            "Name the checker who verified the register.",
            field="checked_by",
            code="checker_required",
        )
    try:
        # The certificate and its audit event commit together, or neither does.
        with transaction.atomic(durable=True):
            certification = MonthCertification.objects.create(
                school=school,
                section=section,
                month=month,
                certified_by=by,
                certified_at=now,
                checked_by=checked_by[:200],
                note=note.strip()[:500],
            )
            audit_record(
                user=by,
                action="register.certify",
                obj=certification,
                school_id=school.pk,
                detail={"month": month.isoformat()},
            )
    except IntegrityError:
        raise Conflict(
            f"{month:%B %Y} of {section.label} is already certified.",
            field="month",
            code="already_certified",
        ) from None
    return certification


def _require_school_staff(by: User, school: School) -> None:
    access.require_marker(by, school, org.school_today(school))


def fee_record_add(
    *,
    student: Student,
    school: School,
    description: str,
    amount: Decimal,
    receipt_no: str = "",
    paid_on: dt.date | None = None,
    concession_reason: str = "",
    by: User,
    now: dt.datetime | None = None,
) -> FeeRecord:
    """A fee paid or waived, for the register's front pages (SPEC §3.8)."""
    _require_school_staff(by, school)
    today = org.school_today(school, now)
    year = org.academic_year_for(school, paid_on or today)
    if year is None:
        raise Invalid(
            "No school session covers that date.", field="paid_on", code="outside_session"
        )
    if amount < 0:
        raise Invalid("The amount cannot be negative.", field="amount", code="negative")
    if amount > 0 and not receipt_no.strip():
        raise Invalid(
            "A paid fee needs its receipt number.", field="receipt_no", code="receipt_required"
        )
    if amount == 0 and not concession_reason.strip():
        raise Invalid(
            "A waived fee needs the reason for the concession.",
            field="concession_reason",
            code="reason_required",
        )
    if paid_on is not None and paid_on > today:
        raise Invalid(f"{paid_on} is in the future.", field="paid_on", code="future_day")
    if not student.admissions.filter(school=school).exists():
        raise NotFound(
            f"Student {student.pk} was never admitted to {school.name}.", field="student"
        )
    try:
        with transaction.atomic(durable=True):
            return FeeRecord.objects.create(
                school=school,
                student=student,
                academic_year=year,
                description=description.strip()[:100],
                amount=amount,
                receipt_no=receipt_no.strip()[:30],
                paid_on=paid_on,
                concession_reason=concession_reason.strip()[:300],
                recorded_by=by,
                recorded_at=now or timezone.now(),
            )
    except IntegrityError:
        raise Conflict(
            f"Receipt {receipt_no} is already recorded at this school.",
            field="receipt_no",
            code="duplicate_receipt",
        ) from None


def exam_result_set(
    *,
    section: Section,
    student: Student,
    result: str,
    percentage: Decimal | None = None,
    remarks: str = "",
    reason: str = "",
    by: User,
    now: dt.datetime | None = None,
) -> ExamResult:
    """The session's result, shown on the register's last month page (SPEC §3.11).

    A change to a recorded result is a new version, with `reason` (required then); the
    one it replaces stays, no longer current. Sending the current result again changes
    nothing."""
    _require_school_staff(by, section.school)
    if result not in ExamResult.Result.values:
        raise Invalid(
            f"'{result}' is not a result; use one of {', '.join(ExamResult.Result.values)}.",
            field="result",
            code="bad_result",
        )
    if percentage is not None and not Decimal(0) <= percentage <= Decimal(100):
        raise Invalid(
            "The percentage must be between 0 and 100.", field="percentage", code="out_of_range"
        )
    if not Enrolment.objects.filter(section=section, student=student).exists():
        raise NotFound(f"Student {student.pk} was never in {section.label}.", field="student")
    remarks, reason = remarks.strip()[:300], reason.strip()[:300]
    # The result and its audit event commit together.
    with transaction.atomic(durable=True):
        current = (
            ExamResult.objects.select_for_update()
            .filter(section=section, student=student, is_current=True)
            .first()
        )
        if current is not None:
            if (current.result, current.percentage, current.remarks) == (
                result,
                percentage,
                remarks,
            ):
                return current
            if not reason:
                raise Invalid(
                    "Say why the recorded result is changed.",
                    field="reason",
                    code="reason_required",
                )
            current.is_current = False
            current.save(update_fields=["is_current"])
        exam = ExamResult.objects.create(
            section=section,
            student=student,
            school=section.school,
            result=result,
            percentage=percentage,
            remarks=remarks,
            reason=reason if current is not None else "",
            version=current.version + 1 if current is not None else 1,
            is_current=True,
            recorded_by=by,
            recorded_at=now or timezone.now(),
        )
        audit_record(
            user=by,
            action="exam_result.set",
            obj=exam,
            school_id=section.school_id,
            detail={"version": exam.version, "result": result, "reason": exam.reason},
        )
    return exam
