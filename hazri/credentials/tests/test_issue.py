import pytest

from hazri.common.errors import Forbidden, Invalid
from hazri.credentials import compact, proofs
from hazri.credentials import keys as keytext
from hazri.credentials.selectors import qr_code, qr_svg, qr_text
from hazri.credentials.services import SigningKeyMissing
from hazri.testing.world import World

from .conftest import issue


def test_issue_signs_the_vc_and_the_qr(world: World, signing_key) -> None:
    private, key = signing_key
    credential = issue(world)
    document = credential.document
    assert document["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert document["type"] == ["VerifiableCredential", "ReportCardCredential"]
    assert document["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert document["credentialStatus"]["statusListIndex"] == str(credential.pk)
    assert document["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert document["proof"]["verificationMethod"].endswith("#" + key.kid)
    assert proofs.verify(document, private.public_key())
    text = qr_text(credential)
    assert text.startswith("HZ1:")
    opened = compact.open_text(text)
    assert opened.kid == key.kid
    assert opened.verifies_with(keytext.public_from_b64(key.public_key))
    assert opened.facts["k"] == "rc" and opened.facts["g"] == "MA:B HI:A"
    assert opened.claims[7] == credential.pk
    assert qr_svg(credential).startswith("<svg")
    assert qr_code(credential).version <= 11


def test_only_those_who_issue_may(world: World, signing_key) -> None:
    with pytest.raises(Forbidden):
        issue(world, by=world.asha)
    with pytest.raises(Forbidden):
        issue(world, by=world.meera)


def test_no_key_configured_is_refused(world: World, settings) -> None:
    settings.HAZRI_SIGNING_KEY_FILE = ""
    settings.HAZRI_SIGNING_KEY = ""
    with pytest.raises(SigningKeyMissing):
        issue(world)


def test_bad_facts_are_refused(world: World, signing_key) -> None:
    with pytest.raises(Invalid) as caught:
        issue(world, compact={"Bad Key": 1})
    assert caught.value.field == "compact.Bad Key"
    with pytest.raises(Invalid) as caught:
        issue(world, compact={"x": "y" * 500})
    assert caught.value.code == "too_long"
    with pytest.raises(Invalid):
        issue(world, kind="diploma")
