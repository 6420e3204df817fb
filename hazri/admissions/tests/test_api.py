"""The admissions API: a family with no account verifies its phone, applies, follows
and corrects; the school's queue, seats and decisions; bad input is a 4xx naming the
field, never a 500 nor a half-written application."""

import base64
import logging
from typing import Any

import pytest
from django.test import Client, override_settings

from hazri.admissions.models import Application, PhoneCheck
from hazri.common.files import MAX_ATTACHMENT_BYTES
from hazri.people.models import Enrolment

from .adm_world import PDF, PHONE, PNG, AdmWorld, code_from_log

API = "/api/v1/admissions"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("console"),
]


@pytest.fixture
def console() -> Any:
    with override_settings(HAZRI_NOTIFY_DEFAULT_CHANNELS=["console"]):
        yield


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def body(aw: AdmWorld, **changes: Any) -> dict[str, Any]:
    world = aw.world
    found: dict[str, Any] = {
        "academic_year": world.year.pk,
        "grade": 1,
        "schools": [world.school.pk, world.other_school.pk],
        "child_name": "Aarav Sharma",
        "child_name_local": "आरव शर्मा",
        "gender": "M",
        "date_of_birth": "2020-06-01",
        "guardian_name": "Sunita Sharma",
        "guardian_phone": PHONE,
        "relation": "mother",
        "documents": [{"kind": "birth_certificate", "name": "birth.pdf", "data": _b64(PDF)}],
    }
    found.update(changes)
    return found


def _verified(
    client: Client, caplog: pytest.LogCaptureFixture, capture: Any, phone: str = PHONE
) -> dict[str, str]:
    caplog.set_level(logging.INFO, logger="hazri.notify")
    with capture(execute=True):
        sent = client.post(f"{API}/phone-codes", {"phone": phone}, content_type="application/json")
    assert sent.status_code == 201, sent.content
    code = code_from_log(caplog.text)
    verified = client.post(
        f"{API}/phone-codes/verify", {"phone": phone, "code": code}, content_type="application/json"
    )
    assert verified.status_code == 200, verified.content
    return {"HTTP_X_ADMISSION_TOKEN": verified.json()["token"]}


def test_a_family_without_an_account_applies_and_follows(
    aw: AdmWorld, caplog, django_capture_on_commit_callbacks
) -> None:
    world = aw.world
    family = Client()
    token = _verified(family, caplog, django_capture_on_commit_callbacks)
    schools = family.get(f"{API}/schools", {"q": "Rampur"}, **token)
    assert [s["id"] for s in schools.json()["schools"]] == [world.school.pk]

    with django_capture_on_commit_callbacks(execute=True):
        made = family.post(
            f"{API}/applications", body(aw), content_type="application/json", **token
        )
    assert made.status_code == 201, made.content
    application = made.json()
    assert application["status"] == "submitted" and application["school"] == world.school.pk
    assert [p["outcome"] for p in application["preferences"]] == ["considering", "waiting"]
    # The family was told (through notify's console here).
    assert application["reference"] in caplog.text

    listed = family.get(f"{API}/applications", **token).json()["applications"]
    assert [a["id"] for a in listed] == [application["id"]]
    # Without the token: who are you?
    assert Client().get(f"{API}/applications").status_code == 401

    # The head reviews and asks for a correction.
    head = Client()
    head.force_login(world.ravi)
    queue = head.get(f"{API}/schools/{world.school.pk}/queue", {"grade": 1}).json()
    assert [a["id"] for a in queue["applications"]] == [application["id"]]
    assert queue["seats"] == [
        {"grade": 1, "seats": 2, "on_roll": 0, "admitted": 0, "waiting": 1, "left": 2}
    ]
    url = f"{API}/applications/{application['id']}"
    assert head.post(f"{url}/review").json()["status"] == "under_review"
    asked = head.post(
        f"{url}/correction", {"note": "Photo missing"}, content_type="application/json"
    )
    assert asked.json()["status"] == "correction_asked"
    seen = family.get(url, **token).json()
    assert seen["correction_note"] == "Photo missing"

    photo = {"kind": "photo", "name": "child.png", "data": _b64(PNG)}
    fixed = body(aw, documents=[photo])
    resubmitted = family.post(f"{url}/resubmit", fixed, content_type="application/json", **token)
    assert resubmitted.status_code == 200, resubmitted.content
    assert {d["kind"] for d in resubmitted.json()["documents"]} == {"birth_certificate", "photo"}

    # The school reads the documents; the family too; nobody else.
    got = head.get(f"{url}/documents/photo")
    assert got.status_code == 200 and got.content == PNG
    assert got["Content-Type"] == "image/png" and got["Cache-Control"] == "private, no-store"
    assert family.get(f"{url}/documents/birth_certificate", **token).content == PDF
    teacher = Client()
    teacher.force_login(world.asha)
    assert teacher.get(f"{url}/documents/photo").status_code == 404
    assert teacher.get(url).status_code == 404

    admitted = head.post(
        f"{url}/admit", {"section": aw.rampur_1.pk}, content_type="application/json"
    )
    assert admitted.status_code == 200, admitted.content
    answer = admitted.json()
    assert answer["status"] == "admitted" and answer["admission_no"]
    assert Enrolment.objects.filter(section=aw.rampur_1).count() == 1
    steps = [e["status"] for e in family.get(url, **token).json()["events"]]
    assert steps == ["submitted", "under_review", "correction_asked", "resubmitted", "admitted"]


