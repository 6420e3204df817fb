"""For tests (this app's and the apps that issue documents): a fresh signing key in a
temporary folder, configured and registered as the current key."""

from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hazri.credentials import keys as keytext
from hazri.credentials.models import SigningKey
from hazri.credentials.services import signing_key_register


def install_signing_key(settings: Any, folder: Path) -> tuple[Ed25519PrivateKey, SigningKey]:
    """Generate a key, write it to `folder`, point HAZRI_SIGNING_KEY_FILE at it (through
    pytest-django's `settings`) and register it; the previous key stops signing."""
    private = Ed25519PrivateKey.generate()
    path = folder / f"signing-{keytext.kid_of(private.public_key())}.pem"
    path.write_text(keytext.private_to_pem(private))
    path.chmod(0o600)
    settings.HAZRI_SIGNING_KEY_FILE = str(path)
    settings.HAZRI_SIGNING_KEY = ""
    return private, signing_key_register(public_key=private.public_key())
