"""Any table as CSV or XLSX: the dashboards' and reports' exports."""

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise

from hazri.common.templatetags.hazri_tags import local_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel on Windows reads a CSV without a byte-order mark in the machine's code page
# (Windows-1252 in India too): Devanagari came out as "à¤°à¤¾à¤®". With the mark it
# reads UTF-8; other readers (LibreOffice, Python's "utf-8-sig", pandas) skip it.
BOM = "\ufeff"

# What a table endpoint's `format` takes.
TableFormat = Literal["json", "csv", "xlsx"]


def table_formats() -> dict[str, Any]:
    """The OpenAPI document of an endpoint that answers its table as CSV or XLSX when
    asked (format=csv or format=xlsx), besides JSON: for ninja's openapi_extra, which
    adds these answers (a new dict each time: ninja merges it into the operation)."""
    return {
        "responses": {
            200: {
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    XLSX: {"schema": {"type": "string", "format": "binary"}},
                }
            }
        }
    }


def _plain(value: object) -> object:
    if hasattr(value, "name_local") and hasattr(value, "name"):
        # A school, a unit, a student…: named as the page names it, in the request's
        # language (Devanagari on a Hindi page), never the Latin name only.
        return local_name(value)
    if isinstance(value, Promise):  # a lazily translated label, in the active language
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # Spreadsheets know no time zones: show the instant in local time, to the second.
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    return "" if value is None else value


def table_response(
    *, headers: Sequence[str], rows: Sequence[Sequence[object]], filename: str, format: str
) -> HttpResponse:
    """The table as a CSV (UTF-8 with a byte-order mark) or XLSX download. A cell may be
    a named object (anything with `name` and `name_local`): it is written as the page
    shows it, in the active language."""
    if format == "csv":
        text = io.StringIO()
        text.write(BOM)
        writer = csv.writer(text)
        writer.writerow(headers)
        writer.writerows([[_plain(v) for v in row] for row in rows])
        response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([None if v is None else _plain(v) for v in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
