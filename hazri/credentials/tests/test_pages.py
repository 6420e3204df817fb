"""The credentials pages: the public verify page (paste, JSON, photo), a school's list
with its revoke button, a document's printable QR."""

import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hazri.credentials.selectors import qr_code
from hazri.testing.world import World

from .conftest import issue


def test_anyone_verifies_on_the_page(world: World, signing_key) -> None:
    credential = issue(world)
    client = Client()
    assert client.get("/verify/").status_code == 200
    page = client.post("/verify/", {"qr": credential.qr}).content.decode()
    assert (
        'data-verdict="genuine"' in page
        and "MA:B HI:A" in page
        and 'data-kind="report_card"' in page
    )
    page = client.post("/verify/", {"document": json.dumps(credential.document)}).content.decode()
    assert 'data-verdict="genuine"' in page
    vc = SimpleUploadedFile("card.json", json.dumps(credential.document).encode())
    page = client.post("/verify/", {"document_file": vc}).content.decode()
    assert 'data-verdict="genuine"' in page
    png = io.BytesIO()
    qr_code(credential).save(png, kind="png", scale=4)
    photo = SimpleUploadedFile("card.png", png.getvalue(), content_type="image/png")
    page = client.post("/verify/", {"image": photo}).content.decode()
    assert 'data-verdict="genuine"' in page


def test_the_page_refuses_bad_input_with_a_4xx(db) -> None:
    client = Client()
    response = client.post("/verify/", {"qr": "not a document"})
    assert response.status_code == 422 and 'data-error-field="qr"' in response.content.decode()
    response = client.post("/verify/", {})
    assert response.status_code == 422
    response = client.post("/verify/", {"qr": "HZ1:\x00"})
    assert response.status_code == 422
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (6 * 1024 * 1024))
    response = client.post("/verify/", {"image": big})
    assert response.status_code == 422 and "image" in response.content.decode()


def test_the_head_revokes_from_the_schools_list(world: World, signing_key) -> None:
    credential = issue(world)
    head = Client()
    head.force_login(world.ravi)
    page = head.get(f"/schools/{world.school.pk}/credentials/").content.decode()
    assert f'data-revoke="{credential.pk}"' in page
    teacher = Client()
    teacher.force_login(world.asha)
    page = teacher.get(f"/schools/{world.school.pk}/credentials/").content.decode()
    assert f'data-credential="{credential.pk}"' in page and "data-revoke" not in page
    assert teacher.post(f"/credentials/{credential.pk}/revoke/", {"reason": "x"}).status_code == 403
    response = head.post(f"/credentials/{credential.pk}/revoke/", {"reason": "Wrong term"})
    assert response.status_code == 302
    page = head.get(f"/schools/{world.school.pk}/credentials/").content.decode()
    assert "data-revoked" in page and "Wrong term" in page
    page = Client().post("/verify/", {"qr": credential.qr}).content.decode()
    assert 'data-verdict="revoked"' in page


def test_the_document_page_prints_its_qr(world: World, signing_key) -> None:
    credential = issue(world)
    head = Client()
    head.force_login(world.ravi)
    page = head.get(f"/credentials/{credential.pk}/").content.decode()
    assert "<svg" in page and credential.qr in page
