"""Uploaded tables: CSV (UTF-8, with or without its mark) and XLSX read alike; a broken
file is refused with its line and reason."""

import io

import pytest
from openpyxl import Workbook

from hazri.common.errors import Invalid
from hazri.common.tabular import read_table


def test_csv_and_xlsx_read_alike() -> None:
    csv_bytes = "\ufeffstate_id, name ,dob\nS1,राम,2015-04-01\n\nS2,Asha,\n".encode()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["state_id", " name ", "dob", None])
    sheet.append(["S1", "राम", "2015-04-01"])
    sheet.append([None, None, None])
    sheet.append(["S2", "Asha", None])
    out = io.BytesIO()
    book.save(out)
    for data in (csv_bytes, out.getvalue()):
        table = read_table(data)
        assert table.columns == ("state_id", "name", "dob")
        assert [number for number, _ in table] == [2, 4]
        assert table.rows[0][1] == {"state_id": "S1", "name": "राम", "dob": "2015-04-01"}
        assert table.rows[1][1]["dob"] == ""


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        ("id,name\n1,Ram\n2,Sh\xe9\n".encode("latin-1"), "encoding", "Line 3"),
        (b"id,name\n1,R\x00am\n", "nul", "Line 2"),
        (b"id,id\n1,2\n", "header", "named twice"),
        (b"id,name\n1,Ram,extra\n", "width", "Line 2 has 3 values"),
        (b"\n\n", "empty", "no header"),
        (b'id,name\n1,"Ram\n', "csv", "not valid CSV"),
        (b"PK\x03\x04broken", "xlsx", "cannot be read"),
    ],
)
def test_a_broken_file_is_refused_with_line_and_reason(data: bytes, code: str, words: str) -> None:
    with pytest.raises(Invalid) as caught:
        read_table(data, field="upload")
    assert caught.value.code == code
    assert caught.value.field == "upload"
    assert words in str(caught.value)
