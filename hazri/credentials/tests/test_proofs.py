"""eddsa-jcs-2022 against the published test vector (W3C Data Integrity EdDSA
Cryptosuites v1.0, the Alumni Credential of its test suite): the proof verifies with
the public key, signing with the vector's secret key gives the same proofValue, and any
change breaks it. Pure functions: no database."""

import copy

import pytest

from hazri.credentials import proofs

PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://www.w3.org/ns/credentials/examples/v2",
]
UNSIGNED = {
    "@context": CONTEXT,
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": f"did:key:{PUBLIC}",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
PROOF = {
    "type": "DataIntegrityProof",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": f"did:key:{PUBLIC}#{PUBLIC}",
    "cryptosuite": "eddsa-jcs-2022",
    "proofPurpose": "assertionMethod",
    "@context": CONTEXT,
    "proofValue": (
        "z5EhYRJkfPLkoT92FPXN8KK6M9rsBhq3xs19GBSsA6VdNYH4QMKSyNuA2Gfznz9QthVD7Rz3HTAfqxxay23htUpTg"
    ),
}
SIGNED = {**UNSIGNED, "proof": PROOF}


def test_the_published_vector_verifies() -> None:
    assert proofs.verify(SIGNED, proofs.public_from_multikey(PUBLIC))


def test_signing_reproduces_the_published_proof() -> None:
    secret = proofs.private_from_multikey(SECRET)
    assert proofs.public_multikey(secret.public_key()) == PUBLIC
    signed = proofs.sign(
        UNSIGNED, secret, verification_method=PROOF["verificationMethod"], created=PROOF["created"]
    )
    assert signed == SIGNED


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["credentialSubject"].update(alumniOf="The School of Forgeries"),
        lambda d: d.update(validFrom="2024-01-01T00:00:00Z"),
        lambda d: d["proof"].update(created="2023-02-24T23:36:39Z"),
        lambda d: d["proof"].update(**{"@context": ["https://www.w3.org/ns/credentials/v2"]}),
        lambda d: d["proof"].update(proofValue="z" + "1" * 80),
        lambda d: d["proof"].update(proofValue="not base58 0OIl"),
    ],
)
def test_any_change_breaks_it(change) -> None:
    document = copy.deepcopy(SIGNED)
    change(document)
    assert not proofs.verify(document, proofs.public_from_multikey(PUBLIC))


def test_base58_round_trips() -> None:
    for data in (b"", b"\0", b"\0\0\1", bytes(range(256))):
        assert proofs.b58decode(proofs.b58encode(data)) == data
