import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hazri.common.errors import ServiceError
from hazri.interop.oneroster.bundle import BundleInvalid, read_bundle
from hazri.interop.oneroster.export import export_area
from hazri.interop.oneroster.load import import_bundle
from hazri.interop.oneroster.rows import zip_files
from hazri.org.models import OrgUnit, School


class Command(BaseCommand):
    help = (
        "1EdTech OneRoster 1.2 CSV (docs/oneroster.md). `export --area CODE --out FILE.zip`: "
        "the roster of a unit (by its code: the state, a district, …) or of one school (by "
        "its UDISE code). `import FILE.zip`: a bundle, bulk or delta, checked whole first; "
        "prints what was created, changed and ended."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Export an area's roster as a zip")
        export.add_argument("--area", required=True, help="A unit's code or a school's code")
        export.add_argument("--out", required=True, type=Path, help="The zip to write")
        load = sub.add_parser("import", help="Import a bundle (a zip)")
        load.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options["area"], options["out"])
        else:
            self._import(options["file"])

    def _export(self, code: str, out: Path) -> None:
        unit = OrgUnit.objects.filter(code=code).first()
        school = None if unit else School.objects.filter(code=code).first()
        if unit is None and school is None:
            raise CommandError(f"No unit or school has the code {code}.")
        files = export_area(unit=unit, school=school)
        out.write_bytes(zip_files(files))
        rows = sum(content.count(b"\n") - 1 for name, content in files.items())
        self.stdout.write(f"Wrote {out} ({out.stat().st_size} bytes, {rows} rows).")

    def _import(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            bundle = read_bundle(path.read_bytes())
            summary = import_bundle(bundle, by=None)
        except BundleInvalid as error:
            raise CommandError("\n".join(str(p) for p in error.problems)) from error
        except ServiceError as error:
            raise CommandError(error.message) from error
        self.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False))
        if summary["refused"]:
            raise CommandError(f"{len(summary['refused'])} schools were refused.")
