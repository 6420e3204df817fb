"""The register's API: JSON register, certification, approvals, summary, statement,
fees and exam results."""

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import load_workbook

from hazri.attendance.models import RollCall
from hazri.attendance.tests.conftest import login
from hazri.registers.models import ExamResult, FeeRecord

from .test_register import mark


def test_the_register_as_json(world, client) -> None:
    mark(world, dt.date(2026, 10, 1), "PAPPP")
    api = login(client, world.asha)
    body = api.get(f"/sections/{world.section.pk}/register", month="2026-10").json()
    assert body["month"] == "2026-10-01" and body["meetings_per_day"] == 2
    assert len(body["columns"]) == 62 and body["meetings_held"] == 1
    assert [r["name"] for r in body["rows"]][:2] == ["Aarav Sharma", "Bhavna Meena"]
    assert body["rows"][1]["cells"][0] == {"kind": "absent", "text": "A", "changes": []}
    assert body["totals"][0] == {"present": 4, "absent": 1, "leave": 0, "marked": True}
    assert body["certification"] is None


def test_bad_months_are_refused(world, client) -> None:
    api = login(client, world.asha)
    for month in ["2026-13", "2026-1", "october", "2026-10-01"]:
        response = api.get(f"/sections/{world.section.pk}/register", month=month)
        assert response.status_code == 422, month
        assert response.json()["errors"][0]["field"] == "month"


def test_certify_and_approve_through_the_api(world, client) -> None:
    mark(world, dt.date(2026, 10, 1), "PAPPP")
    ravi, meera, asha = (login(client, u) for u in (world.ravi, world.meera, world.asha))
    path = f"/sections/{world.section.pk}/register/certify"
    assert asha.post(path, {"month": "2026-10", "checked_by": "S. Mishra"}).status_code == 403
    done = ravi.post(path, {"month": "2026-10", "checked_by": "S. Mishra"})
    assert done.status_code == 201 and done.json()["checked_by"] == "S. Mishra"
    again = ravi.post(path, {"month": "2026-10", "checked_by": "S. Mishra"})
    assert again.status_code == 409
    mark(world, dt.date(2026, 10, 1), "PPPPP", by=world.ravi, hour=18, note="marked wrongly")
    pending = meera.get("/corrections/pending").json()
    assert len(pending) == 1 and pending[0]["approval"] == "pending"
    assert (
        ravi.post(f"/rollcalls/{pending[0]['id']}/decision", {"approve": True}).status_code == 403
    )
    decided = meera.post(f"/rollcalls/{pending[0]['id']}/decision", {"approve": True})
    assert decided.status_code == 200 and decided.json()["is_current"] is True
    body = asha.get(f"/sections/{world.section.pk}/register", month="2026-10").json()
    assert body["certification"]["checked_by"] == "S. Mishra"
    cell = body["rows"][1]["cells"][0]
    assert cell["text"] == "1" and cell["changes"][0]["after_certification"] is True


