import json
import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hazri.common.errors import ServiceError
from hazri.credentials import keys as keytext
from hazri.credentials import selectors, services


class Command(BaseCommand):
    help = (
        "The state's signing keys: `generate --out FILE` writes a new private key (mode "
        "0600; never commit it); `register` makes the configured key "
        "(HAZRI_SIGNING_KEY_FILE or HAZRI_SIGNING_KEY), or --file, the current one "
        "(rotation: the previous key stops signing and stays listed); `retire --kid K "
        "--reason R` withdraws a compromised key; `list` prints the published keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser("generate")
        generate.add_argument("--out", required=True)
        register = sub.add_parser("register")
        register.add_argument("--file", help="A private key file (default: the configured key).")
        register.add_argument(
            "--if-new", action="store_true", help="A key already registered is left as it is."
        )
        retire = sub.add_parser("retire")
        retire.add_argument("--kid", required=True)
        retire.add_argument("--reason", required=True)
        sub.add_parser("list")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except ServiceError as error:
            raise CommandError(error.message) from None

    def _generate(self, out: str, **options: Any) -> None:
        path = Path(out)
        if path.exists():
            raise CommandError(f"{path} exists: a key is never overwritten.")
        private = Ed25519PrivateKey.generate()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(keytext.private_to_pem(private))
        kid = keytext.kid_of(private.public_key())
        self.stdout.write(
            f"Wrote {path} (key {kid}). Set HAZRI_SIGNING_KEY_FILE={path} and run register."
        )

    def _register(self, file: str | None = None, if_new: bool = False, **options: Any) -> None:
        if file:
            try:
                private = keytext.private_from_text(Path(file).read_text())
            except (OSError, keytext.KeyError_) as error:
                raise CommandError(str(error)) from None
        else:
            private = services.configured_private_key()
        kid = keytext.kid_of(private.public_key())
        if if_new and kid in {key["kid"] for key in selectors.published_keys()["keys"]}:
            self.stdout.write(f"Key {kid} is registered already.")
            return
        key = services.signing_key_register(public_key=private.public_key())
        self.stdout.write(f"Key {key.kid} signs from {key.valid_from.isoformat()}.")

    def _retire(self, kid: str, reason: str, **options: Any) -> None:
        key = services.signing_key_retire(kid=kid, reason=reason)
        self.stdout.write(f"Key {key.kid} withdrawn at {key.retired_at}.")

    def _list(self, **options: Any) -> None:
        self.stdout.write(json.dumps(selectors.published_keys(), indent=2))
