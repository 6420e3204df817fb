"""A reference photo sent again with the same Idempotency-Key (the offline app resends
it when the first answer was lost) finds the reference stored the first time."""

import uuid

import pytest
from django.test import Client

from hazri.audit.models import AuditEvent
from hazri.faces.models import Reference
from hazri.testing.world import World

from .conftest import api_client, consent, face_file

pytestmark = pytest.mark.django_db

OBAMA = "people/obama/obama.jpg"


def send(client: Client, student_id: int, data: bytes, key: str | None) -> object:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(
        f"/api/v1/students/{student_id}/references",
        data,
        content_type="image/jpeg",
        headers=headers,
    )


def test_a_resend_with_the_same_key_adds_no_second_reference(world: World) -> None:
    client = api_client(world.asha)
    student = world.students[0]
    consent(client, student.pk)
    data = face_file(OBAMA)
    key = str(uuid.uuid4())

    first = send(client, student.pk, data, key)
    assert first.status_code == 201, first.content
    again = send(client, student.pk, data, key)
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    [stored] = Reference.objects.filter(student=student)
    assert str(stored.client_uuid) == key
    assert AuditEvent.objects.filter(action="faces.reference_added").count() == 1

    # Another key is another photo: a second reference.
    other = send(client, student.pk, data, str(uuid.uuid4()))
    assert other.status_code == 201, other.content
    # No key at all: each send is a new reference, as before.
    assert send(client, student.pk, data, None).status_code == 201
    assert Reference.objects.filter(student=student).count() == 3


def test_a_resend_is_found_even_when_the_student_is_full(world: World) -> None:
    """The fifth photo's answer was lost: sending it again is not "too many"."""
    client = api_client(world.asha)
    student = world.students[0]
    consent(client, student.pk)
    data = face_file(OBAMA)
    for _ in range(4):
        assert send(client, student.pk, data, None).status_code == 201
    key = str(uuid.uuid4())
    assert send(client, student.pk, data, key).status_code == 201
    assert send(client, student.pk, data, key).status_code == 200
    refused = send(client, student.pk, data, str(uuid.uuid4()))
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["code"] == "too_many"
    assert Reference.objects.filter(student=student).count() == 5


def test_a_key_of_another_students_photo_is_refused(world: World) -> None:
    client = api_client(world.asha)
    first, second = world.students[0], world.students[1]
    consent(client, first.pk)
    consent(client, second.pk)
    key = str(uuid.uuid4())
    assert send(client, first.pk, face_file(OBAMA), key).status_code == 201
    response = send(client, second.pk, face_file("people/biden/biden.jpg"), key)
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "key_reused"
    assert Reference.objects.filter(student=second).count() == 0


def test_a_key_that_is_no_uuid_is_refused_naming_the_header(world: World) -> None:
    client = api_client(world.asha)
    student = world.students[0]
    consent(client, student.pk)
    response = send(client, student.pk, face_file(OBAMA), "not-a-uuid")
    assert response.status_code in (400, 422)
    assert "Idempotency-Key" in response.content.decode()
    assert Reference.objects.count() == 0


def test_a_refused_photo_under_a_key_can_be_sent_again_once_fixed(world: World) -> None:
    """A refusal stores nothing under the key: after consent is recorded, the same
    key adds the reference."""
    client = api_client(world.asha)
    student = world.students[0]
    key = str(uuid.uuid4())
    refused = send(client, student.pk, face_file(OBAMA), key)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "no_consent"
    consent(client, student.pk)
    assert send(client, student.pk, face_file(OBAMA), key).status_code == 201
