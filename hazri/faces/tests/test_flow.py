"""From reference photos to a roll call: the real recognizer on real photos."""

import pytest
from django.test import Client

from hazri.attendance.models import RollCall
from hazri.audit.models import AuditEvent
from hazri.faces.models import PhotoSet, Proposed, Reference, SeenFace
from hazri.testing.world import SUNDAY, World

from .conftest import (
    CLASS_PHOTOS,
    announce,
    api_client,
    consent,
    enrol,
    face_file,
    upload_all,
)

pytestmark = pytest.mark.django_db


def _proposed(enrolled: World) -> tuple[Client, dict, dict]:
    client = api_client(enrolled.asha)
    photos = [face_file(name) for name in CLASS_PHOTOS]
    made = announce(client, enrolled.section.pk, photos)
    assert made.status_code == 201, made.content
    set_id = made.json()["id"]
    done = upload_all(client, set_id, photos)
    # The test settings run django-tasks at once: the last chunk ends in a proposal.
    assert done.json()["status"] == "proposed", done.json()
    proposal = client.get(f"/api/v1/photo-sets/{set_id}/proposal").json()
    return client, made.json(), proposal


def test_consent_is_required_before_a_reference(world: World) -> None:
    client = api_client(world.asha)
    response = enrol(client, world.students[0].pk, "people/obama/obama.jpg")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "no_consent"
    assert not Reference.objects.exists()


@pytest.mark.parametrize(
    ("photo", "code"),
    [
        ("group/obama_and_biden.jpg", "several_faces"),
        ("classroom/1.jpg", "too_small"),  # a crowd of small faces: none is usable
    ],
)
def test_a_reference_must_show_one_face(world: World, photo: str, code: str) -> None:
    client = api_client(world.asha)
    consent(client, world.students[0].pk)
    response = enrol(client, world.students[0].pk, photo)
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0] == {
        "field": "photo",
        "message": response.json()["errors"][0]["message"],
        "code": code,
    }
    assert not Reference.objects.exists()


