"""The rows of a OneRoster bundle as our export writes them: the files' CSV (columns in
the binding's order, rows sorted by sourcedId), the manifest, the zip with a fixed
time, and the values our data maps to (sex, staff roles, names)."""

import csv
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from hazri.interop.oneroster import spec

SEX = {"F": "female", "M": "male", "O": "other"}
STAFF_ROLE = {"head": "principal", "admin": "siteAdministrator", "teacher": "teacher"}
OTHER_STAFF_ROLE = "ext:staff"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

Row = dict[str, str]


@dataclass
class Bundle:
    rows: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))

    def add(self, file: str, /, **values: str) -> None:
        self.rows[file].append(values)

    def files(self, *, system_code: str) -> dict[str, bytes]:
        out = {name: _csv(name, self.rows.get(name, [])) for name in spec.FILES}
        out[spec.MANIFEST] = _manifest(system_code)
        return dict(sorted(out.items()))


def _csv(name: str, rows: list[Row]) -> bytes:
    columns = spec.COLUMNS[name] + spec.EXTENSIONS.get(name, ())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in sorted(rows, key=lambda r: r["sourcedId"]):
        writer.writerow([row.get(column, "") for column in columns])
    return buffer.getvalue().encode()


def _manifest(system_code: str) -> bytes:
    entries = [
        ("manifest.version", spec.MANIFEST_VERSION),
        ("oneroster.version", spec.ONEROSTER_VERSION),
    ]
    states = dict.fromkeys(spec.FILES, spec.BULK) | dict.fromkeys(spec.OTHER_FILES, spec.ABSENT)
    entries += [(f"file.{name.removesuffix('.csv')}", states[name]) for name in sorted(states)]
    entries += [("source.systemName", "Hazri"), ("source.systemCode", system_code)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("propertyName", "value"))
    writer.writerows(entries)
    return buffer.getvalue().encode()


def zip_files(files: dict[str, bytes]) -> bytes:
    """The bundle's files at the zip's root, in name order, with a fixed time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()


def split_name(name: str) -> tuple[str, str]:
    """givenName and familyName of one of our names: the first word, and the rest."""
    given, _, family = " ".join(name.split()).partition(" ")
    return given, family


@dataclass
class Classes:
    year_sid: dict[int, str]
    section: dict[int, dict[str, Any]]  # id: {sid, grade, year}
    subject_class: dict[tuple[int, int], str]  # (section, subject): sid
    subject_code: dict[int, str]
