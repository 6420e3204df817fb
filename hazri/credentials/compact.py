"""The QR's compact form, as the EU Digital COVID Certificate builds it: the essential
facts as CBOR claims in a COSE_Sign1 (RFC 9052; alg EdDSA = -8, the key's id in the
protected header), zlib-compressed, base45 (RFC 9285), prefixed "HZ1:". No database and
no Django: the offline check uses it as the server does.

Claims (CWT, RFC 8392): 6 iat (issued, seconds), 7 cti (the
document's status-list index, which also names it), -70001 the document's facts as a
map of short keys (k: kind code, and the issuer's compact facts). The key's id (kid)
names the key; the state's published key list names the issuer.
"""

import zlib
from dataclasses import dataclass
from typing import Any

import base45
import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX = "HZ1:"
ALG_EDDSA = -8
COSE_SIGN1_TAG = 18
FACTS = -70001
MAX_TEXT = 4296  # a QR of version 40 holds no more alphanumeric characters
MAX_INFLATED = 8192  # a compressed bomb is refused before it fills memory


class CompactError(ValueError):
    """The text is not a Hazri QR at all (garbage, cut short, another format)."""


@dataclass(frozen=True)
class Opened:
    """A QR's content, its signature not yet checked."""

    kid: str
    claims: dict[Any, Any]
    signed: bytes  # the COSE Sig_structure the signature covers
    signature: bytes

    @property
    def facts(self) -> dict[str, Any]:
        facts = self.claims.get(FACTS)
        return facts if isinstance(facts, dict) else {}

    def verifies_with(self, key: Ed25519PublicKey) -> bool:
        try:
            key.verify(self.signature, self.signed)
        except InvalidSignature:
            return False
        return True


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected, b"", payload])


def seal(claims: dict[Any, Any], key: Ed25519PrivateKey, kid: str) -> str:
    """The claims signed and packed as "HZ1:" + base45 text."""
    protected = cbor2.dumps({1: ALG_EDDSA, 4: kid.encode()})
    payload = cbor2.dumps(claims)
    signature = key.sign(_sig_structure(protected, payload))
    cose = cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]))
    return PREFIX + base45.b45encode(zlib.compress(cose, 9)).decode()


def open_text(text: str) -> Opened:
    """The QR text unpacked (CompactError when it is not one of ours)."""
    text = text.strip()
    if not text.startswith(PREFIX):
        raise CompactError("It does not start with HZ1: (not a Hazri document's QR).")
    if len(text) > MAX_TEXT:
        raise CompactError("It is longer than any QR code holds.")
    try:
        packed = base45.b45decode(text[len(PREFIX) :])
        inflater = zlib.decompressobj()
        cose = inflater.decompress(packed, MAX_INFLATED)
        if inflater.unconsumed_tail:
            raise CompactError("It unpacks to more than a document's QR holds.")
        item = cbor2.loads(cose)
    except CompactError:
        raise
    except (ValueError, zlib.error, cbor2.CBORDecodeError, TypeError, OverflowError):
        raise CompactError("It is damaged or cut short (it does not unpack).") from None
    if isinstance(item, cbor2.CBORTag):
        if item.tag != COSE_SIGN1_TAG:
            raise CompactError("It is not a signed document (COSE_Sign1).")
        item = item.value
    if not (isinstance(item, (list, tuple)) and len(item) == 4):
        raise CompactError("It is not a signed document (COSE_Sign1).")
    protected, _unprotected, payload, signature = item
    if not all(isinstance(part, bytes) for part in (protected, payload, signature)):
        raise CompactError("It is not a signed document (COSE_Sign1).")
    try:
        header = cbor2.loads(protected)
        claims = cbor2.loads(payload)
    except (ValueError, cbor2.CBORDecodeError, TypeError, OverflowError):
        raise CompactError("It is damaged (its header or claims do not unpack).") from None
    if not isinstance(header, dict) or header.get(1) != ALG_EDDSA:
        raise CompactError("It is not signed with EdDSA.")
    kid = header.get(4)
    if not isinstance(kid, bytes) or not isinstance(claims, dict):
        raise CompactError("It names no signing key.")
    try:
        kid_text = kid.decode()
    except UnicodeDecodeError:
        raise CompactError("It names no signing key.") from None
    return Opened(
        kid=kid_text,
        claims=claims,
        signed=_sig_structure(protected, payload),
        signature=signature,
    )
