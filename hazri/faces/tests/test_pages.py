"""The faces pages without a browser: consent and references on a student's page,
the section's list, the upload form's checks, and the progress the review page polls."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hazri.faces.models import Consent, PhotoSet, Reference, SeenFace
from hazri.testing.world import SCHOOL_DAY, World

from .conftest import CLASS_PHOTOS, REFERENCE, api_client, face_file

pytestmark = pytest.mark.django_db


def test_staff_record_consent_and_a_reference_on_the_students_page(world: World) -> None:
    aarav = world.students[0]
    client = api_client(world.asha)
    url = f"/students/{aarav.pk}/faces/"
    page = client.get(url)
    assert page.status_code == 200 and b"data-consent-missing" in page.content
    # Without the form's number, nothing is written and the page says why.
    refused = client.post(url, {"action": "consent", "given_by": "Sunita Sharma", "method": "form"})
    assert refused.status_code == 422 and b'data-error-code="required"' in refused.content
    assert not Consent.objects.exists()
    done = client.post(
        url,
        {"action": "consent", "given_by": "Sunita Sharma", "method": "form", "reference": "CF-17"},
    )
    assert done.status_code == 302
    photo = SimpleUploadedFile("aarav.jpg", face_file(REFERENCE["obama"]), "image/jpeg")
    assert client.post(url, {"action": "reference", "photo": photo}).status_code == 302
    reference = Reference.objects.get(student=aarav)
    assert reference.source == "upload" and reference.face_width >= 60
    shown = client.get(url)
    assert f'data-reference="{reference.pk}"'.encode() in shown.content
    # Two faces in one photo: refused, saying which.
    group = SimpleUploadedFile("g.jpg", face_file(CLASS_PHOTOS[0]), "image/jpeg")
    refused = client.post(url, {"action": "reference", "photo": group})
    assert refused.status_code == 422 and b"several faces" in refused.content
    section = client.get(f"/sections/{world.section.pk}/faces/")
    assert b"1 of 5 students have a reference photo" in section.content
    # Withdrawn: the reference goes with it.
    assert client.post(url, {"action": "withdraw", "note": "Asked"}).status_code == 302
    assert not Reference.objects.exists()
    assert Consent.objects.get().withdrawn_by == world.asha


def test_a_parent_consents_on_the_page_and_cannot_add_photos(world: World) -> None:
    zoya = world.students[1]
    parent = api_client(world.imran)
    url = f"/students/{zoya.pk}/faces/"
    assert b"I consent" in parent.get(url).content
    assert parent.post(url, {"action": "consent"}).status_code == 302
    consent = Consent.objects.get(student=zoya)
    assert (consent.method, consent.given_by) == ("parent", "Imran Khan")
    photo = SimpleUploadedFile("z.jpg", face_file(REFERENCE["biden"]), "image/jpeg")
    refused = parent.post(url, {"action": "reference", "photo": photo})
    assert refused.status_code == 403 and not Reference.objects.exists()
    # Another family's child: not found, as an id that does not exist.
    assert parent.get(f"/students/{world.students[0].pk}/faces/").status_code == 404


def test_the_upload_form_checks_type_and_count_before_reading(world: World) -> None:
    client = api_client(world.asha)
    url = f"/sections/{world.section.pk}/photos/?day={SCHOOL_DAY.isoformat()}"
    fake = SimpleUploadedFile("notes.jpg", b"%PDF-1.4 this is a document", "image/jpeg")
    refused = client.post(url, {"client_uuid": str(uuid.uuid4()), "photos": [fake]})
    assert refused.status_code == 422 and b'data-error-code="not_a_photo"' in refused.content
    many = [
        SimpleUploadedFile(f"{i}.jpg", face_file(CLASS_PHOTOS[0]), "image/jpeg") for i in range(7)
    ]
    refused = client.post(url, {"client_uuid": str(uuid.uuid4()), "photos": many})
    assert refused.status_code == 422 and b'data-error-code="count"' in refused.content
    assert not PhotoSet.objects.exists()


def test_the_review_page_shows_progress_then_asks_for_the_whole_page(world: World) -> None:
    photo_set = PhotoSet.objects.create(
        school=world.school,
        section=world.section,
        day=SCHOOL_DAY,
        meeting=1,
        client_uuid=uuid.uuid4(),
        taken_by=world.asha,
        expected=3,
        processed=1,
        status="processing",
        device_captured_at=timezone.now(),
        created_at=timezone.now(),
    )
    client = api_client(world.asha)
    url = f"/photo-sets/{photo_set.pk}/"
    polled = client.get(url, headers={"HX-Request": "true"})
    assert polled.status_code == 200 and b"1 of 3 photos processed" in polled.content
    assert b"<html" not in polled.content  # only the progress box
    PhotoSet.objects.filter(pk=photo_set.pk).update(status="proposed", processed=3)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_withdrawal_also_deletes_the_childs_faces_in_daily_photos(world: World) -> None:
    from .conftest import PEOPLE, consent, enrol
    from .test_flow import _proposed

    client = api_client(world.asha)
    for student, person in zip(world.students[:4], PEOPLE[:4], strict=True):
        consent(client, student.pk)
        enrol(client, student.pk, REFERENCE[person])
    _proposed(world)
    aarav = world.students[0]
    assert SeenFace.objects.filter(student=aarav).exists()
    standing = Consent.objects.get(student=aarav, withdrawn_at__isnull=True)
    client.post(
        f"/api/v1/faces/consents/{standing.pk}/withdraw", {}, content_type="application/json"
    )
    assert not SeenFace.objects.filter(student=aarav).exists()
    assert SeenFace.objects.filter(student=world.students[1]).exists()
