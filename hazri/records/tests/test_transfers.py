"""A transfer certificate out of Rampur and the admission in at Khedi from it: the same
Student follows the child, with their attendance history."""

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from hazri.people.models import Admission, Enrolment
from hazri.records.models import TransferCertificate
from hazri.registers.services import exam_result_set
from hazri.registers.tests.test_register import mark
from hazri.testing.world import SCHOOL_DAY, World

from .conftest import Khedi, signed_in

LEFT = SCHOOL_DAY + dt.timedelta(days=2)

pytestmark = pytest.mark.usefixtures("signing")


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def tc_body(**changes: Any) -> dict[str, Any]:
    body = {
        "left_on": LEFT.isoformat(),
        "reason": "Family moved to Khedi",
        "conduct": "Good",
        "dues_cleared": True,
    }
    return {**body, **changes}


def admit_body(number: str, khedi: Khedi, **changes: Any) -> dict[str, Any]:
    body = {
        "number": number,
        "section": khedi.section.pk,
        "admission_no": "K-0101",
        "admitted_on": (LEFT + dt.timedelta(days=3)).isoformat(),
    }
    return {**body, **changes}


def test_transfer_out_and_admission_in_from_the_certificate(world: World, khedi: Khedi) -> None:
    zoya = world.students[1]
    mark(world, SCHOOL_DAY, "PPAPP")  # roll order: Aarav, Bhavna, Zoya, Diya, Kabir
    mark(world, SCHOOL_DAY, "PPPPP", meeting=2)
    exam_result_set(section=world.section, student=zoya, result="passed", by=world.ravi)
    ravi = signed_in(world.ravi)
    issued = post(ravi, f"/students/{zoya.pk}/transfer-certificates", tc_body())
    assert issued.status_code == 201, issued.content
    tc = issued.json()
    assert tc["number"] == f"TC-{world.school.code}-00001"
    assert (tc["admission_no"], tc["last_class"], tc["session"]) == ("0002", "5 A", "2026-27")
    assert (tc["result"], tc["qualified_for_promotion"]) == ("passed", "yes")
    assert (tc["meetings_held"], tc["meetings_attended"]) == (2, 1)
    # Struck off Rampur's roll on her last day, through people's services.
    rampur = Admission.objects.get(student=zoya, school=world.school)
    assert rampur.left_on == LEFT and tc["number"] in rampur.leaving_reason
    # The next certificate of the school has the next number.
    second = post(ravi, f"/students/{world.students[2].pk}/transfer-certificates", tc_body())
    assert second.json()["number"] == f"TC-{world.school.code}-00002"

    kavita = signed_in(khedi.head)
    scanned = f"https://hazri.example/tc/{tc['number'].lower()}"
    looked = kavita.get(
        f"/api/v1/schools/{world.other_school.pk}/transfer-certificates/lookup",
        {"number": scanned},
    )
    assert looked.status_code == 200 and looked.json()["student_name"] == "Zoya Khan"
    admitted = post(
        kavita,
        f"/schools/{world.other_school.pk}/admissions/from-transfer-certificate",
        admit_body(scanned, khedi),
    )
    assert admitted.status_code == 201, admitted.content
    assert admitted.json()["student"] == zoya.pk  # the same record follows the child
    enrolment = Enrolment.objects.get(pk=admitted.json()["enrolment"])
    assert (enrolment.school, enrolment.section, enrolment.origin) == (
        world.other_school,
        khedi.section,
        "new",
    )
    assert TransferCertificate.objects.get(pk=tc["id"]).status == "used"
    # Her record, seen from Khedi now, carries Rampur's attendance.
    record = kavita.get(f"/api/v1/students/{zoya.pk}/record").json()
    assert [s["school_name"] for s in record["schools"]] == ["GPS Rampur", "GPS Khedi"]
    [session] = record["sessions"]
    assert [e["label"] for e in session["enrolments"]] == ["5 A", "5 A"]
    assert (session["held"], session["attended"]) == (2, 1)
    assert session["results"][0]["result"] == "passed"
    assert record["transfer_certificates"][0]["status"] == "used"
    # Rampur's staff no longer see her; a certificate admits once.
    assert ravi.get(f"/api/v1/students/{zoya.pk}/record").status_code == 404
    twice = post(
        kavita,
        f"/schools/{world.other_school.pk}/admissions/from-transfer-certificate",
        admit_body(tc["number"], khedi, admission_no="K-0102"),
    )
    assert twice.status_code == 409 and twice.json()["errors"][0]["code"] == "tc_used"


