"""Writes for the register: certifying a section's month (SPEC §3.13)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from hazri.accounts import selectors as access
from hazri.accounts.models import User
from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Forbidden, Invalid
from hazri.org import selectors as org
from hazri.org.models import Section
from hazri.people.models import Posting
from hazri.registers.models import MonthCertification
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
    if access.posting_role(by, school, today) != Posting.Role.HEAD:
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
        with transaction.atomic():
            certification = MonthCertification.objects.create(
                school=school,
                section=section,
                month=month,
                certified_by=by,
                certified_at=now,
                checked_by=checked_by[:200],
                note=note.strip()[:500],
            )
    except IntegrityError:
        raise Conflict(
            f"{month:%B %Y} of {section.label} is already certified.",
            field="month",
            code="already_certified",
        ) from None
    audit_record(
        user=by,
        action="register.certify",
        obj=certification,
        school_id=school.pk,
        detail={"month": month.isoformat()},
    )
    return certification
