"""The shared CSV/XLSX export: what Excel on Windows needs, and names as pages show them."""

import codecs
import csv
import io
from dataclasses import dataclass

from django.utils import translation
from openpyxl import load_workbook

from hazri.common.tables import table_response


@dataclass(frozen=True)
class Named:
    name: str
    name_local: str


RAMPUR = Named("GPS Rampur", "शासकीय प्राथमिक शाला रामपुर")


def _csv(rows: list[list[object]]) -> bytes:
    answer = table_response(headers=["School", "Pupils"], rows=rows, filename="t", format="csv")
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    return answer.content


def test_a_csv_starts_with_a_byte_order_mark_once() -> None:
    """Excel on Windows reads a CSV without the mark in the machine's code page."""
    body = _csv([["रामपुर", 5]])
    assert body.startswith(codecs.BOM_UTF8)
    assert body.count(codecs.BOM_UTF8) == 1
    # What Excel shows: the Devanagari intact, the first header without the mark.
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table == [["School", "Pupils"], ["रामपुर", "5"]]


def test_a_named_cell_is_written_in_the_request_language() -> None:
    with translation.override("hi"):
        hindi = _csv([[RAMPUR, 5]]).decode("utf-8-sig")
        sheet = load_workbook(
            io.BytesIO(
                table_response(
                    headers=["School"], rows=[[RAMPUR]], filename="t", format="xlsx"
                ).content
            )
        ).active
    with translation.override("en"):
        english = _csv([[RAMPUR, 5]]).decode("utf-8-sig")
    assert hindi.splitlines()[1] == "शासकीय प्राथमिक शाला रामपुर,5"
    assert sheet is not None and sheet["A2"].value == "शासकीय प्राथमिक शाला रामपुर"
    assert english.splitlines()[1] == "GPS Rampur,5"
    # No Devanagari name recorded: the Latin one, in Hindi too.
    with translation.override("hi"):
        plain = _csv([[Named("GPS Khedi", ""), 1]]).decode("utf-8-sig")
    assert plain.splitlines()[1] == "GPS Khedi,1"
