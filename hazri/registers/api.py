"""Register endpoints: the register as JSON, certification, approvals, the state-portal
summary, the parent statement, fees and exam results."""

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Query, Router, Status

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of, require, restrict
from hazri.accounts.names import person_name
from hazri.attendance import services as attendance
from hazri.attendance.models import Approval, RollCall
from hazri.attendance.presenters import rollcall_out
from hazri.attendance.rules import Counts
from hazri.attendance.schemas import RollCallOut
from hazri.audit.services import audit_record
from hazri.common.api import FIRST_DAY, LAST_DAY, ErrorOut, PathId, request_user
from hazri.common.errors import Invalid, NotFound
from hazri.common.tables import table_formats, table_response
from hazri.org import selectors as org
from hazri.org.models import OrgUnit
from hazri.registers import approvals, services, statements, summary
from hazri.registers.models import FeeRecord
from hazri.registers.schemas import (
    ApprovalQuery,
    ApprovalsOut,
    CertificationOut,
    CertifyIn,
    DecisionIn,
    ExamResultIn,
    ExamResultOut,
    FeeIn,
    FeeOut,
    MonthQuery,
    RegisterOut,
    StatementOut,
    StatementQuery,
    SummaryQuery,
    SummaryRowOut,
)
from hazri.registers.selectors import Register, section_register

router = Router(tags=["registers"])
# The summary is computed per school; a district is fine, a whole state is a batch job.
MAX_SUMMARY_SCHOOLS = 5000
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


def parse_month(value: str) -> dt.date:
    try:
        month = dt.date.fromisoformat(f"{value}-01")
        if not FIRST_DAY <= month <= LAST_DAY:
            raise ValueError(value)
        return month
    except ValueError:
        raise Invalid(
            f"'{value}' is not a month; use YYYY-MM.", field="month", code="bad_month"
        ) from None


def certification_out(register: Register) -> dict[str, Any] | None:
    c = register.certification
    if c is None:
        return None
    return {
        "month": c.month,
        "certified_by": person_name(c.certified_by),
        "certified_at": c.certified_at,
        "checked_by": c.checked_by,
        "note": c.note,
    }


def register_out(register: Register, meetings_per_day: int) -> dict[str, Any]:
    grid = register.grid
    return {
        "school": register.school.pk,
        "section": register.section.pk,
        "month": register.month,
        "meetings_per_day": meetings_per_day,
        "columns": [
            {
                "day": c.day,
                "meeting": c.meeting,
                "open": c.open,
                "day_kind": c.status.kind.value,
                "day_name": c.status.name,
            }
            for c in grid.columns
        ],
        "rows": [
            {
                "student": r.student.id,
                "name": r.student.name,
                "name_local": r.student.name_local,
                "admission_no": r.student.admission_no,
                "roll_no": r.student.roll_no,
                "cells": [
                    {
                        "kind": c.kind.value,
                        "text": c.text,
                        "changes": [vars(change) for change in c.changes],
                    }
                    for c in r.cells
                ],
                "month_attended": r.attended,
                "month_held": r.held,
                "carried_attended": r.carried.attended,
                "carried_held": r.carried.held,
                "total_attended": r.total_attended,
                "total_held": r.total_held,
                "percent": r.percent,
            }
            for r in grid.rows
        ],
        "totals": [vars(t) for t in grid.totals],
        "meetings_held": grid.meetings_held,
        "average_per_meeting": grid.average_per_meeting,
        "on_roll_at_end": grid.on_roll_at_end,
        "certification": certification_out(register),
        "pending_changes": [p.pk for p in register.pending],
    }


@router.get(
    "/sections/{section_id}/register",
    response={200: RegisterOut, **ERRORS},
    summary="A section's monthly attendance register",
)
def get_register(
    request: HttpRequest, section_id: PathId, query: Query[MonthQuery]
) -> dict[str, Any]:
    section = access.section_visible(request.user, section_id)
    audit_record(
        user=request.user,
        action="register.view",
        obj=section,
        school_id=section.school_id,
        detail={"month": query.month},
    )
    register = section_register(
        section=section, month=parse_month(query.month), today=org.school_today(section.school)
    )
    policy = org.policy_for_school(section.school)
    return register_out(register, policy.meetings_per_day)


