"""Data Integrity proofs with the `eddsa-jcs-2022` cryptosuite (W3C "Data Integrity
EdDSA Cryptosuites v1.0", §3.3): JSON Canonicalization Scheme (RFC 8785), SHA-256 and
Ed25519. No database and no Django: the offline check uses it as the server does.

Signing (spec §3.3.1-3.3.6): the proof configuration is the proof without its
proofValue, carrying the document's `@context`; the signed bytes are
SHA-256(JCS(proof configuration)) followed by SHA-256(JCS(document without proof)), and
the signature is written multibase base58btc ("z…").
"""

import hashlib
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_TYPE = "DataIntegrityProof"
# The multicodec prefixes of an Ed25519 public key and secret key (varint-encoded).
_ED25519_PUB = b"\xed\x01"
_ED25519_PRIV = b"\x80\x26"

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: n for n, c in enumerate(_B58)}


class ProofError(ValueError):
    """The document or its proof is not in a shape that can be checked at all."""


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + out


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in _B58_INDEX:
            raise ProofError("not base58btc")
        number = number * 58 + _B58_INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase_decode(text: str) -> bytes:
    """A multibase base58btc string ("z…") as bytes."""
    if not isinstance(text, str) or not text.startswith("z") or len(text) > 200:
        raise ProofError("not multibase base58btc")
    return b58decode(text[1:])


def public_multikey(key: Ed25519PublicKey) -> str:
    """The key as a Multikey's publicKeyMultibase ("z6Mk…")."""
    return "z" + b58encode(_ED25519_PUB + key.public_bytes_raw())


def public_from_multikey(text: str) -> Ed25519PublicKey:
    raw = multibase_decode(text)
    if not raw.startswith(_ED25519_PUB) or len(raw) != 34:
        raise ProofError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_from_multikey(text: str) -> Ed25519PrivateKey:
    raw = multibase_decode(text)
    if not raw.startswith(_ED25519_PRIV) or len(raw) != 34:
        raise ProofError("not an Ed25519 secret Multikey")
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def _hash_data(document: dict[str, Any], config: dict[str, Any]) -> bytes:
    try:
        return (
            hashlib.sha256(rfc8785.dumps(config)).digest()
            + hashlib.sha256(rfc8785.dumps(document)).digest()
        )
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as error:
        raise ProofError(f"cannot be canonicalised: {error}") from None


def sign(
    document: dict[str, Any],
    key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: str,
) -> dict[str, Any]:
    """The document with a DataIntegrityProof added (the input is not changed)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    if "@context" in unsecured:
        config["@context"] = unsecured["@context"]
    signature = key.sign(_hash_data(unsecured, config))
    return {**unsecured, "proof": {**config, "proofValue": "z" + b58encode(signature)}}


def proof_of(document: Any) -> dict[str, Any]:
    """The document's one eddsa-jcs-2022 proof (ProofError if it has none or another)."""
    if not isinstance(document, dict):
        raise ProofError("the document is not a JSON object")
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise ProofError("the document has no proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"the proof is not a {PROOF_TYPE} with {CRYPTOSUITE}")
    if not isinstance(proof.get("verificationMethod"), str):
        raise ProofError("the proof names no verificationMethod")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof's purpose is not assertionMethod")
    return proof


def verify(document: dict[str, Any], key: Ed25519PublicKey) -> bool:
    """Whether the document's proof is a signature of this key over this document
    (spec §3.3.2: the proof's @context, where present, must be the document's)."""
    proof = proof_of(document)
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if "@context" in config and config["@context"] != unsecured.get("@context"):
        return False
    try:
        signature = multibase_decode(proof.get("proofValue", ""))
    except ProofError:
        return False
    try:
        key.verify(signature, _hash_data(unsecured, config))
    except InvalidSignature:
        return False
    return True