def test_a_signed_in_parent_applies(aw: AdmWorld) -> None:
    parent = Client()
    parent.force_login(aw.world.imran)
    made = parent.post(f"{API}/applications", body(aw), content_type="application/json")
    assert made.status_code == 201, made.content
    application = Application.objects.get()
    assert application.applicant_id == aw.world.imran.pk and application.verified_phone == ""
    # Another parent does not see it.
    other = Client()
    other.force_login(aw.world.meera)
    assert other.get(f"{API}/applications/{application.pk}").status_code == 404
    assert other.get(f"{API}/applications").json()["applications"] == []


def test_a_second_application_for_the_child_is_a_conflict(aw: AdmWorld) -> None:
    parent = Client()
    parent.force_login(aw.world.imran)
    assert (
        parent.post(f"{API}/applications", body(aw), content_type="application/json").status_code
        == 201
    )
    again = parent.post(f"{API}/applications", body(aw), content_type="application/json")
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "duplicate_application"


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"child_name": "A\x00B"}, 422, "child_name"),
        ({"guardian_name": "x\x00"}, 422, "guardian_name"),
        ({"state_id": "S" * 33}, 422, "state_id"),
        ({"gender": "Z"}, 422, "gender"),
        ({"grade": 13}, 422, "grade"),
        ({"schools": []}, 422, "schools"),
        ({"schools": [1, 2, 3, 4, 5, 6]}, 422, "schools"),
        ({"schools": [2**63]}, 422, "schools[0]"),
        ({"date_of_birth": "0"}, 422, "date_of_birth"),
        ({"guardian_phone": "phone"}, 422, "guardian_phone"),
        ({"academic_year": 10**9}, 404, "academic_year"),
        ({"documents": []}, 422, "documents.birth_certificate"),
        (
            {
                "documents": [
                    {"kind": "birth_certificate", "name": "b.exe", "data": _b64(b"MZ\x90")}
                ]
            },
            422,
            "documents.birth_certificate.data",
        ),
        (
            {"documents": [{"kind": "birth_certificate", "name": "b.pdf", "data": "@@@@"}]},
            422,
            "documents.birth_certificate.data",
        ),
        (
            {"documents": [{"kind": "photo", "name": "p.pdf", "data": _b64(PDF)}]},
            422,
            "documents.photo.data",
        ),
        (
            {
                "documents": [
                    {
                        "kind": "birth_certificate",
                        "name": "big.pdf",
                        "data": _b64(PDF + b"0" * MAX_ATTACHMENT_BYTES),
                    }
                ]
            },
            422,
            "documents.birth_certificate.data",
        ),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(
    aw: AdmWorld, changes: dict[str, Any], status: int, field: str
) -> None:
    parent = Client()
    parent.force_login(aw.world.imran)
    answer = parent.post(
        f"{API}/applications", body(aw, **changes), content_type="application/json"
    )
    assert answer.status_code == status, answer.content
    assert field in [e["field"] for e in answer.json()["errors"]], answer.json()
    assert not Application.objects.exists()


@override_settings(HAZRI_LOGIN_IP_FAILURES=5)
def test_guessing_codes_locks_the_address(
    aw: AdmWorld, caplog, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    caplog.set_level(logging.INFO, logger="hazri.notify")
    answers = []
    for n in range(10):
        phone = f"98000{n:05d}"
        client.post(f"{API}/phone-codes", {"phone": phone}, content_type="application/json")
        answer = client.post(
            f"{API}/phone-codes/verify",
            {"phone": phone, "code": "000000"},
            content_type="application/json",
        )
        answers.append(answer.status_code)
        if answer.status_code == 429:
            break
    assert answers == [422] * 4 + [429]
    assert PhoneCheck.objects.count() == len(answers)


def test_the_school_side_is_the_admitters_only(aw: AdmWorld) -> None:
    world = aw.world
    parent = Client()
    parent.force_login(world.imran)
    made = parent.post(f"{API}/applications", body(aw), content_type="application/json").json()
    for user in (world.asha, world.meera, world.imran, world.suresh):
        client = Client()
        client.force_login(user)
        assert client.get(f"{API}/schools/{world.school.pk}/queue").status_code == 404
        assert client.post(f"{API}/applications/{made['id']}/review").status_code == 404
        seats = {"academic_year": world.year.pk, "grade": 1, "seats": 9}
        put = client.put(
            f"{API}/schools/{world.school.pk}/seats", seats, content_type="application/json"
        )
        assert put.status_code == 404
    head = Client()
    head.force_login(world.ravi)
    put = head.put(
        f"{API}/schools/{world.school.pk}/seats",
        {"academic_year": world.year.pk, "grade": 1, "seats": 9},
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["seats"] == 9
    refused = head.post(
        f"{API}/applications/{made['id']}/refuse",
        {"reason": "Full", "no_seats": True},
        content_type="application/json",
    )
    assert refused.json()["school"] == world.other_school.pk
    # Passed on: Rampur's head no longer holds it.
    assert head.get(f"{API}/applications/{made['id']}").status_code == 404
