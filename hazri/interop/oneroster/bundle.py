"""Reading a OneRoster bundle: the zip opened with limits (size, entry count, expansion),
the manifest read, every file read (common.tabular) and checked whole — columns, values,
dates, references, duplicate sourcedIds — before anything is written. A broken bundle is
refused with each problem's file, line, column and reason."""

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from hazri.common.errors import Invalid
from hazri.common.tabular import read_table
from hazri.interop.models import SourcedId
from hazri.interop.oneroster import spec

MAX_ZIP_BYTES = 64 * 1024 * 1024
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200  # a file that expands more than this is refused (a zip bomb)
MAX_ENTRIES = 64
MAX_PROBLEMS = 50
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Row = dict[str, str]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return (
            f"{where}, {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"
        )


class BundleInvalid(Invalid):
    """The bundle is refused; `problems` lists each (file, line, column, reason)."""

    def __init__(self, problems: list[Problem]) -> None:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}", field="file", code="bad_bundle")
        self.problems = problems


@dataclass
class Bundle:
    modes: dict[str, str]  # file name: bulk or delta (absent files are left out)
    rows: dict[str, list[tuple[int, Row]]] = field(default_factory=dict)

    def of(self, name: str) -> list[tuple[int, Row]]:
        return self.rows.get(name, [])

    def delta(self, name: str) -> bool:
        return self.modes.get(name) == spec.DELTA


def unzip(data: bytes) -> dict[str, bytes]:
    """The zip's files by name; Invalid for what is no zip, too big or expands too far."""
    if len(data) > MAX_ZIP_BYTES:
        raise Invalid(
            f"The bundle is over {MAX_ZIP_BYTES // (1024 * 1024)} MB.", field="file", code="too_big"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Invalid("The file is not a zip archive.", field="file", code="not_zip") from None
    if len(infos) > MAX_ENTRIES:
        raise Invalid("The zip holds too many files.", field="file", code="too_many_files")
    if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise Invalid("The zip expands too far.", field="file", code="zip_bomb")
    files: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir() or info.filename.startswith("__MACOSX/"):
            continue
        if info.file_size > MAX_RATIO * max(info.compress_size, 1024):
            raise Invalid(f"{info.filename} expands too far.", field="file", code="zip_bomb")
        name = info.filename.rsplit("/", 1)[-1]
        try:
            with archive.open(info) as member:
                content = member.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
            raise Invalid(f"{name} cannot be read.", field="file", code="not_zip") from None
        if len(content) > info.file_size:
            raise Invalid(f"{name} expands too far.", field="file", code="zip_bomb")
        files[name] = content
    return files


def read_bundle(data: bytes) -> Bundle:
    """The bundle, checked whole (BundleInvalid lists what is wrong)."""
    files = unzip(data)
    problems: list[Problem] = []
    if spec.MANIFEST not in files:
        raise BundleInvalid([Problem(spec.MANIFEST, 0, "", "the bundle has no manifest.csv")])
    modes = _manifest(files[spec.MANIFEST], problems)
    bundle = Bundle(modes=modes)
    for name, mode in modes.items():
        if name not in files:
            problems.append(
                Problem(spec.MANIFEST, 0, f"file.{name[:-4]}", f"{mode}, but {name} is missing")
            )
            continue
        try:
            table = read_table(files[name], field=name)
        except Invalid as error:
            problems.append(Problem(name, 0, "", error.message))
            continue
        missing = [c for c in spec.REQUIRED[name] if c not in table.columns]
        for column in missing:
            problems.append(Problem(name, 1, column, "this required column is missing"))
        if not missing:
            bundle.rows[name] = list(table.rows)
    if not problems:
        _check_rows(bundle, problems)
    if problems:
        raise BundleInvalid(problems[:MAX_PROBLEMS])
    return bundle


def _manifest(data: bytes, problems: list[Problem]) -> dict[str, str]:
    try:
        table = read_table(data, field=spec.MANIFEST)
    except Invalid as error:
        raise BundleInvalid([Problem(spec.MANIFEST, 0, "", error.message)]) from None
    if "propertyName" not in table.columns or "value" not in table.columns:
        raise BundleInvalid(
            [Problem(spec.MANIFEST, 1, "propertyName", "the manifest needs propertyName and value")]
        )
    values = {row["propertyName"].strip(): (line, row["value"].strip()) for line, row in table}
    for key, want in (
        ("manifest.version", spec.MANIFEST_VERSION),
        ("oneroster.version", spec.ONEROSTER_VERSION),
    ):
        line, got = values.get(key, (0, ""))
        if got != want:
            problems.append(Problem(spec.MANIFEST, line, key, f"'{got}' is not {want}"))
    modes: dict[str, str] = {}
    for name in spec.FILES:
        line, mode = values.get(f"file.{name[:-4]}", (0, spec.ABSENT))
        if mode not in (spec.BULK, spec.DELTA, spec.ABSENT):
            problems.append(
                Problem(
                    spec.MANIFEST,
                    line,
                    f"file.{name[:-4]}",
                    f"'{mode}' is not bulk, delta or absent",
                )
            )
        elif mode != spec.ABSENT:
            modes[name] = mode
    return modes


def parse_day(text: str) -> dt.date | None:
    if not _DAY.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_moment(text: str) -> dt.datetime | None:
    if "T" not in text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# (file, column): the value set it must be in (with "ext:" extensions allowed).
_VALUES: dict[tuple[str, str], set[str]] = {
    ("orgs.csv", "type"): spec.ORG_TYPES,
    ("academicSessions.csv", "type"): spec.SESSION_TYPES,
    ("classes.csv", "classType"): spec.CLASS_TYPES,
    ("users.csv", "enabledUser"): spec.BOOLEANS,
    ("roles.csv", "roleType"): spec.ROLE_TYPES,
    ("roles.csv", "role"): spec.ROLES,
    ("enrollments.csv", "role"): spec.ENROLMENT_ROLES | spec.ROLES,
    ("enrollments.csv", "primary"): spec.BOOLEANS,
    ("demographics.csv", "sex"): spec.SEXES,
}
_DAYS = {
    "academicSessions.csv": ("startDate", "endDate"),
    "roles.csv": ("beginDate", "endDate"),
    "enrollments.csv": ("beginDate", "endDate"),
    "demographics.csv": ("birthDate",),
}
# (file, column): the file its sourcedIds name, and the stored kinds that may hold them.
_K = SourcedId.Kind
_REFS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("orgs.csv", "parentSourcedId"): ("orgs.csv", (_K.ORG, _K.SCHOOL)),
    ("academicSessions.csv", "parentSourcedId"): ("academicSessions.csv", (_K.YEAR,)),
    ("courses.csv", "orgSourcedId"): ("orgs.csv", (_K.ORG, _K.SCHOOL)),
    ("courses.csv", "schoolYearSourcedId"): ("academicSessions.csv", (_K.YEAR,)),
    ("classes.csv", "schoolSourcedId"): ("orgs.csv", (_K.SCHOOL,)),
    ("classes.csv", "termSourcedIds"): ("academicSessions.csv", (_K.YEAR,)),
    ("classes.csv", "metadata.hazri.sectionSourcedId"): ("classes.csv", (_K.CLASS,)),
    ("users.csv", "agentSourcedIds"): ("users.csv", (_K.STUDENT, _K.GUARDIAN, _K.STAFF)),
    ("users.csv", "primaryOrgSourcedId"): ("orgs.csv", (_K.ORG, _K.SCHOOL)),
    ("roles.csv", "userSourcedId"): ("users.csv", (_K.STUDENT, _K.GUARDIAN, _K.STAFF)),
    ("roles.csv", "orgSourcedId"): ("orgs.csv", (_K.ORG, _K.SCHOOL)),
    ("enrollments.csv", "classSourcedId"): ("classes.csv", (_K.CLASS, _K.SUBJECT_CLASS)),
    ("enrollments.csv", "schoolSourcedId"): ("orgs.csv", (_K.SCHOOL,)),
    ("enrollments.csv", "userSourcedId"): ("users.csv", (_K.STUDENT, _K.STAFF)),
    ("demographics.csv", "sourcedId"): ("users.csv", (_K.STUDENT, _K.STAFF, _K.GUARDIAN)),
}
_LISTS = {"termSourcedIds", "agentSourcedIds"}