@router.post(
    "/sections/{section_id}/register/certify",
    response={201: CertificationOut, **ERRORS},
    summary="The head certifies a month",
)
def certify(request: HttpRequest, section_id: PathId, payload: CertifyIn) -> Status:
    section = access.section_visible(request.user, section_id)
    cert = services.month_certify(
        section=section,
        month=parse_month(payload.month),
        checked_by=payload.checked_by,
        note=payload.note,
        by=request_user(request),
    )
    return Status(
        201,
        {
            "month": cert.month,
            "certified_by": person_name(request.user),
            "certified_at": cert.certified_at,
            "checked_by": cert.checked_by,
            "note": cert.note,
        },
    )


@router.get(
    "/corrections/pending",
    response={200: list[RollCallOut], **ERRORS},
    summary="Changes to certified months waiting for approval, in your area",
)
def pending_corrections(request: HttpRequest) -> list[dict[str, Any]]:
    pending = (
        restrict(RollCall.objects.filter(approval=Approval.PENDING), actor_of(request), Action.VIEW)
        .select_related("roster", "taken_by")
        .order_by("received_at")[:500]
    )
    return [rollcall_out(r) for r in pending]


APPROVALS_PER_PAGE = 25


@router.get(
    "/approvals",
    response={200: ApprovalsOut, **ERRORS},
    summary="Changes waiting for your decision: certified months (officers), late entries",
)
def list_approvals(request: HttpRequest, query: Query[ApprovalQuery]) -> dict[str, Any]:
    """Oldest first, a page at a time. An officer sees their area's; a head the late
    entries of his school that someone else entered; nobody else anything. Decide one
    with `POST /rollcalls/{id}/decision`."""
    actor = actor_of(request)
    kind = approvals.Kind(query.kind) if query.kind else None
    found = approvals.approvals_for(actor, school_id=query.school, kind=kind)
    listing = Paginator(
        found.select_related("school", "section", "roster", "taken_by").order_by(
            "received_at", "pk"
        ),
        APPROVALS_PER_PAGE,
    )
    page = listing.get_page(query.page)
    return {
        "count": listing.count,
        "page": page.number,
        "pages": listing.num_pages,
        "items": [approval_out(w) for w in approvals.describe(list(page))],
    }


def approval_out(waiting: approvals.Waiting) -> dict[str, Any]:
    r = waiting.rollcall
    return {
        "rollcall": r.pk,
        "kind": waiting.kind.value,
        "school": r.school_id,
        "school_name": r.school.name,
        "section": r.section_id,
        "section_label": r.section.label,
        "day": r.day,
        "meeting": r.meeting,
        "taken_by": r.taken_by.get_full_name() or r.taken_by.get_username(),
        "captured_at": r.captured_at,
        "received_at": r.received_at,
        "note": r.note,
        "changes": [vars(c) for c in waiting.changes],
        "first_entry": waiting.first_entry,
    }


@router.post(
    "/rollcalls/{rollcall_id}/decision",
    response={200: RollCallOut, **ERRORS},
    summary="Approve or refuse a change waiting for approval (a certified month, a late entry)",
)
def decide(request: HttpRequest, rollcall_id: PathId, payload: DecisionIn) -> dict[str, Any]:
    rollcall = require(
        RollCall.objects.select_related("school"),
        actor_of(request),
        Action.VIEW,
        rollcall_id,
        field="rollcall_id",
        noun="roll call",
    )
    decided = attendance.correction_decide(
        rollcall=rollcall,
        approve=payload.approve,
        by=request_user(request),
        reason=payload.reason.strip(),
    )
    return rollcall_out(RollCall.objects.select_related("roster", "taken_by").get(pk=decided.pk))


@router.get(
    "/reports/monthly-summary",
    response={200: list[SummaryRowOut], **ERRORS},
    openapi_extra=table_formats(),
    summary="Class-wise month summary for the state portal (JSON, CSV or XLSX)",
)
def monthly_summary(request: HttpRequest, query: Query[SummaryQuery]) -> Any:
    """For one school (`school`) or every school under an org unit (`unit`, e.g. a block)."""
    month = parse_month(query.month)
    visible = access.schools_visible_to(request.user)
    if (query.school is None) == (query.unit is None):
        raise Invalid("Give exactly one of school or unit.", field="school", code="scope")
    if query.school is not None:
        schools = list(visible.filter(pk=query.school))
        label = f"school-{query.school}"
    else:
        unit = OrgUnit.objects.filter(pk=query.unit or 0).first()
        schools = list(visible.filter(unit_path__startswith=unit.path)) if unit else []
        label = f"unit-{query.unit}"
    if not schools:
        raise NotFound(
            "No such school or unit in your area.", field="school" if query.school else "unit"
        )
    if len(schools) > MAX_SUMMARY_SCHOOLS:
        raise Invalid(
            f"{len(schools)} schools is too many for one summary: ask per district or block.",
            field="unit",
            code="area_too_large",
        )
    # An area lies in one time zone (`org.unit_zone`): any of its schools gives its today.
    today = org.school_today(schools[0])
    rows = summary.monthly_summary(schools=schools, month=month, today=today)
    if query.format != "json":
        return table_response(
            headers=summary.HEADERS,
            rows=[row.values() for row in rows],
            filename=f"hazri-summary-{label}-{query.month}",
            format=query.format,
        )
    return [vars(row) for row in rows]


