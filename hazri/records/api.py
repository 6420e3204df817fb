"""The records app's JSON API: the lifelong record, year end, transfer certificates."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from hazri.accounts import selectors as access
from hazri.common.api import ErrorOut, PathId, request_user
from hazri.common.errors import NotFound
from hazri.org.models import Section
from hazri.records import selectors, services
from hazri.records.models import TransferCertificate
from hazri.records.schemas import (
    AdmitFromCertificateIn,
    AdmittedFromCertificateOut,
    CertificateNumberQuery,
    RecordOut,
    TransferCertificateCancelIn,
    TransferCertificateIn,
    TransferCertificateOut,
    YearEndDoneOut,
    YearEndIn,
    YearEndOut,
)
from hazri.records.timeline import Record, student_record
from hazri.records.yearend import YearEnd, year_end

router = Router(tags=["records"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


@router.get(
    "/students/{student_id}/record",
    response={200: RecordOut, **ERRORS},
    summary="A child's lifelong record: schools, classes, attendance, results, transfers",
)
def get_record(request: HttpRequest, student_id: PathId) -> dict[str, Any]:
    student = access.student_visible(request.user, student_id)
    return record_out(student_record(student))


@router.get(
    "/sections/{section_id}/year-end",
    response={200: YearEndOut, **ERRORS},
    summary="Year end: the roll with each child's result and where each goes next session",
)
def get_year_end(request: HttpRequest, section_id: PathId) -> dict[str, Any]:
    section = selectors.section_to_promote(request.user, section_id)
    return year_end_out(year_end(section))


@router.post(
    "/sections/{section_id}/year-end",
    response={201: YearEndDoneOut, **ERRORS},
    summary="Promote the section into next session by the recorded results",
)
def post_year_end(request: HttpRequest, section_id: PathId, payload: YearEndIn) -> Status:
    section = selectors.section_to_promote(request.user, section_id)
    _plan, made = services.year_end_promote(
        section=section,
        to=selectors.section_named(request.user, payload.to, field="to"),
        repeat_in=selectors.section_named(request.user, payload.repeat_in, field="repeat_in"),
        by=request_user(request),
    )
    placed = [{"student": e.student_id, "section": e.section_id, "origin": e.origin} for e in made]
    return Status(201, {"placed": placed})


@router.post(
    "/students/{student_id}/transfer-certificates",
    response={201: TransferCertificateOut, **ERRORS},
    summary="Issue a transfer certificate: the child leaves the school (struck off)",
)
def post_tc(request: HttpRequest, student_id: PathId, payload: TransferCertificateIn) -> Status:
    student = access.student_visible(request.user, student_id)
    school = selectors.school_leaving(student)
    if school is None:
        raise NotFound(
            f"{student.name} is on no school's roll.", field="student", code="not_on_roll"
        )
    tc = services.tc_issue(
        student=student,
        school=school,
        left_on=payload.left_on,
        reason=payload.reason,
        conduct=payload.conduct,
        dues_cleared=payload.dues_cleared,
        remarks=payload.remarks,
        by=request_user(request),
    )
    return Status(201, tc_out(tc))


@router.get(
    "/transfer-certificates/{tc_id}",
    response={200: TransferCertificateOut, **ERRORS},
    summary="A transfer certificate",
)
def get_tc(request: HttpRequest, tc_id: PathId) -> dict[str, Any]:
    return tc_out(selectors.tc_visible(request.user, tc_id))


@router.post(
    "/transfer-certificates/{tc_id}/cancel",
    response={200: TransferCertificateOut, **ERRORS},
    summary="Cancel a transfer certificate issued in error",
)
def cancel_tc(
    request: HttpRequest, tc_id: PathId, payload: TransferCertificateCancelIn
) -> dict[str, Any]:
    tc = selectors.tc_visible(request.user, tc_id)
    return tc_out(services.tc_cancel(tc=tc, reason=payload.reason, by=request_user(request)))


@router.get(
    "/schools/{school_id}/transfer-certificates/lookup",
    response={200: TransferCertificateOut, **ERRORS},
    summary="A transfer certificate by its number (typed or scanned), before admitting from it",
)
def lookup_tc(
    request: HttpRequest, school_id: PathId, query: Query[CertificateNumberQuery]
) -> dict[str, Any]:
    selectors.school_to_admit(request.user, school_id)
    return tc_out(services.tc_find(query.number))


@router.post(
    "/schools/{school_id}/admissions/from-transfer-certificate",
    response={201: AdmittedFromCertificateOut, **ERRORS},
    summary="Admit a child from their transfer certificate: the same record follows them",
)
def admit_from_tc(
    request: HttpRequest, school_id: PathId, payload: AdmitFromCertificateIn
) -> Status:
    school = selectors.school_to_admit(request.user, school_id)
    section = selectors.section_named(request.user, payload.section, field="section")
    assert section is not None
    if section.school_id != school.pk:
        raise NotFound(f"No section {payload.section} at {school.name}.", field="section")
    enrolment = services.tc_admit(
        number=payload.number,
        section=section,
        admission_no=payload.admission_no,
        admitted_on=payload.admitted_on,
        by=request_user(request),
    )
    return Status(
        201,
        {
            "student": enrolment.student_id,
            "admission": enrolment.admission_id,
            "enrolment": enrolment.pk,
            "section": enrolment.section_id,
        },
    )


# --- Shapes shared with the pages ---------------------------------------------------------


def tc_out(tc: TransferCertificate) -> dict[str, Any]:
    return {
        **{
            name: getattr(tc, name)
            for name in (
                "id",
                "number",
                "student_name",
                "date_of_birth",
                "admission_no",
                "admitted_on",
                "left_on",
                "last_class",
                "session",
                "result",
                "qualified_for_promotion",
                "meetings_held",
                "meetings_attended",
                "conduct",
                "reason",
                "dues_cleared",
                "remarks",
                "issued_on",
                "status",
                "cancel_reason",
            )
        },
        "school": tc.school_id,
        "school_name": tc.school.name,
        "student": tc.student_id,
        "credential": tc.credential_id,
    }


def _section_out(section: Section | None) -> dict[str, Any] | None:
    if section is None:
        return None
    return {"id": section.pk, "label": section.label, "session": section.academic_year.name}


def year_end_out(plan: YearEnd) -> dict[str, Any]:
    return {
        "section": plan.section.pk,
        "last_day": plan.last_day,
        "children": [vars(child) for child in plan.children],
        "to": _section_out(plan.to),
        "repeat_in": _section_out(plan.repeat_in),
        "sections_next_class": [_section_out(s) for s in plan.choices_to],
        "sections_same_class": [_section_out(s) for s in plan.choices_repeat],
        "missing_results": [child.student for child in plan.missing],
        "already_promoted": plan.already_promoted,
    }


def record_out(record: Record) -> dict[str, Any]:
    student = record.student
    return {
        "student": student.pk,
        "name": student.name,
        "name_local": student.name_local,
        "date_of_birth": student.date_of_birth,
        "schools": [
            {
                "school": a.school_id,
                "school_name": a.school.name,
                "admission_no": a.admission_no,
                "admitted_on": a.admitted_on,
                "left_on": a.left_on,
                "leaving_reason": a.leaving_reason,
            }
            for a in record.admissions
        ],
        "sessions": [
            {
                "name": s.name,
                "starts_on": s.starts_on,
                "ends_on": s.ends_on,
                "enrolments": [
                    {
                        "school": e.school_id,
                        "section": e.section_id,
                        "label": e.section.label,
                        "origin": e.origin,
                        "starts_on": e.starts_on,
                        "ends_on": e.ends_on,
                    }
                    for e in s.enrolments
                ],
                "held": s.held,
                "attended": s.attended,
                "percent": s.percent,
                "months": [vars(m) for m in s.months],
                "results": [
                    {
                        "section": r.section_id,
                        "result": r.result,
                        "percentage": r.percentage,
                        "remarks": r.remarks,
                        "version": r.version,
                        "current": r.is_current,
                        "reason": r.reason,
                        "recorded_at": r.recorded_at,
                    }
                    for r in s.results
                ],
                "final_grades": [{"subject": g.subject.name, "value": g.value} for g in s.grades],
            }
            for s in record.sessions
        ],
        "transfer_certificates": [tc_out(tc) for tc in record.certificates],
        "documents": [
            {
                "id": d.pk,
                "kind": d.kind,
                "name": d.name,
                "school": d.school_id,
                "issued_at": d.issued_at,
                "revoked": d.revoked_at is not None,
            }
            for d in record.documents
        ],
    }
