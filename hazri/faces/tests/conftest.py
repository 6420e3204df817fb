"""Photo attendance tests: real face photos from the shared data folder (never copied
into the repository), and daily photos kept in a temporary folder."""

import datetime as dt
import hashlib
import os
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from hazri.testing.world import SCHOOL_DAY, World

FACE_DATA = Path(
    os.environ.get(
        "HAZRI_FACE_DATA", Path(__file__).resolve().parents[3].parent / "shared/data/faces"
    )
)
# The world's five students, as the people of the shared photos.
PEOPLE = ["obama", "biden", "kit_harington", "rose_leslie", "alex_lacamoire"]
REFERENCE = {
    "obama": "people/obama/obama.jpg",
    "biden": "people/biden/biden.jpg",
    "kit_harington": "people/kit_harington/john1.jpeg",
    "rose_leslie": "people/rose_leslie/img1.jpg",
    "alex_lacamoire": "people/alex_lacamoire/img1.jpg",
}
CLASS_PHOTOS = ["group/obama_and_biden.jpg", "group/kit_with_rose.jpg"]
MORNING = dt.datetime.combine(SCHOOL_DAY, dt.time(8, 30), tzinfo=ZoneInfo("Asia/Kolkata"))


def face_file(name: str) -> bytes:
    path = FACE_DATA / name
    if not path.exists():
        pytest.skip(f"the shared face photos are not at {FACE_DATA}")
    return path.read_bytes()


@pytest.fixture(autouse=True)
def faces_dir(settings: Any, tmp_path: Path) -> Path:
    settings.HAZRI_FACES_DIR = tmp_path / "faces"
    return settings.HAZRI_FACES_DIR


def api_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def consent(client: Client, student_id: int) -> dict[str, Any]:
    response = client.post(
        "/api/v1/faces/consents",
        {"student": student_id, "given_by": "Guardian", "method": "form", "reference": "F-1"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def enrol(client: Client, student_id: int, photo: str) -> Any:
    return client.post(
        f"/api/v1/students/{student_id}/references",
        face_file(photo),
        content_type="image/jpeg",
    )


def announce(
    client: Client,
    section_id: int,
    photos: list[bytes],
    *,
    day: dt.date = SCHOOL_DAY,
    meeting: int = 1,
    client_uuid: uuid.UUID | None = None,
) -> Any:
    return client.post(
        "/api/v1/photo-sets",
        {
            "client_uuid": str(client_uuid or uuid.uuid4()),
            "section": section_id,
            "day": day.isoformat(),
            "meeting": meeting,
            "device_clock": dt.datetime.now(dt.UTC).isoformat(),
            "photos": [
                {
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "captured_at": MORNING.isoformat(),
                }
                for data in photos
            ],
        },
        content_type="application/json",
    )


def send(client: Client, set_id: int, index: int, data: bytes, offset: int = 0) -> Any:
    return client.put(
        f"/api/v1/photo-sets/{set_id}/photos/{index}",
        data,
        content_type="application/octet-stream",
        headers={"Upload-Offset": str(offset)},
    )


def upload_all(client: Client, set_id: int, photos: list[bytes], chunk: int = 256 * 1024) -> Any:
    answer = None
    for index, data in enumerate(photos):
        for offset in range(0, len(data), chunk):
            answer = send(client, set_id, index, data[offset : offset + chunk], offset)
            assert answer.status_code == 200, answer.content
    return answer


@pytest.fixture
def enrolled(world: World) -> World:
    """Four of the five students enrolled with one reference photo each (the fifth has
    no consent: marked by sight)."""
    client = api_client(world.asha)
    for student, person in zip(world.students[:4], PEOPLE[:4], strict=True):
        consent(client, student.pk)
        response = enrol(client, student.pk, REFERENCE[person])
        assert response.status_code == 201, response.content
    return world
