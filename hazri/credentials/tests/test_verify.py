"""Verification: genuine, altered (one grade changed), revoked, unknown or withdrawn
key, the QR's compact form offline, and bad input refused with a 4xx."""

import base64
import copy
import io
import json
import zlib

import base45
import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hazri.common.errors import Invalid
from hazri.credentials import compact, offline, services
from hazri.credentials.selectors import published_keys, qr_code
from hazri.credentials.services import credential_revoke
from hazri.credentials.testing import install_signing_key
from hazri.credentials.verify import verify_document, verify_qr
from hazri.testing.world import World

from .conftest import issue


def _tamper_qr(text: str, change) -> str:
    """The QR with its claims changed and the old signature kept (a forger's try)."""
    cose = cbor2.loads(zlib.decompress(base45.b45decode(text[4:])))
    protected, unprotected, payload, signature = cose.value
    claims = cbor2.loads(payload)
    change(claims)
    forged = cbor2.CBORTag(18, [protected, unprotected, cbor2.dumps(claims), signature])
    return "HZ1:" + base45.b45encode(zlib.compress(cbor2.dumps(forged))).decode()


def test_a_genuine_qr_and_document(world: World, signing_key) -> None:
    credential = issue(world)
    verdict = verify_qr(credential.qr)
    assert verdict.status == "genuine"
    assert verdict.kind == "report_card" and verdict.number == credential.pk
    assert ("Grades", "MA:B HI:A") in verdict.shows
    assert ("Name", "Anita Verma") in verdict.shows
    verdict = verify_document(json.dumps(credential.document))
    assert verdict.status == "genuine"
    assert ("grades[0].grade", "B") in verdict.shows


def test_one_grade_changed_is_altered(world: World, signing_key) -> None:
    credential = issue(world)
    document = copy.deepcopy(credential.document)
    document["credentialSubject"]["grades"][0]["grade"] = "A"
    verdict = verify_document(json.dumps(document))
    assert verdict.status == "altered" and verdict.shows == []
    forged = _tamper_qr(credential.qr, lambda c: c[-70001].update(g="MA:A HI:A"))
    assert verify_qr(forged).status == "altered"


def test_a_revoked_document(world: World, signing_key) -> None:
    credential = issue(world)
    other = issue(world)
    credential_revoke(credential=credential, reason="Issued with a wrong term", by=world.ravi)
    assert verify_qr(credential.qr).status == "revoked"
    assert verify_document(json.dumps(credential.document)).status == "revoked"
    assert verify_qr(other.qr).status == "genuine"


def test_a_key_never_published_is_unknown(world: World, signing_key, settings, tmp_path) -> None:
    credential = issue(world)
    stranger = Ed25519PrivateKey.generate()
    # A forger signs with their own key under the state's key id: unknown to us.
    opened = compact.open_text(credential.qr)
    text = compact.seal(opened.claims, stranger, "zzzzzzzz")
    assert verify_qr(text).status == "unknown_key"
    forged = compact.seal(opened.claims, stranger, opened.kid)
    assert verify_qr(forged).status == "altered"


def test_rotation_keeps_old_documents_and_withdrawal_drops_them(
    world: World, signing_key, settings, tmp_path
) -> None:
    old = issue(world)
    (tmp_path / "next").mkdir()
    install_signing_key(settings, tmp_path / "next")
    new = issue(world)
    assert old.key_id != new.key_id
    assert verify_qr(old.qr).status == "genuine"
    assert verify_qr(new.qr).status == "genuine"
    keys = published_keys()["keys"]
    assert keys[0]["validUntil"] is not None and keys[1]["validUntil"] is None
    services.signing_key_retire(kid=old.key.kid, reason="Laptop stolen")
    assert verify_qr(old.qr).status == "unknown_key"
    assert verify_document(json.dumps(old.document)).status == "unknown_key"
    assert verify_qr(new.qr).status == "genuine"


