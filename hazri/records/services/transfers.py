"""Transfer certificates: issued when a child leaves (which strikes them off), used by
the receiving school to admit the same child in one step, cancelled when withdrawn."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hazri.accounts.access import Action, actor_of, require_role
from hazri.accounts.models import User
from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Invalid, NotFound
from hazri.credentials.services import credential_issue, credential_revoke
from hazri.credentials.verify import verify_qr
from hazri.org import selectors as org
from hazri.org.models import School, Section
from hazri.people.models import Admission, Enrolment, Student
from hazri.people.services import student_admit, student_strike_off
from hazri.records import rules
from hazri.records.models import TransferCertificate
from hazri.records.signals import tc_cancelled, tc_issued
from hazri.registers.models import ExamResult
from hazri.registers.statements import student_statement

TC = TransferCertificate


def tc_issue(
    *,
    student: Student,
    school: School,
    left_on: dt.date,
    reason: str,
    conduct: str,
    dues_cleared: bool,
    by: User,
    remarks: str = "",
    now: dt.datetime | None = None,
) -> TransferCertificate:
    """Issue the school's TC for a child on its roll, whose last day on it is `left_on`
    (inclusive): the certificate, with the facts it states copied from the record, and
    the child struck off, in one transaction."""
    require_role(actor_of(by), Action.ISSUE, school, field="school")
    reason, conduct, remarks = reason.strip(), conduct.strip(), remarks.strip()
    if not reason:
        raise Invalid("Say why the child leaves.", field="reason", code="required")
    if not conduct:
        raise Invalid("State the child's conduct.", field="conduct", code="required")
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        School.objects.select_for_update().filter(pk=school.pk).first()  # one serial at a time
        admission = (
            Admission.objects.filter(student=student, school=school, left_on__isnull=True)
            .order_by("-admitted_on")
            .first()
        )
        enrolment = (
            Enrolment.objects.filter(admission=admission, ends_on__isnull=True)
            .select_related("section__academic_year")
            .first()
            if admission is not None
            else None
        )
        if admission is None or enrolment is None:
            raise NotFound(
                f"{student.name} is not on the roll of {school.name}.",
                field="student",
                code="not_on_roll",
            )
        section = enrolment.section
        exam = ExamResult.objects.filter(section=section, student=student, is_current=True).first()
        statement = student_statement(
            student=student,
            start=max(section.academic_year.starts_on, admission.admitted_on),
            end=left_on,
            schools=School.objects.filter(pk=school.pk),
        )
        serial = (TC.objects.filter(school=school).aggregate(last=Max("serial"))["last"] or 0) + 1
        tc = TC.objects.create(
            school=school,
            student=student,
            admission=admission,
            serial=serial,
            number=rules.tc_number(school.code, serial),
            issued_on=org.school_today(school, now),
            student_name=student.name,
            date_of_birth=student.date_of_birth,
            admission_no=admission.admission_no,
            admitted_on=admission.admitted_on,
            left_on=left_on,
            last_class=section.label,
            session=section.academic_year.name,
            result=exam.result if exam else "",
            qualified_for_promotion=rules.qualified_for_promotion(exam.result if exam else None),
            meetings_held=statement.total.held,
            meetings_attended=statement.total.attended,
            conduct=conduct[:100],
            reason=reason[:200],
            dues_cleared=dues_cleared,
            remarks=remarks[:300],
            issued_by=by,
            issued_at=now,
        )
        student_strike_off.nested(
            student=student,
            school=school,
            last_day=left_on,
            reason=f"TC {tc.number}: {reason}",
            by=by,
        )
        tc.credential = _sign(tc, school, student, by)
        tc.save(update_fields=["credential"])
        audit_record(
            user=by,
            action="tc.issue",
            obj=tc,
            school_id=school.pk,
            detail={"student": student.pk, "number": tc.number, "left_on": str(left_on)},
        )
        transaction.on_commit(lambda: tc_issued.send(sender=TC, certificate=tc))
    return tc


def tc_cancel(*, tc: TransferCertificate, reason: str, by: User) -> TransferCertificate:
    """Withdraw a TC issued in error: it can no longer admit the child anywhere. The
    child stays struck off (the school re-admits them if they stay)."""
    require_role(actor_of(by), Action.ISSUE, tc.school, field="certificate")
    reason = reason.strip()
    if not reason:
        raise Invalid("Say why the certificate is cancelled.", field="reason", code="required")
    with transaction.atomic(durable=True):
        locked = TC.objects.select_for_update().get(pk=tc.pk)
        if locked.status != TC.Status.ISSUED:
            raise Conflict(
                f"TC {locked.number} is {locked.get_status_display()}: it cannot be cancelled.",
                field="certificate",
                code=f"already_{locked.status}",
            )
        locked.status = TC.Status.CANCELLED
        locked.cancelled_by = by
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = reason[:300]
        locked.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
        if locked.credential is not None:
            credential_revoke(credential=locked.credential, reason=locked.cancel_reason, by=by)
        audit_record(
            user=by,
            action="tc.cancel",
            obj=locked,
            school_id=locked.school_id,
            detail={"reason": locked.cancel_reason},
        )
        transaction.on_commit(lambda: tc_cancelled.send(sender=TC, certificate=locked))
    return locked


def tc_find(number: str) -> TransferCertificate:
    """The TC with this number, typed, or read from its QR (then checked: an altered or
    revoked document admits nobody); NotFound otherwise."""
    if rules.is_qr_text(number):
        return _from_qr(number)
    wanted = rules.parse_tc_number(number)
    found = (
        TC.objects.filter(number=wanted).select_related("school", "student").first()
        if wanted
        else None
    )
    if found is None:
        raise NotFound(f"No transfer certificate {wanted or number!r}.", field="number")
    return found


def tc_admit(
    *,
    number: str,
    section: Section,
    admission_no: str,
    admitted_on: dt.date,
    by: User,
) -> Enrolment:
    """Admit the child a TC was issued for into `section`, as a new admission of its
    school: the same Student record (their history follows them), the TC marked used."""
    require_role(actor_of(by), Action.ADMIT, section.school, section=section, field="section")
    with transaction.atomic(durable=True):
        tc = tc_find(number)
        tc = TC.objects.select_for_update().get(pk=tc.pk)
        if tc.status != TC.Status.ISSUED:
            raise Conflict(
                f"TC {tc.number} is {tc.get_status_display()}: it cannot admit anyone.",
                field="number",
                code=f"tc_{tc.status}",
            )
        if tc.school_id == section.school_id:
            raise Invalid(
                "A school does not admit from its own transfer certificate: "
                "re-admit the child instead.",
                field="number",
                code="same_school",
            )
        if admitted_on <= tc.left_on:
            raise Invalid(
                f"The child was on the roll of the old school until {tc.left_on}.",
                field="admitted_on",
                code="before_leaving",
            )
        enrolment = student_admit.nested(
            section=section,
            student=tc.student,
            admission_no=admission_no,
            admitted_on=admitted_on,
            origin=Enrolment.Origin.NEW,
            by=by,
        )
        tc.status = TC.Status.USED
        tc.admitted_as = enrolment.admission
        tc.save(update_fields=["status", "admitted_as"])
        audit_record(
            user=by,
            action="tc.admit",
            obj=tc,
            school_id=section.school_id,
            detail={"student": tc.student_id, "admission": enrolment.admission_id},
        )
    return enrolment


def _sign(tc: TransferCertificate, school: School, student: Student, by: User) -> Any:
    """The TC as a signed document: its facts in the Verifiable Credential, the
    essentials in the QR (a receiving school scans it to admit)."""
    subject = {
        "type": "TransferCertificate",
        "number": tc.number,
        "student": {
            "name": tc.student_name,
            "stateId": student.state_id or "",
            "dateOfBirth": tc.date_of_birth.isoformat() if tc.date_of_birth else "",
        },
        "school": {"name": school.name, "code": school.code},
        "admissionNumber": tc.admission_no,
        "admittedOn": tc.admitted_on.isoformat(),
        "leftOn": tc.left_on.isoformat(),
        "lastClass": tc.last_class,
        "session": tc.session,
        "result": tc.result,
        "qualifiedForPromotion": tc.qualified_for_promotion,
        "meetingsHeld": tc.meetings_held,
        "meetingsAttended": tc.meetings_attended,
        "conduct": tc.conduct,
        "reason": tc.reason,
        "duesCleared": tc.dues_cleared,
        "issuedOn": tc.issued_on.isoformat(),
    }
    compact = {
        "no": tc.number,
        "n": tc.student_name[:60],
        "s": school.code,
        "c": f"{tc.last_class} {tc.session}",
        "r": tc.result or "-",
        "d": tc.left_on.isoformat(),
    }
    if student.state_id:
        compact["id"] = student.state_id
    return credential_issue(
        kind="transfer_certificate",
        school=school,
        student=student,
        subject=subject,
        compact=compact,
        by=by,
        name=f"Transfer certificate {tc.number}",
    )


def _from_qr(text: str) -> TransferCertificate:
    verdict = verify_qr(text.strip(), field="number")
    if verdict.status != "genuine" or verdict.kind != "transfer_certificate":
        raise Conflict(
            f"This QR code is not a genuine transfer certificate ({verdict.status}).",
            field="number",
            code=f"qr_{verdict.status}",
        )
    found = (
        TC.objects.filter(credential_id=verdict.number).select_related("school", "student").first()
        if verdict.number is not None
        else None
    )
    if found is None:
        raise NotFound("No transfer certificate for this QR code.", field="number")
    return found
