"""The records app's rows of the authorization matrix (merged in test_authorization_matrix):
the lifelong record, year end and transfer certificates."""

import datetime as dt
from typing import Any

from hazri.org.models import AcademicYear, Section
from hazri.people.models import Enrolment, Posting
from hazri.people.selectors import section_roll
from hazri.records.models import TransferCertificate
from hazri.records.rules import tc_number
from hazri.registers.models import ExamResult
from hazri.testing.world import SCHOOL_DAY

from .matrix_rules import API, FAMILY, SEES_SCHOOL, Place, Rule, _page, each

# Who admits, promotes and issues certificates: the head and the school administrator
# (and the superuser); the school's other staff and the officers see, and are refused.
SCHOOL_OFFICE = {"superuser", "head", "school_admin"}
# A family sees the child's record and certificates, and may not issue or cancel one.
FAMILY_REFUSED = dict.fromkeys(FAMILY, 403)


def year_end_body(p: Place) -> dict[str, Any]:
    """Next session's classes and every child's result (the request is rolled back)."""
    section = Section.objects.select_related("academic_year").get(pk=p.section)
    year = section.academic_year
    following = AcademicYear.objects.create(
        unit=year.unit,
        name="next",
        starts_on=year.ends_on + dt.timedelta(days=1),
        ends_on=year.ends_on + dt.timedelta(days=365),
    )
    up = Section.objects.create(
        school=section.school, academic_year=following, grade=section.grade + 1, name="A"
    )
    head = Posting.objects.filter(school=section.school).select_related("staff__user").first()
    recorder = head.staff.user if head is not None else None
    assert recorder is not None
    for member in section_roll(section, year.ends_on):
        ExamResult.objects.create(
            school=section.school,
            section=section,
            student_id=member.id,
            result="passed",
            recorded_by=recorder,
            recorded_at=dt.datetime.now(dt.UTC),
        )
    return {"to": up.pk}


def admit_body(p: Place) -> dict[str, Any]:
    """Another school's certificate, its child off that roll (the request is rolled back)."""
    tc = TransferCertificate.objects.exclude(school_id=p.school).get()
    Enrolment.objects.filter(student=tc.student, ends_on__isnull=True).update(ends_on=tc.left_on)
    return {
        "number": tc.number,
        "section": p.section,
        "admission_no": "M-1",
        "admitted_on": (tc.left_on + dt.timedelta(days=1)).isoformat(),
    }


TC_BODY = {
    "left_on": SCHOOL_DAY.isoformat(),
    "reason": "Family moved",
    "conduct": "Good",
    "dues_cleared": True,
}

RULES: dict[str, Rule] = {
    "GET /api/v1/students/{student_id}/record": Rule(
        "GET", lambda p: f"{API}/students/{p.student}/record", each(SEES_SCHOOL | FAMILY, 200)
    ),
    "GET /api/v1/sections/{section_id}/year-end": Rule(
        "GET",
        lambda p: f"{API}/sections/{p.section}/year-end",
        each(SCHOOL_OFFICE, 200),
        denied=403,
    ),
    "POST /api/v1/sections/{section_id}/year-end": Rule(
        "POST",
        lambda p: f"{API}/sections/{p.section}/year-end",
        each(SCHOOL_OFFICE, 201),
        denied=403,
        body=year_end_body,
    ),
    "POST /api/v1/students/{student_id}/transfer-certificates": Rule(
        "POST",
        lambda p: f"{API}/students/{p.student}/transfer-certificates",
        {**each(SCHOOL_OFFICE, 201), **FAMILY_REFUSED},
        denied=403,
        body=lambda p: TC_BODY,
    ),
    "GET /api/v1/transfer-certificates/{tc_id}": Rule(
        "GET",
        lambda p: f"{API}/transfer-certificates/{p.transfer_certificate}",
        each(SEES_SCHOOL | FAMILY, 200),
    ),
    "POST /api/v1/transfer-certificates/{tc_id}/cancel": Rule(
        "POST",
        lambda p: f"{API}/transfer-certificates/{p.transfer_certificate}/cancel",
        {**each(SCHOOL_OFFICE, 200), **FAMILY_REFUSED},
        denied=403,
        body=lambda p: {"reason": "Issued in error"},
    ),
    "GET /api/v1/schools/{school_id}/transfer-certificates/lookup": Rule(
        "GET",
        lambda p: f"{API}/schools/{p.school}/transfer-certificates/lookup",
        each(SCHOOL_OFFICE, 200),
        denied=403,
        # The world's certificate (matrix_world); another school looks it up.
        query={"number": tc_number("23370100101", 1)},
    ),
    "POST /api/v1/schools/{school_id}/admissions/from-transfer-certificate": Rule(
        "POST",
        lambda p: f"{API}/schools/{p.school}/admissions/from-transfer-certificate",
        each(SCHOOL_OFFICE, 201),
        denied=403,
        body=admit_body,
    ),
}

PAGES: dict[str, Rule] = {
    "records_record": _page(
        lambda p: f"/records/students/{p.student}/", each(SEES_SCHOOL | FAMILY, 200)
    ),
    "records_tc_issue": _page(
        lambda p: f"/records/students/{p.student}/transfer-certificate/",
        {**each(SCHOOL_OFFICE, 200), **FAMILY_REFUSED},
        denied=403,
    ),
    "records_tc": _page(
        lambda p: f"/records/transfer-certificates/{p.transfer_certificate}/",
        each(SEES_SCHOOL | FAMILY, 200),
    ),
    "records_tc_cancel": Rule(
        "POST",
        lambda p: f"/records/transfer-certificates/{p.transfer_certificate}/cancel/",
        {**each(SCHOOL_OFFICE, 302), **FAMILY_REFUSED},
        denied=403,
        anonymous=302,
        body=lambda p: {"reason": "Issued in error"},
    ),
    "records_year_end": _page(
        lambda p: f"/records/sections/{p.section}/year-end/", each(SCHOOL_OFFICE, 200), denied=403
    ),
    "records_tc_admit": _page(
        lambda p: f"/records/schools/{p.school}/admit/", each(SCHOOL_OFFICE, 200), denied=403
    ),
}