def test_the_old_key_no_longer_signs_after_rotation(world: World, signing_key, settings, tmp_path):
    private, _key = signing_key
    (tmp_path / "next").mkdir()
    install_signing_key(settings, tmp_path / "next")
    settings.HAZRI_SIGNING_KEY_FILE = ""
    settings.HAZRI_SIGNING_KEY = base64.b64encode(private.private_bytes_raw()).decode()
    with pytest.raises(services.SigningKeyMissing):
        issue(world)


def test_the_qr_checks_offline_with_the_published_keys(world: World, signing_key, tmp_path):
    credential = issue(world)
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(published_keys()))
    verdict = offline.check_with_key_file(credential.qr, str(path))
    assert verdict.status == "genuine" and ("Term", "2026-27 T1") in verdict.shows
    forged = _tamper_qr(credential.qr, lambda c: c.update({7: c[7] + 1}))
    assert offline.check_with_key_file(forged, str(path)).status == "altered"
    assert offline.main([credential.qr, "--keys", str(path)]) == 0
    assert offline.main([forged, "--keys", str(path)]) == 1
    assert offline.main(["garbage", "--keys", str(path)]) == 2
    # No keys published: nobody vouches for it.
    assert offline.check_qr(credential.qr, {}).status == "unknown_key"


def test_the_qr_is_small(world: World, signing_key) -> None:
    credential = issue(world)
    payload = base45.b45decode(credential.qr[4:])
    assert len(payload) < 230
    assert qr_code(credential).version <= 11


@pytest.mark.parametrize(
    "text",
    [
        "",
        "garbage",
        "HZ1:",
        "HZ1:!!!!",
        "HZ1:" + "A" * 5000,
        "HZ1:\x00\x00",
        "HZ1:" + base45.b45encode(zlib.compress(b"\x00" * 100_000)).decode(),
        "HZ1:" + base45.b45encode(zlib.compress(cbor2.dumps([1, 2]))).decode(),
        "HZ1:"
        + base45.b45encode(
            zlib.compress(cbor2.dumps(cbor2.CBORTag(18, [b"", {}, b"", b""])))
        ).decode(),
    ],
)
def test_garbage_qr_is_invalid(db, text: str) -> None:
    with pytest.raises(Invalid) as caught:
        verify_qr(text)
    assert caught.value.field == "qr"


@pytest.mark.parametrize(
    "text", ["", "[]", "{}", '{"proof": 1}', "not json", "[" * 100_000, '{"a": "\\u0000"}']
)
def test_garbage_document_is_invalid(db, text: str) -> None:
    with pytest.raises(Invalid) as caught:
        verify_document(text)
    assert caught.value.field == "document"


def test_a_photo_of_the_qr(world: World, signing_key) -> None:
    from hazri.common.files import Upload
    from hazri.credentials.verify import verify_image

    credential = issue(world)
    for scale in (3, 4, 5, 8):
        buffer = io.BytesIO()
        qr_code(credential).save(buffer, kind="png", scale=scale, border=4)
        assert verify_image(Upload("scan.png", buffer.getvalue())).status == "genuine", scale
    # A photo: JPEG, grey paper, a smaller code in a larger picture.
    from PIL import Image

    buffer = io.BytesIO()
    qr_code(credential).save(buffer, kind="png", scale=6, border=2)
    code = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    photo = Image.new("L", (code.width + 300, code.height + 200), 200)
    photo.paste(code, (170, 90))
    jpeg = io.BytesIO()
    photo.save(jpeg, format="JPEG", quality=70)
    assert verify_image(Upload("photo.jpg", jpeg.getvalue())).status == "genuine"
    with pytest.raises(Invalid) as caught:
        verify_image(Upload("blank.png", _blank_png()))
    assert caught.value.code == "no_qr"
    with pytest.raises(Invalid):
        verify_image(Upload("notes.txt", b"hello"))


def _blank_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (64, 64), 255).save(buffer, format="PNG")
    return buffer.getvalue()
