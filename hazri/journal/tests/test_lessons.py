"""A lesson's topic (versioned) and homework (replaced, with files checked by their
first bytes and size before anything is stored), through the API."""

import base64
import json
import uuid
from typing import Any

import pytest
from django.test import Client

from hazri.common.files import MAX_ATTACHMENT_BYTES, sniff
from hazri.journal.models import Attachment, Homework, Lesson
from hazri.testing.world import World

from .journal_fixtures import DAY, Journal, journal_world

pytestmark = pytest.mark.django_db
API = "/api/v1/journal"
PDF = b"%PDF-1.4\n" + bytes(100)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(50)


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"{API}/{path}", json.dumps(body), content_type="application/json")


def _client(j: Journal) -> Client:
    client = Client()
    client.force_login(j.farah)
    return client


def _homework(
    world: World, text: str, files: list[tuple[str, bytes]] = (), **extra: Any
) -> dict[str, Any]:  # type: ignore[assignment]
    return {
        "client_uuid": str(uuid.uuid4()),
        "section": world.section.pk,
        "day": DAY.isoformat(),
        "period": 1,
        "text": text,
        "due_on": "2026-11-20",
        "attachments": [{"name": n, "data": base64.b64encode(d).decode()} for n, d in files],
        **extra,
    }


def test_a_changed_topic_is_a_new_version(world: World) -> None:
    j = journal_world(world)
    client = _client(j)
    body = {
        "client_uuid": str(uuid.uuid4()),
        "section": world.section.pk,
        "day": DAY.isoformat(),
        "period": 1,
        "topic": "Fractions",
    }
    first = post(client, "lessons", body)
    again = post(client, "lessons", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    second = post(
        client, "lessons", {**body, "client_uuid": str(uuid.uuid4()), "topic": "Fractions: halves"}
    )
    assert second.status_code == 201 and second.json()["version"] == 2
    rows = list(Lesson.objects.order_by("version").values_list("topic", "is_current", "subject_id"))
    assert rows == [("Fractions", False, j.maths.pk), ("Fractions: halves", True, j.maths.pk)]
    page = client.get(f"{API}/sections/{world.section.pk}/lessons/{DAY}/1").json()
    assert page["lesson"]["topic"] == "Fractions: halves" and page["may_write"]


def test_no_lesson_in_the_period_is_a_404_and_english_is_not_farahs(world: World) -> None:
    j = journal_world(world)
    client = _client(j)
    body = {
        "client_uuid": str(uuid.uuid4()),
        "section": world.section.pk,
        "day": DAY.isoformat(),
        "period": 5,
        "topic": "X",
    }
    assert post(client, "lessons", body).status_code == 404
    english = post(client, "lessons", {**body, "period": 2})
    assert english.status_code == 403
    assert not Lesson.objects.exists()


def test_homework_is_replaced_and_keeps_its_files(world: World) -> None:
    j = journal_world(world)
    client = _client(j)
    first = post(
        client,
        "homework",
        _homework(world, "Page 12", [("sheet.pdf", PDF), ("notes.txt", "नमस्ते\n".encode())]),
    )
    assert first.status_code == 201, first.content
    files = first.json()["attachments"]
    assert [(f["name"], f["media_type"]) for f in files] == [
        ("sheet.pdf", "application/pdf"),
        ("notes.txt", "text/plain"),
    ]
    second = post(
        client,
        "homework",
        _homework(world, "Page 13", [("map.png", PNG)], drop_attachments=[files[1]["id"]]),
    )
    assert second.status_code == 201
    assert [f["name"] for f in second.json()["attachments"]] == ["sheet.pdf", "map.png"]
    old = Homework.objects.get(pk=first.json()["id"])
    assert old.replaced_by_id == second.json()["id"]
    page = client.get(f"{API}/sections/{world.section.pk}/lessons/{DAY}/1").json()
    assert page["homework"]["text"] == "Page 13"
    download = client.get(f"/journal/attachments/{second.json()['attachments'][0]['id']}/")
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("tool.exe", b"MZ\x90\x00" + bytes(100), "bad_type"),
        ("fake.pdf", b"\x00\x01binary", "bad_type"),
        ("big.pdf", b"%PDF-" + bytes(MAX_ATTACHMENT_BYTES), "too_large"),
    ],
)
def test_a_file_of_another_type_or_too_big_is_refused_and_nothing_is_stored(
    world: World, name: str, data: bytes, code: str
) -> None:
    j = journal_world(world)
    response = post(
        _client(j), "homework", _homework(world, "Read", [("ok.pdf", PDF), (name, data)])
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("attachments[1].data", code)
    assert not Homework.objects.exists() and not Attachment.objects.exists()


def test_the_first_bytes_tell_the_type() -> None:
    assert sniff(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(b"\xff\xd8\xff\xe0" + bytes(8)) == "image/jpeg"
    assert sniff("Read chapter 3 — अध्याय".encode()) == "text/plain"
    assert sniff(("अ" * 2000).encode()[:4097]) == "text/plain"  # a character cut at 4 KB
    assert sniff(b"") is None
    assert sniff(b"\x7fELF") is None


def test_homework_due_before_its_lesson_is_refused(world: World) -> None:
    j = journal_world(world)
    response = post(_client(j), "homework", _homework(world, "Read", due_on="2026-11-17"))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "due_on"
