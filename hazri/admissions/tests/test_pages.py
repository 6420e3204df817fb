"""The admission pages: a family verifies its phone, applies with documents, follows and
corrects; the school's queue and decisions; refusals are 4xx pages."""

import logging
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from hazri.admissions.models import Application, ApplicationDocument

from .adm_world import PDF, PHONE, PNG, AdmWorld, apply, code_from_log

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("console")]


@pytest.fixture
def console() -> Any:
    with override_settings(HAZRI_NOTIFY_DEFAULT_CHANNELS=["console"]):
        yield


def form(aw: AdmWorld, **changes: Any) -> dict[str, Any]:
    world = aw.world
    found: dict[str, Any] = {
        "academic_year": str(world.year.pk),
        "grade": "1",
        "school_1": str(world.school.pk),
        "school_2": str(world.other_school.pk),
        "child_name": "Aarav Sharma",
        "gender": "M",
        "date_of_birth": "2020-06-01",
        "guardian_name": "Sunita Sharma",
        "guardian_phone": PHONE,
        "relation": "mother",
        "birth_certificate": SimpleUploadedFile("birth.pdf", PDF),
    }
    found.update(changes)
    return found


def _verified_client(caplog: pytest.LogCaptureFixture, capture: Any) -> Client:
    caplog.set_level(logging.INFO, logger="hazri.notify")
    client = Client()
    assert client.get("/admissions/").status_code == 200
    with capture(execute=True):
        sent = client.post("/admissions/phone/", {"phone": PHONE})
    assert sent.status_code == 302 and sent["Location"] == "/admissions/phone/verify/"
    code = code_from_log(caplog.text)
    wrong = client.post("/admissions/phone/verify/", {"phone": PHONE, "code": "12"})
    assert wrong.status_code == 422
    verified = client.post("/admissions/phone/verify/", {"phone": PHONE, "code": code})
    assert verified.status_code == 302
    return client


def test_a_family_applies_from_the_pages_and_the_school_decides(
    aw: AdmWorld, caplog, django_capture_on_commit_callbacks
) -> None:
    world = aw.world
    # Without a verified number, the form sends one back to the start.
    assert Client().get("/admissions/apply/")["Location"] == "/admissions/"
    family = _verified_client(caplog, django_capture_on_commit_callbacks)
    assert family.get("/admissions/apply/").status_code == 200
    made = family.post("/admissions/apply/", form(aw))
    assert made.status_code == 302, made.content.decode()[:2000]
    application = Application.objects.get()
    page = family.get(made["Location"]).content.decode()
    assert application.reference in page and 'data-status="submitted"' in page

    head = Client()
    head.force_login(world.ravi)
    queue = head.get(f"/schools/{world.school.pk}/admissions/").content.decode()
    assert application.reference in queue
    decide = f"/admissions/applications/{application.pk}/decide/"
    head.post(decide, {"action": "correction", "note": "Add the photo"})
    assert (
        "Add the photo"
        in family.get(f"/admissions/applications/{application.pk}/").content.decode()
    )
    fixed = form(aw, photo=SimpleUploadedFile("me.png", PNG))
    fixed.pop("birth_certificate")
    corrected = family.post(f"/admissions/applications/{application.pk}/correct/", fixed)
    assert corrected.status_code == 302
    application.refresh_from_db()
    assert application.status == "resubmitted"
    assert ApplicationDocument.objects.filter(application=application).count() == 2
    admitted = head.post(decide, {"action": "admit", "section": str(aw.rampur_1.pk)})
    assert admitted.status_code == 302
    page = family.get(f"/admissions/applications/{application.pk}/").content.decode()
    assert 'data-status="admitted"' in page and "data-admission-no" in page
    # The document is served through the permission-checked page only.
    doc = family.get(f"/admissions/applications/{application.pk}/documents/photo/")
    assert doc.status_code == 200 and doc.content == PNG
    teacher = Client()
    teacher.force_login(world.asha)
    assert (
        teacher.get(f"/admissions/applications/{application.pk}/documents/photo/").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"child_name": "A\x00B"}, 422, "child_name"),
        ({"date_of_birth": "yesterday"}, 422, "date_of_birth"),
        ({"grade": "x"}, 422, "grade"),
        ({"school_1": "", "school_2": ""}, 422, "schools"),
        (
            {"birth_certificate": SimpleUploadedFile("b.exe", b"MZ\x90\x00")},
            422,
            "documents.birth_certificate",
        ),
        ({"photo": SimpleUploadedFile("p.pdf", PDF)}, 422, "documents.photo.data"),
    ],
)
def test_bad_input_is_a_4xx_page(
    aw: AdmWorld, changes: dict[str, Any], status: int, field: str
) -> None:
    parent = Client()
    parent.force_login(aw.world.imran)
    answer = parent.post("/admissions/apply/", form(aw, **changes))
    assert answer.status_code == status
    assert f'data-error-field="{field}"' in answer.content.decode()
    assert not Application.objects.exists()


def test_refusing_for_seats_passes_it_on_and_the_head_returns_to_the_queue(aw: AdmWorld) -> None:
    application = apply(aw)
    head = Client()
    head.force_login(aw.world.ravi)
    answer = head.post(
        f"/admissions/applications/{application.pk}/decide/",
        {"action": "refuse", "reason": "Full", "no_seats": "1"},
    )
    assert answer["Location"] == f"/schools/{aw.world.school.pk}/admissions/"
    application.refresh_from_db()
    assert application.school_id == aw.world.other_school.pk
    bad = head.post(
        f"/schools/{aw.world.school.pk}/admissions/seats/", {"grade": "1", "seats": "-3"}
    )
    assert bad.status_code == 422


def test_the_form_narrows_the_schools_by_a_search(aw: AdmWorld) -> None:
    parent = Client()
    parent.force_login(aw.world.imran)
    page = parent.get("/admissions/apply/", {"q": "Khedi"}).content.decode()
    assert "GPS Khedi" in page and "GPS Rampur" not in page
    page = parent.get("/admissions/apply/", {"q": aw.world.school.code}).content.decode()
    assert "GPS Rampur" in page and "GPS Khedi" not in page