def test_a_photo_without_a_face_is_refused(world: World) -> None:
    import cv2
    import numpy as np

    blank = cv2.imencode(".jpg", np.full((600, 800, 3), 180, np.uint8))[1].tobytes()
    client = api_client(world.asha)
    consent(client, world.students[0].pk)
    response = client.post(
        f"/api/v1/students/{world.students[0].pk}/references", blank, content_type="image/jpeg"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "no_face"


def test_not_a_photo_is_refused_before_decoding(world: World) -> None:
    client = api_client(world.asha)
    consent(client, world.students[0].pk)
    response = client.post(
        f"/api/v1/students/{world.students[0].pk}/references",
        b"%PDF-1.7 not a photo",
        content_type="image/jpeg",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "not_a_photo"


def test_photos_propose_and_the_review_becomes_the_roll_call(enrolled: World) -> None:
    client, made, proposal = _proposed(enrolled)
    bands = {line["student"]: line["band"] for line in proposal["students"]}
    aarav, zoya, bhavna, kabir, diya = (s.pk for s in enrolled.students)
    assert bands == {
        aarav: "present",
        zoya: "present",
        bhavna: "present",
        kabir: "present",
        diya: "unseen",
    }
    diya_line = next(line for line in proposal["students"] if line["student"] == diya)
    assert diya_line["has_reference"] is False and diya_line["face"] is None
    # One face, one student: no face is given to two children.
    faces = [line["face"] for line in proposal["students"] if line["face"] is not None]
    assert len(faces) == len(set(faces)) == 4
    assert proposal["model_name"] and proposal["thresholds"]["present"] > 0
    # Every score kept: one per photo for each child seen.
    aarav_line = next(line for line in proposal["students"] if line["student"] == aarav)
    assert len(aarav_line["scores"]) == 2 and aarav_line["scores"][0] is not None

    # The teacher corrects one child (Kabir went home) and confirms the rest.
    marks = [
        {"student": line["student"], "code": "P" if line["band"] == "present" else "A"}
        for line in proposal["students"]
    ]
    next(m for m in marks if m["student"] == kabir)["code"] = "A"
    answer = client.post(
        f"/api/v1/photo-sets/{made['id']}/review",
        {"marks": marks, "keep_faces": [aarav]},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    rollcall = RollCall.objects.get(pk=answer.json()["rollcall"])
    assert rollcall.source == "photo"
    assert (rollcall.present, rollcall.absent) == (3, 2)
    assert rollcall.timing == "on_time"  # judged by when the photos were taken (08:30)
    photo_set = PhotoSet.objects.get(pk=made["id"])
    assert (photo_set.status, photo_set.to_absent, photo_set.to_present) == ("submitted", 1, 0)
    assert Reference.objects.filter(student_id=aarav, source="confirmed").count() == 1
    finals = dict(Proposed.objects.filter(photo_set=photo_set).values_list("student_id", "final"))
    assert finals[kabir] == "A" and finals[aarav] == "P"

    # Sent again after a lost answer: the same roll call, stored once.
    again = client.post(
        f"/api/v1/photo-sets/{made['id']}/review", {"marks": marks}, content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["rollcall"] == rollcall.pk
    assert RollCall.objects.filter(section=enrolled.section, meeting=1).count() == 1


def test_the_review_must_mark_every_child(enrolled: World) -> None:
    client, made, proposal = _proposed(enrolled)
    marks = [{"student": line["student"], "code": "P"} for line in proposal["students"][:-1]]
    answer = client.post(
        f"/api/v1/photo-sets/{made['id']}/review", {"marks": marks}, content_type="application/json"
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "marks"
    assert not RollCall.objects.filter(section=enrolled.section, meeting=1).exists()
    assert PhotoSet.objects.get(pk=made["id"]).status == "proposed"


def test_the_core_rules_judge_the_review(enrolled: World) -> None:
    """A set for a Sunday is processed, but its review is refused as any roll call is."""
    client = api_client(enrolled.asha)
    photos = [face_file(CLASS_PHOTOS[0])]
    made = announce(client, enrolled.section.pk, photos, day=SUNDAY).json()
    upload_all(client, made["id"], photos)
    proposal = client.get(f"/api/v1/photo-sets/{made['id']}/proposal").json()
    marks = [{"student": line["student"], "code": "A"} for line in proposal["students"]]
    answer = client.post(
        f"/api/v1/photo-sets/{made['id']}/review", {"marks": marks}, content_type="application/json"
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["code"] == "not_school_day"
    assert PhotoSet.objects.get(pk=made["id"]).status == "proposed"


def test_face_images_go_only_to_those_who_see_the_section(enrolled: World) -> None:
    _, _, proposal = _proposed(enrolled)
    face = next(line["face_url"] for line in proposal["students"] if line["face"])
    before = AuditEvent.objects.filter(action="faces.view_face").count()
    seen = api_client(enrolled.asha).get(face)
    assert seen.status_code == 200 and seen["Content-Type"] == "image/jpeg"
    assert seen["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="faces.view_face").count() == before + 1
    # A teacher of another school, and a parent: the same 404 as a face that does not exist.
    assert api_client(enrolled.suresh).get(face).status_code == 404
    assert api_client(enrolled.imran).get(face).status_code == 404
    assert api_client(enrolled.asha).get("/faces/seen/999999.jpg").status_code == 404
    assert AuditEvent.objects.filter(action="faces.view_face").count() == before + 1
    assert Client().get(face).status_code == 302  # to the login page


def test_withdrawing_consent_deletes_the_references_at_once(enrolled: World) -> None:
    client = api_client(enrolled.asha)
    student = enrolled.students[0]
    faces = client.get(f"/api/v1/students/{student.pk}/faces").json()
    assert len(faces["references"]) == 1
    answer = client.post(
        f"/api/v1/faces/consents/{faces['consent']['id']}/withdraw",
        {"note": "The family asked"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["withdrawn_at"]
    assert not Reference.objects.filter(student=student).exists()
    after = client.get(f"/api/v1/students/{student.pk}/faces").json()
    assert after == {**after, "consent": None, "references": []}


def test_a_parent_consents_and_withdraws_online(world: World) -> None:
    zoya = world.students[1]  # Imran's daughter
    parent = api_client(world.imran)
    answer = parent.post(
        "/api/v1/faces/consents",
        {"student": zoya.pk, "given_by": "someone else", "method": "form"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["method"] == "parent" and answer.json()["given_by"] == "Imran Khan"
    # Not another family's child.
    other = parent.post(
        "/api/v1/faces/consents",
        {"student": world.students[0].pk, "given_by": "x", "method": "form", "reference": "1"},
        content_type="application/json",
    )
    assert other.status_code == 404


def test_unknown_faces_are_kept_for_review(enrolled: World) -> None:
    """A face of nobody on the roll (Aarav's reference deleted) shows as unknown."""
    Reference.objects.filter(student=enrolled.students[0]).delete()
    _, _, proposal = _proposed(enrolled)
    assert len(proposal["unknown"]) >= 1
    assert SeenFace.objects.filter(student__isnull=True).count() == len(proposal["unknown"])


def test_a_control_character_is_refused_and_nothing_is_written(world: World) -> None:
    """PostgreSQL refuses NUL in text that SQLite would store: a 422 on both."""
    answer = api_client(world.asha).post(
        "/api/v1/faces/consents",
        {
            "student": world.students[0].pk,
            "given_by": "Sunita\u0000",
            "method": "form",
            "reference": "1",
        },
        content_type="application/json",
    )
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "given_by"
    assert not AuditEvent.objects.filter(action="faces.consent").exists()