def test_bad_certificates_are_refused_with_the_field(world: World, khedi: Khedi) -> None:
    zoya = world.students[1]
    ravi = signed_in(world.ravi)
    path = f"/students/{zoya.pk}/transfer-certificates"
    for body, field in [
        (tc_body(reason="  "), "reason"),
        (tc_body(conduct=""), "conduct"),
        (tc_body(conduct="Go\x00od"), "conduct"),
        (tc_body(left_on="2026-03-01"), "left_on"),  # before she was on this roll
        (tc_body(left_on="18-11-2026"), "left_on"),
        (tc_body(dues_cleared="perhaps"), "dues_cleared"),
    ]:
        refused = post(ravi, path, body)
        assert refused.status_code == 422, (body, refused.content)
        assert refused.json()["errors"][0]["field"] == field, refused.content
    # Who may not issue: a teacher and an officer see her (403); her father too.
    for user in (world.asha, world.meera, world.imran):
        assert post(signed_in(user), path, tc_body()).status_code == 403
    # Not theirs: Khedi's head.
    assert post(signed_in(khedi.head), path, tc_body()).status_code == 404
    assert not TransferCertificate.objects.exists()
    assert Admission.objects.get(student=zoya, school=world.school).left_on is None

    number = post(ravi, path, tc_body()).json()["number"]
    kavita = signed_in(khedi.head)
    admit = f"/schools/{world.other_school.pk}/admissions/from-transfer-certificate"
    for body, status, field in [
        (admit_body("TC-00000000000-00009", khedi), 404, "number"),
        (admit_body(number, khedi, admitted_on=LEFT.isoformat()), 422, "admitted_on"),
        (admit_body(number, khedi, section=world.section.pk), 404, "section"),
        (admit_body(number, khedi, admission_no=""), 422, "admission_no"),
        (admit_body(number, khedi, admission_no="0001\x1b"), 422, "admission_no"),
    ]:
        refused = post(kavita, admit, body)
        assert refused.status_code == status, (body, refused.content)
        assert refused.json()["errors"][0]["field"] == field
    # Rampur's head may not admit at Khedi; Khedi's teacher may see the school, not admit.
    assert post(ravi, admit, admit_body(number, khedi)).status_code == 404
    assert post(signed_in(world.suresh), admit, admit_body(number, khedi)).status_code == 403
    assert not Admission.objects.filter(school=world.other_school, student=zoya).exists()


def test_a_cancelled_certificate_admits_nobody(world: World, khedi: Khedi) -> None:
    zoya = world.students[1]
    ravi = signed_in(world.ravi)
    tc = post(ravi, f"/students/{zoya.pk}/transfer-certificates", tc_body()).json()
    cancel = f"/transfer-certificates/{tc['id']}/cancel"
    assert post(ravi, cancel, {"reason": ""}).status_code == 422
    assert post(signed_in(world.imran), cancel, {"reason": "x"}).status_code == 403
    cancelled = post(ravi, cancel, {"reason": "Issued in error"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert post(ravi, cancel, {"reason": "again"}).status_code == 409
    refused = post(
        signed_in(khedi.head),
        f"/schools/{world.other_school.pk}/admissions/from-transfer-certificate",
        admit_body(tc["number"], khedi),
    )
    assert refused.status_code == 409 and refused.json()["errors"][0]["code"] == "tc_cancelled"
    # Her family sees the certificate; another school does not.
    assert (
        signed_in(world.imran).get(f"/api/v1/transfer-certificates/{tc['id']}").status_code == 200
    )
    assert signed_in(khedi.head).get(f"/api/v1/transfer-certificates/{tc['id']}").status_code == 404


def test_the_certificate_is_signed_and_its_qr_admits(world: World, khedi: Khedi) -> None:
    from hazri.credentials.models import Credential
    from hazri.credentials.selectors import qr_code
    from hazri.credentials.verify import verify_qr

    zoya = world.students[1]
    ravi = signed_in(world.ravi)
    tc = post(ravi, f"/students/{zoya.pk}/transfer-certificates", tc_body()).json()
    credential = Credential.objects.get(pk=tc["credential"])
    assert credential.kind == "transfer_certificate" and credential.student == zoya
    assert verify_qr(credential.qr).status == "genuine"
    # Printed on paper and scanned by a phone: it stays a small code.
    assert qr_code(credential).version <= 11, (len(credential.qr), qr_code(credential).version)
    assert credential.document["credentialSubject"]["number"] == tc["number"]
    printed = ravi.get(f"/records/transfer-certificates/{tc['id']}/")
    assert b"data-tc-qr" in printed.content and b"<svg" in printed.content
    # The record lists the document.
    record = signed_in(world.imran).get(f"/api/v1/students/{zoya.pk}/record").json()
    assert [d["id"] for d in record["documents"]] == [credential.pk]
    # A QR with one character changed is refused; the genuine one admits.
    kavita = signed_in(khedi.head)
    admit = f"/schools/{world.other_school.pk}/admissions/from-transfer-certificate"
    body = admit_body(credential.qr, khedi)
    tampered = credential.qr[:-3] + ("A" if credential.qr[-3] != "A" else "B") + credential.qr[-2:]
    refused = post(kavita, admit, {**body, "number": tampered})
    assert refused.status_code in (409, 422) and refused.json()["errors"][0]["field"] == "number"
    admitted = post(kavita, admit, body)
    assert admitted.status_code == 201, admitted.content
    assert admitted.json()["student"] == zoya.pk


def test_cancelling_revokes_the_signed_document(world: World, khedi: Khedi) -> None:
    from hazri.credentials.models import Credential
    from hazri.credentials.verify import verify_qr

    ravi = signed_in(world.ravi)
    tc = post(ravi, f"/students/{world.students[1].pk}/transfer-certificates", tc_body()).json()
    post(ravi, f"/transfer-certificates/{tc['id']}/cancel", {"reason": "Issued in error"})
    credential = Credential.objects.get(pk=tc["credential"])
    assert credential.revoked_at is not None and credential.revoked_reason == "Issued in error"
    assert verify_qr(credential.qr).status == "revoked"
    refused = post(
        signed_in(khedi.head),
        f"/schools/{world.other_school.pk}/admissions/from-transfer-certificate",
        admit_body(credential.qr, khedi),
    )
    assert refused.status_code == 409 and refused.json()["errors"][0]["code"] == "qr_revoked"
