import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hazri.credentials import compact, offline


class Command(BaseCommand):
    help = (
        "Check a document's QR text offline with the state's published keys "
        "(the JSON of GET /api/v1/credentials/keys): `hazri verify-qr 'HZ1:…' --keys keys.json`."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("qr", help='The QR code\'s text, "HZ1:…"')
        parser.add_argument("--keys", required=True, help="The published key list (JSON file).")

    def handle(self, *args: Any, qr: str, keys: str, **options: Any) -> None:
        try:
            verdict = offline.check_with_key_file(qr, keys)
        except (OSError, json.JSONDecodeError, offline.KeyListError, compact.CompactError) as e:
            raise CommandError(str(e)) from None
        self.stdout.write(offline.report(verdict), ending="")
        if verdict.status != offline.GENUINE:
            raise CommandError(f"The document is not genuine: {verdict.status}.", returncode=1)
