"""The key commands (generate, register = rotate, retire, list), the offline verify-qr
command, and keys read from the environment as PEM or raw base64."""

import base64
import json
from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command

from hazri.credentials import keys as keytext
from hazri.credentials.models import SigningKey
from hazri.credentials.selectors import published_keys
from hazri.credentials.services import SigningKeyMissing
from hazri.testing.world import World

from .conftest import issue


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_generate_register_rotate_and_retire(world: World, settings, tmp_path) -> None:
    first, second = tmp_path / "first.pem", tmp_path / "second.pem"
    _run("signing_key", "generate", "--out", str(first))
    assert first.stat().st_mode & 0o777 == 0o600
    with pytest.raises(CommandError):
        _run("signing_key", "generate", "--out", str(first))  # never overwritten
    settings.HAZRI_SIGNING_KEY_FILE = str(first)
    _run("signing_key", "register")
    old = issue(world)
    _run("signing_key", "generate", "--out", str(second))
    _run("signing_key", "register", "--file", str(second))
    with pytest.raises(SigningKeyMissing):
        issue(world)  # the first key no longer signs
    settings.HAZRI_SIGNING_KEY_FILE = str(second)
    new = issue(world)
    listed = json.loads(_run("signing_key", "list"))
    assert [k["kid"] for k in listed["keys"]] == [old.key.kid, new.key.kid]
    assert listed["keys"][0]["validUntil"] and not listed["keys"][1]["validUntil"]
    # A kid is base64url: one in 64 begins with "-", which argparse would read as an
    # option after a separate "--kid" (it did, now and then): the value goes in "--kid=".
    _run("signing_key", "retire", f"--kid={old.key.kid}", "--reason", "Lost")
    assert SigningKey.objects.get(kid=old.key.kid).retired_at is not None
    with pytest.raises(CommandError):
        _run("signing_key", "retire", "--kid", "nosuchkey", "--reason", "x")


def test_verify_qr_offline(world: World, signing_key, tmp_path) -> None:
    credential = issue(world)
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(published_keys()))
    out = _run("verify_qr", credential.qr, "--keys", str(keys))
    assert out.startswith("genuine") and "Grades: MA:B HI:A" in out
    empty = tmp_path / "none.json"
    empty.write_text(json.dumps({"issuer": "x", "keys": []}))
    with pytest.raises(CommandError, match="unknown_key"):
        _run("verify_qr", credential.qr, "--keys", str(empty))
    with pytest.raises(CommandError):
        _run("verify_qr", "garbage", "--keys", str(keys))


def test_the_key_comes_from_the_environment_as_pem_or_base64(world: World, settings) -> None:
    from hazri.credentials.services import signing_key_register

    private = Ed25519PrivateKey.generate()
    signing_key_register(public_key=private.public_key())
    settings.HAZRI_SIGNING_KEY_FILE = ""
    settings.HAZRI_SIGNING_KEY = keytext.private_to_pem(private)
    assert issue(world).key.kid == keytext.kid_of(private.public_key())
    settings.HAZRI_SIGNING_KEY = base64.b64encode(private.private_bytes_raw()).decode()
    assert issue(world).key.kid == keytext.kid_of(private.public_key())
    settings.HAZRI_SIGNING_KEY = "not a key"
    with pytest.raises(SigningKeyMissing, match="neither PEM nor base64"):
        issue(world)
    settings.HAZRI_SIGNING_KEY = ""
    settings.HAZRI_SIGNING_KEY_FILE = "/nonexistent/key.pem"
    with pytest.raises(SigningKeyMissing, match="cannot be read"):
        issue(world)


def test_hazri_verify_qr_is_the_command(world: World, signing_key, tmp_path, monkeypatch, capsys):
    from hazri.cli import main

    credential = issue(world)
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(published_keys()))
    monkeypatch.setattr("sys.argv", ["hazri", "verify-qr", credential.qr, "--keys", str(keys)])
    main()
    assert capsys.readouterr().out.startswith("genuine")


def test_the_offline_check_needs_no_django() -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    code = (
        "import sys, hazri.credentials.offline as o; "
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'; "
        "print(o.GENUINE)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "genuine"
