"""Daily photos in resumable chunks: offsets, repeats, type and digest checks, limits;
and the retention purge."""

import datetime as dt
import hashlib
import uuid

import pytest
from django.utils import timezone

from hazri.faces import storage
from hazri.faces.models import Photo, PhotoSet, SeenFace
from hazri.faces.services.purge import purge_expired
from hazri.testing.world import World

from .conftest import CLASS_PHOTOS, announce, api_client, face_file, send, upload_all

pytestmark = pytest.mark.django_db


def test_a_cut_upload_resumes_where_the_server_stopped(world: World) -> None:
    client = api_client(world.asha)
    data = face_file(CLASS_PHOTOS[0])
    made = announce(client, world.section.pk, [data]).json()
    first = send(client, made["id"], 0, data[:4096])
    assert first.json()["photos"][0]["received"] == 4096
    # The app lost the answer and sends the same chunk again: taken as received.
    again = send(client, made["id"], 0, data[:4096])
    assert again.status_code == 200 and again.json()["photos"][0]["received"] == 4096
    # A chunk from the wrong place is refused with where to resume.
    wrong = send(client, made["id"], 0, data[8192:9000], offset=8192)
    assert wrong.status_code == 409
    assert wrong.json()["errors"][0] == {
        "field": "Upload-Offset",
        "message": "The server holds 4096 bytes of this photo: send from there.",
        "code": "offset_mismatch",
    }
    # The state says where to go on: the rest completes the photo.
    state = client.get(f"/api/v1/photo-sets/{made['id']}").json()
    offset = state["photos"][0]["received"]
    done = send(client, made["id"], 0, data[offset:], offset=offset)
    assert done.status_code == 200
    photo = Photo.objects.get(photo_set_id=made["id"])
    assert photo.received == len(data) and photo.status != "uploading"
    path = storage.photo_path(photo.school_id, photo.pk)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == photo.sha256


def test_announcing_again_finds_the_same_set(world: World) -> None:
    client = api_client(world.asha)
    data = face_file(CLASS_PHOTOS[0])
    key = uuid.uuid4()
    first = announce(client, world.section.pk, [data], client_uuid=key)
    second = announce(client, world.section.pk, [data], client_uuid=key)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    other = announce(client, world.section.pk, [data, data], client_uuid=key)
    assert other.status_code == 409 and other.json()["errors"][0]["code"] == "uuid_reused"
    assert PhotoSet.objects.count() == 1


def test_the_first_bytes_must_be_a_photo(world: World) -> None:
    client = api_client(world.asha)
    made = announce(client, world.section.pk, [b"x" * 5000]).json()
    answer = send(client, made["id"], 0, b"<html><script>alert(1)</script>")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["code"] == "not_a_photo"
    assert Photo.objects.get(photo_set_id=made["id"]).received == 0


def test_bytes_that_are_not_the_announced_photo_start_again(world: World) -> None:
    client = api_client(world.asha)
    data = face_file(CLASS_PHOTOS[0])
    made = announce(client, world.section.pk, [data]).json()
    forged = data[:-10] + b"0123456789"
    send(client, made["id"], 0, forged[:100000])
    answer = send(client, made["id"], 0, forged[100000:], offset=100000)
    assert answer.status_code == 409 and answer.json()["errors"][0]["code"] == "digest_mismatch"
    photo = Photo.objects.get(photo_set_id=made["id"])
    assert (photo.received, photo.status) == (0, "uploading")
    assert not storage.part_path(photo.school_id, photo.pk).exists()
    # Sent right, it completes.
    assert upload_all(client, made["id"], [data]).json()["photos"][0]["status"] != "uploading"


@pytest.mark.parametrize(
    ("photos", "field", "code"),
    [
        ([], "photos", "too_short"),
        ([{"size": 13 * 1024 * 1024, "sha256": "a" * 64}], "photos[0].size", "too_large"),
        ([{"size": 100, "sha256": "z" * 64}], "photos[0].sha256", "bad_digest"),
        ([{"size": 100, "sha256": "a\u0000" * 32}], "photos[0].sha256", "control_character"),
    ],
)
def test_announcements_are_checked(world: World, photos: list, field: str, code: str) -> None:
    client = api_client(world.asha)
    now = timezone.now().isoformat()
    answer = client.post(
        "/api/v1/photo-sets",
        {
            "client_uuid": str(uuid.uuid4()),
            "section": world.section.pk,
            "day": "2026-11-18",
            "photos": [{**photo, "captured_at": now} for photo in photos],
        },
        content_type="application/json",
    )
    assert answer.status_code == 422, answer.content
    error = answer.json()["errors"][0]
    assert error["field"].endswith(field), error
    assert error["code"] == code or code in ("too_short", "control_character", "too_large")
    assert not PhotoSet.objects.exists()


def test_only_a_marker_of_the_section_sends_photos(world: World) -> None:
    data = face_file(CLASS_PHOTOS[0])
    made = announce(api_client(world.asha), world.section.pk, [data]).json()
    # Officer Meera sees the section but does not mark it; Suresh is of another school.
    assert send(api_client(world.meera), made["id"], 0, data[:1000]).status_code == 403
    assert send(api_client(world.suresh), made["id"], 0, data[:1000]).status_code == 404
    assert announce(api_client(world.suresh), world.section.pk, [data]).status_code == 404


def test_photos_and_faces_are_purged_after_the_retention_period(world: World, settings) -> None:
    settings.HAZRI_FACES_RETENTION_DAYS = 30
    client = api_client(world.asha)
    data = face_file(CLASS_PHOTOS[0])
    made = announce(client, world.section.pk, [data]).json()
    upload_all(client, made["id"], [data])
    photo = Photo.objects.get(photo_set_id=made["id"])
    path = storage.photo_path(photo.school_id, photo.pk)
    assert path.exists() and SeenFace.objects.filter(photo=photo).exists()
    created = PhotoSet.objects.get(pk=made["id"]).created_at
    assert purge_expired(now=created + dt.timedelta(days=29)) == 0
    assert path.exists()
    assert purge_expired(now=created + dt.timedelta(days=31)) == 1
    assert not path.exists()
    assert not SeenFace.objects.filter(photo=photo).exists()
    photo_set = PhotoSet.objects.get(pk=made["id"])
    assert photo_set.purged_at is not None
    assert photo_set.proposed.exists()  # the proposal's scores stay, for audit
    assert purge_expired(now=created + dt.timedelta(days=32)) == 0
