from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hazri.common.openapi import SNAPSHOT, openapi_text


class Command(BaseCommand):
    help = "Write the API's OpenAPI document to docs/openapi.json (or --check that it matches)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="Fail if the file is stale.")

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        text = openapi_text()
        if check:
            if not SNAPSHOT.exists() or SNAPSHOT.read_text() != text:
                raise CommandError(f"{SNAPSHOT} is stale: run `hazri openapi` and commit it.")
            self.stdout.write("docs/openapi.json matches the code.")
            return
        SNAPSHOT.write_text(text)
        self.stdout.write(f"Wrote {SNAPSHOT}")
