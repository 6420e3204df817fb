"""The credentials API: anonymous verification, keys and status lists, a school's and a
student's documents, revoking; bad input is a 4xx naming the field."""

import base64
import gzip
import io
import json

import pytest
from django.test import Client

from hazri.credentials.selectors import qr_code
from hazri.credentials.testing import SAMPLE_FACTS
from hazri.testing.world import World

from .conftest import issue

API = "/api/v1"


def _post(client: Client, path: str, body: dict) -> tuple[int, dict]:
    response = client.post(f"{API}{path}", json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def _bit(status_list: dict, index: int) -> bool:
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_anyone_verifies_a_qr_and_sees_what_it_shows(world: World, signing_key) -> None:
    credential = issue(world)
    status, body = _post(Client(), "/verify", {"qr": credential.qr})
    assert status == 200 and body["status"] == "genuine"
    assert body["kind"] == "report_card" and body["number"] == credential.pk
    shown = {fact["label"]: fact["value"] for fact in body["shows"]}
    assert shown["Name"] == SAMPLE_FACTS["n"] and shown["Grades"] == SAMPLE_FACTS["g"]


def test_anyone_verifies_the_json_and_a_photo(world: World, signing_key) -> None:
    credential = issue(world)
    status, body = _post(Client(), "/verify", {"document": json.dumps(credential.document)})
    assert status == 200 and body["status"] == "genuine"
    changed = json.loads(json.dumps(credential.document))
    changed["credentialSubject"]["grades"][1]["grade"] = "A+"
    status, body = _post(Client(), "/verify", {"document": json.dumps(changed)})
    assert status == 200 and body["status"] == "altered" and body["shows"] == []
    png = io.BytesIO()
    qr_code(credential).save(png, kind="png", scale=4)
    image = {"name": "card.png", "data": base64.b64encode(png.getvalue()).decode()}
    status, body = _post(Client(), "/verify", {"image": image})
    assert status == 200 and body["status"] == "genuine", body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "qr"),
        ({"qr": "HZ1:AB", "document": "{}"}, "qr"),
        ({"qr": "garbage"}, "qr"),
        ({"qr": "HZ1:\u0000"}, "qr"),
        ({"qr": "HZ1:" + "9" * 5000}, "qr"),
        ({"document": '{"proof": "\u0000"}'}, "document"),
        ({"document": "nope"}, "document"),
        ({"image": {"name": "a.png", "data": "!!!!"}}, "image.data"),
        ({"image": {"name": "big.png", "data": "A" * 6_999_000}}, "image.data"),
        ({"image": {"name": "a.txt", "data": base64.b64encode(b"hello").decode()}}, "image"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(db, body: dict, field: str) -> None:
    status, answer = _post(Client(), "/verify", body)
    assert 400 <= status < 500, answer
    fields = [error["field"] for error in answer["errors"]]
    assert any(f.endswith(field) or field in f for f in fields), answer


def test_anonymous_checks_are_limited(db, settings) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.HAZRI_VERIFY_PER_MINUTE = 2
    client = Client()
    statuses = [_post(client, "/verify", {"qr": "HZ1:AB"})[0] for _ in range(3)]
    assert statuses[:2] == [422, 422] and statuses[2] == 429
    cache.clear()


def test_keys_and_status_list_are_public_and_revoking_flips_the_bit(
    world: World, signing_key
) -> None:
    _private, key = signing_key
    credential = issue(world)
    keys = Client().get(f"{API}/credentials/keys").json()
    assert [k["kid"] for k in keys["keys"]] == [key.kid]
    assert keys["keys"][0]["publicKeyMultibase"].startswith("z6Mk")
    url = credential.document["credentialStatus"]["statusListCredential"]
    assert url.endswith("/api/v1/credentials/status/0")
    before = Client().get(f"{API}/credentials/status/0").json()
    assert before["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert not _bit(before, credential.pk)
    head = Client()
    head.force_login(world.ravi)
    status, body = _post(head, f"/credentials/{credential.pk}/revoke", {"reason": "Wrong term"})
    assert status == 200 and body["revoked_reason"] == "Wrong term"
    after = Client().get(f"{API}/credentials/status/0").json()
    assert _bit(after, credential.pk)
    from hazri.credentials import proofs

    assert proofs.verify(after, _private.public_key())
    # Revoked once: a second time is a conflict, and the first reason stays.
    status, body = _post(head, f"/credentials/{credential.pk}/revoke", {"reason": "Again"})
    assert status == 409
    status, body = _post(head, f"/credentials/{credential.pk}/revoke", {"reason": "a\u0000"})
    assert status in (409, 422)
    assert (
        Client()
        .post(f"{API}/verify", json.dumps({"qr": credential.qr}), content_type="application/json")
        .json()["status"]
        == "revoked"
    )


def test_a_revoke_needs_a_reason(world: World, signing_key) -> None:
    credential = issue(world)
    head = Client()
    head.force_login(world.ravi)
    status, body = _post(head, f"/credentials/{credential.pk}/revoke", {"reason": "  "})
    assert status == 422 and body["errors"][0]["field"] == "reason"
    status, body = _post(head, f"/credentials/{credential.pk}/revoke", {"reason": "x\u0000"})
    assert status == 422


def test_a_students_and_a_schools_documents(world: World, signing_key) -> None:
    mine = issue(world)
    other = issue(world, student=world.students[2])
    parent = Client()
    parent.force_login(world.imran)
    child = world.students[1]  # Imran's daughter
    theirs = issue(world, student=child)
    listed = parent.get(f"{API}/students/{child.pk}/credentials").json()
    assert [item["id"] for item in listed["items"]] == [theirs.pk]
    detail = parent.get(f"{API}/credentials/{theirs.pk}").json()
    assert detail["qr"].startswith("HZ1:") and detail["document"]["proof"]
    assert parent.get(f"{API}/credentials/{mine.pk}").status_code == 404
    teacher = Client()
    teacher.force_login(world.asha)
    listed = teacher.get(f"{API}/schools/{world.school.pk}/credentials").json()
    assert listed["count"] == 3 and {i["id"] for i in listed["items"]} == {
        mine.pk,
        other.pk,
        theirs.pk,
    }