def _check_rows(bundle: Bundle, problems: list[Problem]) -> None:
    known: dict[str, set[str]] = {}
    for name, rows in bundle.rows.items():
        seen: set[str] = set()
        delta = bundle.delta(name)
        for line, row in rows:
            sid = row["sourcedId"].strip()
            if not sid:
                problems.append(Problem(name, line, "sourcedId", "empty"))
            elif sid in seen:
                problems.append(Problem(name, line, "sourcedId", f"'{sid}' is given twice"))
            seen.add(sid)
            status, moment = row.get("status", "").strip(), row.get("dateLastModified", "").strip()
            if (status or delta) and status not in (spec.ACTIVE, spec.TO_BE_DELETED):
                problems.append(
                    Problem(name, line, "status", f"'{status}' is not active or tobedeleted")
                )
            if (moment or delta) and parse_moment(moment) is None:
                problems.append(
                    Problem(name, line, "dateLastModified", f"'{moment}' is no date and time")
                )
            if status == spec.TO_BE_DELETED:
                continue
            for column in spec.REQUIRED[name]:
                if not row.get(column, "").strip():
                    problems.append(Problem(name, line, column, "empty"))
            for (file, column), allowed in _VALUES.items():
                value = row.get(column, "").strip()
                if file == name and value and not spec.is_value(value, allowed):
                    problems.append(
                        Problem(
                            name,
                            line,
                            column,
                            f"'{value}' is not one of {', '.join(sorted(allowed))}",
                        )
                    )
            for column in _DAYS.get(name, ()):
                value = row.get(column, "").strip()
                if value and parse_day(value) is None:
                    problems.append(
                        Problem(name, line, column, f"'{value}' is no date (YYYY-MM-DD)")
                    )
        known[name] = seen
    _check_references(bundle, known, problems)


def _check_references(bundle: Bundle, known: dict[str, set[str]], problems: list[Problem]) -> None:
    wanted: list[tuple[str, int, str, str, str, tuple[str, ...]]] = []
    for (name, column), (target, kinds) in _REFS.items():
        for line, row in bundle.of(name):
            if row.get("status", "").strip() == spec.TO_BE_DELETED:
                continue
            text = row.get(column, "").strip()
            for sid in spec.split_list(text) if column in _LISTS else [text] if text else []:
                if sid not in known.get(target, set()):
                    wanted.append((name, line, column, sid, target, kinds))
    if not wanted:
        return
    asked = sorted({w[3] for w in wanted})
    stored: set[tuple[str, str]] = set()
    for start in range(0, len(asked), 5000):
        rows = SourcedId.objects.filter(sourced_id__in=asked[start : start + 5000])
        stored |= set(rows.values_list("kind", "sourced_id"))
    for name, line, column, sid, target, kinds in wanted:
        if not any((kind, sid) in stored for kind in kinds):
            problems.append(
                Problem(name, line, column, f"'{sid}' is in neither {target} nor an earlier import")
            )
