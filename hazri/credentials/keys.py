"""Signing keys as text: reading the private key (PEM or raw base64) and naming a public
key by its id. No database: the key file's reader and the offline check use it."""

import base64
import binascii
import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class KeyError_(ValueError):
    """The text does not hold an Ed25519 private key."""


def kid_of(key: Ed25519PublicKey) -> str:
    """A public key's short id: 8 base64url characters of its SHA-256 (short, since
    every QR carries it)."""
    digest = hashlib.sha256(key.public_bytes_raw()).digest()
    return base64.urlsafe_b64encode(digest[:6]).decode()


def private_from_text(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key written as PEM (PKCS#8) or as its 32 raw bytes in base64."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        except (ValueError, TypeError):
            raise KeyError_("The PEM text is not a readable private key.") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyError_("The PEM key is not an Ed25519 key.")
        return key
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KeyError_("The key is neither PEM nor base64.") from None
    if len(raw) != 32:
        raise KeyError_("A raw Ed25519 key is 32 bytes.")
    return Ed25519PrivateKey.from_private_bytes(raw)


def private_to_pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_to_b64(key: Ed25519PublicKey) -> str:
    return base64.b64encode(key.public_bytes_raw()).decode()


def public_from_b64(text: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KeyError_("The public key is not base64.") from None
    if len(raw) != 32:
        raise KeyError_("An Ed25519 public key is 32 bytes.")
    return Ed25519PublicKey.from_public_bytes(raw)
