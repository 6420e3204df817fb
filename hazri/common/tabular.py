"""Reading a table a user uploads (CSV or XLSX) into rows of text, refusing a broken file
with the line and the reason before anything reads its values.

Imports (the state's enrolment register, the HR system, OneRoster bundles) share this:
the file's bytes were checked for size and type already (common.files); here the text
must be UTF-8 (with or without a byte-order mark), every row as wide as the header, no
column named twice and no NUL byte (PostgreSQL refuses them).
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from hazri.common.errors import Invalid

XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Table:
    """A file's header (column names, stripped) and its rows: (line number, values by
    column name). Line numbers count from 1 at the header, as a spreadsheet shows them."""

    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def read_table(data: bytes, *, field: str = "file") -> Table:
    """A CSV or XLSX file's rows; Invalid (naming `field`, the line and the reason) for
    a file that is not UTF-8, has no header, names a column twice or has ragged rows."""
    if data.startswith(XLSX_MAGIC):
        return _xlsx(data, field=field)
    return read_csv(data, field=field)


def read_csv(data: bytes, *, field: str = "file") -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise Invalid(
            _("Line %(line)s is not UTF-8 text: save the file as CSV UTF-8.") % {"line": line},
            field=field,
            code="encoding",
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise Invalid(
            _("Line %(line)s holds a NUL byte.") % {"line": line}, field=field, code="nul"
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        lines = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise Invalid(
            _("Line %(line)s is not valid CSV: %(reason)s")
            % {"line": reader.line_num, "reason": error},
            field=field,
            code="csv",
        ) from None
    return _table(lines, field=field)


def _xlsx(data: bytes, *, field: str) -> Table:
    from openpyxl import load_workbook  # heavy: only for spreadsheets

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise Invalid(
            _("The spreadsheet cannot be read: save it again as .xlsx or CSV UTF-8."),
            field=field,
            code="xlsx",
        ) from None
    try:
        sheet = book.worksheets[0]
        lines = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            row = [_cell(value) for value in values]
            if any(cell.strip() for cell in row):
                lines.append((number, row))
    finally:
        book.close()
    for number, row in lines:
        if any("\x00" in cell for cell in row):
            raise Invalid(
                _("Line %(line)s holds a NUL byte.") % {"line": number}, field=field, code="nul"
            )
    return _table(lines, field=field)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):  # a datetime: the day it names
        return value.date().isoformat()  # type: ignore[attr-defined, no-any-return]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(lines: list[tuple[int, list[str]]], *, field: str) -> Table:
    if not lines:
        raise Invalid(_("The file has no header row."), field=field, code="empty")
    header_line, header = lines[0]
    while header and not header[-1].strip():  # spreadsheets pad the header
        header.pop()
    columns = tuple(name.strip() for name in header)
    seen: set[str] = set()
    for name in columns:
        if not name:
            raise Invalid(
                _("Line %(line)s: a column has no name.") % {"line": header_line},
                field=field,
                code="header",
            )
        if name in seen:
            raise Invalid(
                _("Line %(line)s: the column %(column)s is named twice.")
                % {"line": header_line, "column": name},
                field=field,
                code="header",
            )
        seen.add(name)
    rows = []
    for number, row in lines[1:]:
        extra = row[len(columns) :]
        if any(cell.strip() for cell in extra):
            raise Invalid(
                _("Line %(line)s has %(count)s values; the header names %(columns)s columns.")
                % {"line": number, "count": len(row), "columns": len(columns)},
                field=field,
                code="width",
            )
        padded = row[: len(columns)] + [""] * (len(columns) - len(row))
        rows.append((number, {c: v.strip() for c, v in zip(columns, padded, strict=True)}))
    return Table(columns=columns, rows=tuple(rows))