def test_the_state_portal_summary(world, client) -> None:
    # Two school days of October marked in full, one forenoon only.
    mark(world, dt.date(2026, 10, 1), "PAPPP")
    mark(world, dt.date(2026, 10, 1), "PPPPP", meeting=2, hour=13)
    mark(world, dt.date(2026, 10, 3), "PPPLD")
    api = login(client, world.ravi)
    rows = api.get("/reports/monthly-summary", month="2026-10", school=world.school.pk).json()
    assert len(rows) == 1
    row = rows[0]
    # October 2026 has 31 days, 4 Sundays: 27 working days in this world's calendar.
    assert (row["enrolled"], row["girls"], row["boys"], row["working_days"]) == (5, 3, 2, 27)
    assert row["days_marked"] == 2
    assert Decimal(row["attendance_days"]) == Decimal("6.50")  # (4 + 5 + 4) / 2
    assert Decimal(row["average_attendance"]) == Decimal("0.24")  # 6.5 / 27
    as_csv = api.get(
        "/reports/monthly-summary", month="2026-10", school=world.school.pk, format="csv"
    )
    assert as_csv["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert lines[0][0] == "School code" and lines[1][0] == world.school.code
    as_xlsx = api.get(
        "/reports/monthly-summary", month="2026-10", school=world.school.pk, format="xlsx"
    )
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet["E2"].value == 5 and sheet["J2"].value == 6.5


def test_a_block_summary_covers_its_schools(world, client) -> None:
    api = login(client, world.meera)
    rows = api.get("/reports/monthly-summary", month="2026-10", unit=world.block.pk).json()
    assert {r["school_code"] for r in rows} == {world.school.code, world.other_school.code}
    # A teacher asking for the block gets it as far as he may see it: his own school.
    own = (
        login(client, world.suresh)
        .get("/reports/monthly-summary", month="2026-10", unit=world.block.pk)
        .json()
    )
    assert {r["school_code"] for r in own} == {world.other_school.code}
    imran = login(client, world.imran)
    nothing = imran.get("/reports/monthly-summary", month="2026-10", unit=world.block.pk)
    assert nothing.status_code == 404
    both = api.get(
        "/reports/monthly-summary", month="2026-10", unit=world.block.pk, school=world.school.pk
    )
    assert both.status_code == 422


def test_a_parent_reads_the_statement_of_their_own_child_only(world, client) -> None:
    mark(world, dt.date(2026, 10, 1), "PAPPP")
    mark(world, dt.date(2026, 10, 3), "PPAPP")
    zoya, bhavna = world.students[1], world.students[2]
    imran = login(client, world.imran)
    body = imran.get(f"/students/{zoya.pk}/attendance", start="2026-10-01", end="2026-10-31").json()
    assert body["total"]["held"] == 2 and body["total"]["absent"] == 1
    assert body["absent_days"] == ["2026-10-03"]
    assert body["months"][0]["month"] == "2026-10-01"
    assert (
        imran.get(
            f"/students/{bhavna.pk}/attendance", start="2026-10-01", end="2026-10-31"
        ).status_code
        == 404
    )
    backwards = imran.get(f"/students/{zoya.pk}/attendance", start="2026-10-31", end="2026-10-01")
    assert backwards.status_code == 422


def test_fees_for_the_front_pages(world, client) -> None:
    aarav = world.students[0]
    ravi = login(client, world.ravi)
    path = f"/students/{aarav.pk}/fees"
    paid = ravi.post(
        path,
        {
            "school": world.school.pk,
            "description": "Exam fee",
            "amount": "50.00",
            "receipt_no": "R-101",
            "paid_on": "2026-08-10",
        },
    )
    assert paid.status_code == 201, paid.content
    waived = ravi.post(
        path,
        {
            "school": world.school.pk,
            "description": "Tuition",
            "amount": "0",
            "concession_reason": "BPL family",
        },
    )
    assert waived.status_code == 201
    missing_receipt = ravi.post(
        path, {"school": world.school.pk, "description": "Exam fee", "amount": "50"}
    )
    assert missing_receipt.json()["errors"][0]["field"] == "receipt_no"
    duplicate = ravi.post(
        path,
        {
            "school": world.school.pk,
            "description": "Exam fee",
            "amount": "50",
            "receipt_no": "R-101",
        },
    )
    assert duplicate.status_code == 409
    assert [f["receipt_no"] for f in ravi.get(path).json()] == ["R-101", ""]
    meera = login(client, world.meera)
    assert (
        meera.post(
            path,
            {"school": world.school.pk, "description": "x", "amount": "1", "receipt_no": "R-9"},
        ).status_code
        == 403
    )
    assert FeeRecord.objects.count() == 2


def test_exam_results_for_the_last_month_page(world, client) -> None:
    aarav = world.students[0]
    ravi = login(client, world.ravi)
    path = f"/sections/{world.section.pk}/exam-results/{aarav.pk}"
    assert (
        ravi.client.put(
            f"/api/v1{path}",
            {"result": "passed", "percentage": "81.5"},
            content_type="application/json",
            headers=ravi.headers,
        ).status_code
        == 200
    )
    bad = ravi.client.put(
        f"/api/v1{path}", {"result": "great"}, content_type="application/json", headers=ravi.headers
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "result"
    over = ravi.client.put(
        f"/api/v1{path}",
        {"result": "passed", "percentage": "101"},
        content_type="application/json",
        headers=ravi.headers,
    )
    assert over.status_code == 422
    assert ExamResult.objects.get().percentage == Decimal("81.50")
    assert RollCall.objects.count() == 0


def test_former_teachers_do_not_follow_a_child_to_a_new_school(world, client) -> None:
    from hazri.people.models import Admission, Enrolment

    zoya = world.students[1]
    Enrolment.objects.filter(student=zoya).update(ends_on=dt.date(2026, 9, 30))
    admission = Admission.objects.create(
        school=world.other_school,
        student=zoya,
        admission_no="0077",
        admitted_on=dt.date(2026, 10, 1),
    )
    Enrolment.objects.create(
        school=world.other_school,
        section=world.other_section,
        student=zoya,
        admission=admission,
        origin="new",
        starts_on=dt.date(2026, 10, 1),
    )
    asha = login(client, world.asha)
    path = f"/students/{zoya.pk}/attendance"
    assert asha.get(path, start="2026-10-01", end="2026-10-31").status_code == 404
    suresh = login(client, world.suresh)
    assert suresh.get(path, start="2026-09-01", end="2026-10-31").status_code == 200
    # Her father still sees the whole year, across both schools.
    assert (
        login(client, world.imran).get(path, start="2026-04-01", end="2026-10-31").status_code
        == 200
    )


def test_a_family_sees_the_fees_of_every_school_staff_their_schools(world, client) -> None:
    """Zoya paid at Rampur and, before, at Khedi: Imran sees both receipts, Rampur's
    head only Rampur's, Khedi's teacher none (Zoya is not on Khedi's roll)."""
    zoya = world.students[1]
    for school, receipt in [(world.other_school, "K-1"), (world.school, "R-1")]:
        FeeRecord.objects.create(
            school=school,
            student=zoya,
            academic_year=world.year,
            description="Exam fee",
            amount="50.00",
            receipt_no=receipt,
            recorded_by=world.ravi,
            recorded_at=timezone.now(),
        )
    path = f"/students/{zoya.pk}/fees"

    def receipts(user) -> list[str]:
        response = login(client, user).get(path)
        return [f["receipt_no"] for f in response.json()] if response.status_code == 200 else []

    assert receipts(world.imran) == ["K-1", "R-1"]
    assert receipts(world.ravi) == ["R-1"]
    assert receipts(world.suresh) == []


def test_a_changed_exam_result_is_a_new_version_with_a_reason(world, client) -> None:
    aarav = world.students[0]
    ravi = login(client, world.ravi)
    path = f"/api/v1/sections/{world.section.pk}/exam-results/{aarav.pk}"

    def put(body: dict[str, str]) -> Any:
        return ravi.client.put(path, body, content_type="application/json", headers=ravi.headers)

    assert put({"result": "failed"}).json()["version"] == 1
    assert put({"result": "failed"}).json()["version"] == 1  # the same again: no change
    unexplained = put({"result": "supplementary"})
    assert unexplained.status_code == 422
    assert unexplained.json()["errors"][0]["field"] == "reason"
    changed = put({"result": "supplementary", "reason": "Re-totalled: 2 marks short"})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    versions = list(ExamResult.objects.filter(student=aarav).order_by("version"))
    assert [(v.result, v.is_current) for v in versions] == [
        ("failed", False),
        ("supplementary", True),
    ]
    assert versions[1].reason == "Re-totalled: 2 marks short"
    assert versions[1].recorded_by == world.ravi