@router.get(
    "/students/{student_id}/attendance",
    response={200: StatementOut, **ERRORS},
    summary="A student's attendance statement for a date range (parents' statement)",
)
def statement(
    request: HttpRequest, student_id: PathId, query: Query[StatementQuery]
) -> dict[str, Any]:
    student = access.student_visible(request.user, student_id)
    if query.end < query.start:
        raise Invalid("The end is before the start.", field="end", code="bad_range")
    if query.end - query.start > statements.MAX_RANGE:
        raise Invalid("A statement covers at most about a year.", field="end", code="too_long")
    # Staff and officers read the part of the history spent in their schools.
    own = (
        None if access.is_family(request.user, student) else access.schools_visible_to(request.user)
    )
    result = statements.student_statement(
        student=student, start=query.start, end=query.end, schools=own
    )

    def tally(t: Counts, days_absent: int) -> dict[str, Any]:
        return {
            "held": t.held,
            "present": t.present,
            "duty": t.duty,
            "absent": t.absent,
            "leave": t.leave,
            "attended": t.attended,
            "percent": t.percent,
            "days_absent": days_absent,
        }

    return {
        "student": student.pk,
        "name": student.name,
        "start": query.start,
        "end": query.end,
        "total": tally(result.total, result.days_absent()),
        "months": [
            {"month": month, **tally(t, result.days_absent(month))}
            for month, t in result.months.items()
        ],
        "absent_days": result.absent_days,
    }


@router.get(
    "/students/{student_id}/fees",
    response={200: list[FeeOut], **ERRORS},
    summary="A student's fee record (register front pages)",
)
def list_fees(request: HttpRequest, student_id: PathId) -> list[dict[str, Any]]:
    student = access.student_visible(request.user, student_id)
    # The family sees every school's fees of the child; staff and officers their schools'.
    fees = restrict(FeeRecord.objects.filter(student=student), actor_of(request), Action.VIEW)
    return [fee_out(f) for f in fees.order_by("pk")]


def fee_out(fee: FeeRecord) -> dict[str, Any]:
    return {
        "id": fee.pk,
        "school": fee.school_id,
        "description": fee.description,
        "amount": fee.amount,
        "receipt_no": fee.receipt_no,
        "paid_on": fee.paid_on,
        "concession_reason": fee.concession_reason,
    }


@router.post(
    "/students/{student_id}/fees",
    response={201: FeeOut, **ERRORS},
    summary="Record a fee paid or waived",
)
def add_fee(request: HttpRequest, student_id: PathId, payload: FeeIn) -> Status:
    student = access.student_visible(request.user, student_id)
    school = access.school_visible(request.user, payload.school)
    fee = services.fee_record_add(
        student=student,
        school=school,
        description=payload.description,
        amount=payload.amount,
        receipt_no=payload.receipt_no,
        paid_on=payload.paid_on,
        concession_reason=payload.concession_reason,
        by=request_user(request),
    )
    return Status(201, fee_out(fee))


@router.put(
    "/sections/{section_id}/exam-results/{student_id}",
    response={200: ExamResultOut, **ERRORS},
    summary="Record a student's session result (register's last month page)",
)
def set_exam_result(
    request: HttpRequest, section_id: PathId, student_id: PathId, payload: ExamResultIn
) -> dict[str, Any]:
    section = access.section_visible(request.user, section_id)
    student = access.student_visible(request.user, student_id)
    exam = services.exam_result_set(
        section=section,
        student=student,
        result=payload.result,
        percentage=payload.percentage,
        remarks=payload.remarks,
        reason=payload.reason,
        by=request_user(request),
    )
    return {
        "student": exam.student_id,
        "section": exam.section_id,
        "result": exam.result,
        "percentage": exam.percentage,
        "remarks": exam.remarks,
        "version": exam.version,
        "reason": exam.reason,
    }
