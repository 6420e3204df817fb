"""Invitation codes: short, typed by hand from a printed slip.

Ten characters from an alphabet with no look-alikes (no 0/O, 1/I/L), shown in two
groups of five: ABCDE-FGHJK. 31^10 (about 8 * 10^14) codes; a code lives for weeks
and is good once. Only its SHA-256 digest is stored.
"""

import hashlib
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 10
GROUP = 5


def code_new() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:GROUP]}-{raw[GROUP:]}"


def code_normal(code: str) -> str | None:
    """The code as typed, upper-cased, without spaces or dashes; None when it cannot be
    a code (a wrong length or a character outside the alphabet)."""
    raw = "".join(ch for ch in code.upper() if ch not in " -\t")
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return raw


def code_digest(code: str) -> str:
    """The stored digest of a code (written any way code_normal accepts)."""
    return hashlib.sha256((code_normal(code) or code).encode()).hexdigest()
