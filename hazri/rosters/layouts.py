"""The default column layouts of the two imports (docs/imports.md lists the same), and
reading a table's rows into checked values: a refused row names its column and reason.

Pure functions: no database. Schools and sections are looked up by the caller.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from hazri.common.errors import Invalid
from hazri.common.tabular import Table

ISO = "%Y-%m-%d"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    form: str  # how it is written (docs)
    example: str


STUDENT_COLUMNS = (
    Column("school_code", True, "UDISE code of the school", "23370100101"),
    Column("state_id", True, "State enrolment id (Samagra), unique in the file", "SAM1000001"),
    Column("name", True, "Name in English letters", "Aarav Sharma"),
    Column("name_local", False, "Name in the local script", "आरव शर्मा"),
    Column("gender", True, "M, F or O", "M"),
    Column("date_of_birth", False, "Date", "2015-08-14"),
    Column("class", True, "Class 1 to 12", "5"),
    Column("section", True, "Section name", "A"),
    Column("admission_no", True, "Admission number (S.R. No.) at the school", "0417"),
    Column("admitted_on", True, "Date", "2021-04-01"),
    Column("roll_no", False, "Roll number, 1 to 999", "12"),
    Column("guardian_name", False, "Guardian's name", "Ramesh Sharma"),
    Column("guardian_phone", False, "Phone, digits and a leading +", "+919800000001"),
    Column("guardian_relation", False, "mother, father or other", "father"),
)
STAFF_COLUMNS = (
    Column("employee_code", True, "HRMIS code, unique in the file", "EMP001"),
    Column("name", True, "Name in English letters", "Ravi Verma"),
    Column("name_local", False, "Name in the local script", "रवि वर्मा"),
    Column("gender", True, "M, F or O", "M"),
    Column("phone", False, "Phone, digits and a leading +", "+919800000002"),
    Column("school_code", True, "UDISE code of the school posted to", "23370100101"),
    Column("role", True, "head, teacher, admin or other", "teacher"),
    Column("starts_on", False, "Date the posting starts (default: the import's day)", "2024-07-01"),
)
LAYOUTS = {"students": STUDENT_COLUMNS, "staff": STAFF_COLUMNS}
KEYS = {"students": "state_id", "staff": "employee_code"}
GENDERS = ("M", "F", "O")
ROLES = ("head", "teacher", "admin", "other")
RELATIONS = ("mother", "father", "other")
PHONE = re.compile(r"\+?[0-9]{6,15}")
# strftime-free spellings a mapping may use for its date formats.
_TOKENS = (("YYYY", "%Y"), ("MM", "%m"), ("DD", "%d"), ("YY", "%y"))


class RowError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def date_format(spelled: str) -> str:
    """ "DD/MM/YYYY" as strftime's "%d/%m/%Y" (a format with % is taken as it is)."""
    if "%" in spelled:
        return spelled
    for token, code in _TOKENS:
        spelled = spelled.replace(token, code)
    return spelled


def check_date_formats(formats: list[str], *, field: str) -> list[str]:
    """The formats as strftime codes; Invalid for one that names no day, month and year."""
    checked = []
    for n, spelled in enumerate(formats):
        code = date_format(spelled.strip())
        if not all(part in code for part in ("%d", "%m")) or not ("%Y" in code or "%y" in code):
            raise Invalid(
                _("%(format)s is not a date format: write it like DD/MM/YYYY.")
                % {"format": spelled},
                field=f"{field}[{n}]",
                code="bad_format",
            )
        checked.append(code)
    return checked


def renamed(table: Table, kind: str, columns: dict[str, str], *, field: str) -> Table:
    """The table with a mapping's column names turned into ours; a whole-file Invalid
    for a column the mapping names that the file lacks, and for missing required columns."""
    theirs_to_ours = {theirs: ours for ours, theirs in columns.items() if theirs}
    for ours, theirs in columns.items():
        if theirs and theirs not in table.columns:
            raise Invalid(
                _("The mapping reads %(ours)s from the column %(theirs)s, which the file lacks.")
                % {"ours": ours, "theirs": theirs},
                field=field,
                code="missing_column",
            )
    names = tuple(theirs_to_ours.get(c, c) for c in table.columns)
    layout = {c.name for c in LAYOUTS[kind]}
    unknown = [c for c in names if c not in layout]
    if unknown and columns:
        raise Invalid(
            _("The column %(column)s is not in the mapping.") % {"column": unknown[0]},
            field=field,
            code="unknown_column",
        )
    missing = [c.name for c in LAYOUTS[kind] if c.required and c.name not in names]
    if missing:
        raise Invalid(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
            field=field,
            code="missing_column",
        )
    rows = tuple(
        (line, {theirs_to_ours.get(c, c): v for c, v in row.items()}) for line, row in table.rows
    )
    return Table(columns=names, rows=rows)


def refuse_duplicates(table: Table, kind: str, *, field: str) -> None:
    """A whole-file Invalid where the key column (state id, employee code) repeats."""
    key = KEYS[kind]
    seen: dict[str, int] = {}
    for line, row in table.rows:
        value = row.get(key, "")
        if not value:
            continue
        if value in seen:
            raise Invalid(
                _("Line %(line)s: %(column)s %(value)s is also on line %(first)s.")
                % {"line": line, "column": key, "value": value, "first": seen[value]},
                field=field,
                code="duplicate",
            )
        seen[value] = line


def parse_date(value: str, formats: list[str], column: str) -> dt.date:
    for code in [*formats, ISO]:
        try:
            return dt.datetime.strptime(value, code).date()  # noqa: DTZ007 (a day, no time)
        except ValueError:
            continue
    raise RowError(column, _("%(value)s is not a date.") % {"value": value})


def optional_date(row: dict[str, str], column: str, formats: list[str]) -> dt.date | None:
    value = row.get(column, "")
    return parse_date(value, formats, column) if value else None


def required(row: dict[str, str], column: str, limit: int = 200) -> str:
    value = row.get(column, "")
    if not value:
        raise RowError(column, _("A value is required."))
    return bounded(value, column, limit)


def bounded(value: str, column: str, limit: int) -> str:
    if len(value) > limit:
        raise RowError(column, _("Longer than %(limit)s characters.") % {"limit": limit})
    return value


def one_of(row: dict[str, str], column: str, allowed: tuple[str, ...], *, upper: bool) -> str:
    value = row.get(column, "")
    value = value.upper() if upper else value.lower()
    if value not in allowed:
        raise RowError(
            column,
            _("%(value)s is not one of %(allowed)s.")
            % {"value": row.get(column, ""), "allowed": ", ".join(allowed)},
        )
    return value


def phone(row: dict[str, str], column: str) -> str:
    value = row.get(column, "").replace(" ", "").replace("-", "")
    if value and not PHONE.fullmatch(value):
        raise RowError(column, _("%(value)s is not a phone number.") % {"value": value})
    return value


def number(row: dict[str, str], column: str, low: int, high: int) -> int | None:
    value = row.get(column, "")
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
        raise RowError(
            column,
            _("%(value)s is not a whole number from %(low)s to %(high)s.")
            % {"value": value, "low": low, "high": high},
        )
    return int(value)
