"""Writes the test files of tests/data (run it from anywhere; the files are committed).

`python hazri/rosters/tests/make_files.py`. The good files list new children at the
test world's two schools (hazri.testing.world: Rampur 5 A, Khedi 3 A); the broken ones
each carry one fault that must be refused with its line and reason.
"""

import csv
import io
import json
from pathlib import Path

DATA = Path(__file__).parent / "data"
RAMPUR, KHEDI = "23370100101", "23370100102"
HEADER = [
    "school_code",
    "state_id",
    "name",
    "name_local",
    "gender",
    "date_of_birth",
    "class",
    "section",
    "admission_no",
    "admitted_on",
    "roll_no",
    "guardian_name",
    "guardian_phone",
    "guardian_relation",
]
STUDENTS = [
    [
        RAMPUR,
        "IMP0001",
        "Meena Kumari",
        "मीना कुमारी",
        "F",
        "2016-02-03",
        "5",
        "A",
        "1001",
        "2022-04-01",
        "1",
        "Sita Devi",
        "+919811111101",
        "mother",
    ],
    [
        RAMPUR,
        "IMP0002",
        "Rohan Lal",
        "रोहन लाल",
        "M",
        "2015-11-20",
        "5",
        "A",
        "1002",
        "2022-04-01",
        "2",
        "",
        "",
        "",
    ],
    [
        RAMPUR,
        "IMP0003",
        "Farida Bano",
        "",
        "F",
        "",
        "5",
        "A",
        "1003",
        "2026-07-01",
        "",
        "Salim Khan",
        "+919811111103",
        "father",
    ],
    [
        KHEDI,
        "IMP0004",
        "Vikram Singh",
        "विक्रम सिंह",
        "M",
        "2018-01-09",
        "3",
        "A",
        "2001",
        "2024-04-01",
        "1",
        "",
        "",
        "",
    ],
    [
        KHEDI,
        "IMP0005",
        "Pooja Yadav",
        "",
        "F",
        "2018-05-30",
        "3",
        "a",
        "2002",
        "2024-04-01",
        "",
        "Ram Yadav",
        "+919811111105",
        "father",
    ],
]
STAFF_HEADER = [
    "employee_code",
    "name",
    "name_local",
    "gender",
    "phone",
    "school_code",
    "role",
    "starts_on",
]
STAFF = [
    ["EMP001", "Ravi Verma", "रवि वर्मा", "M", "+919800000011", RAMPUR, "head", "2026-04-01"],
    ["EMP002", "Asha Patel", "", "F", "", RAMPUR, "teacher", "2026-04-01"],
    ["EMP101", "Kavita Joshi", "कविता जोशी", "F", "+919800000012", RAMPUR, "teacher", "2026-08-01"],
    ["EMP003", "Suresh Yadav", "", "M", "", KHEDI, "teacher", "2026-04-01"],
]
# A state's own layout: their names, DD/MM/YYYY dates, and the mapping that reads it.
STATE_MAPPING = {
    "school_code": "UDISE_CODE",
    "state_id": "SAMAGRA_ID",
    "name": "STUDENT_NAME",
    "gender": "SEX",
    "date_of_birth": "DOB",
    "class": "CLASS",
    "section": "SEC",
    "admission_no": "SR_NO",
    "admitted_on": "ADM_DATE",
}


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _dmy(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}" if iso else ""


def main() -> None:
    from openpyxl import Workbook

    DATA.mkdir(exist_ok=True)
    good = _csv(HEADER, STUDENTS)
    (DATA / "students_good.csv").write_bytes(b"\xef\xbb\xbf" + good.encode())
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in STUDENTS:
        sheet.append(row)
    book.save(DATA / "students_good.xlsx")
    (DATA / "staff_good.csv").write_text(_csv(STAFF_HEADER, STAFF), encoding="utf-8")
    ours = list(STATE_MAPPING)
    index = {name: HEADER.index(name) for name in ours}
    state_rows = []
    for row in STUDENTS:
        values = [row[index[name]] for name in ours]
        values[ours.index("date_of_birth")] = _dmy(values[ours.index("date_of_birth")])
        values[ours.index("admitted_on")] = _dmy(values[ours.index("admitted_on")])
        state_rows.append(values)
    (DATA / "students_state.csv").write_text(
        _csv([STATE_MAPPING[n] for n in ours], state_rows), encoding="utf-8"
    )
    (DATA / "state_mapping.json").write_text(
        json.dumps({"columns": STATE_MAPPING, "date_formats": ["DD/MM/YYYY"]}, indent=2) + "\n"
    )
    # Broken files.
    (DATA / "students_latin1.csv").write_bytes(
        _csv(
            HEADER, [*STUDENTS[:2], [*STUDENTS[2][:2], "Jos\xe9 Fern\xe1ndez", *STUDENTS[2][3:]]]
        ).encode("latin-1", errors="replace")  # Devanagari becomes "?"; line 4 holds é
    )
    missing = [c for c in HEADER if c != "admitted_on"]
    (DATA / "students_missing_column.csv").write_text(
        _csv(
            missing,
            [[v for c, v in zip(HEADER, r, strict=True) if c != "admitted_on"] for r in STUDENTS],
        ),
        encoding="utf-8",
    )
    duplicate = [
        *STUDENTS,
        [*STUDENTS[4][:1], "IMP0002", *STUDENTS[4][2:8], "2009", *STUDENTS[4][9:]],
    ]
    (DATA / "students_duplicate_ids.csv").write_text(_csv(HEADER, duplicate), encoding="utf-8")
    bad_date = [list(r) for r in STUDENTS]
    bad_date[1][HEADER.index("admitted_on")] = "31/02/2022"
    (DATA / "students_bad_date.csv").write_text(_csv(HEADER, bad_date), encoding="utf-8")
    ragged = _csv(HEADER, STUDENTS).splitlines()
    ragged[3] += ",extra"
    (DATA / "students_ragged.csv").write_text("\n".join(ragged) + "\n", encoding="utf-8")
    unknown = [list(r) for r in STUDENTS]
    unknown[2][0] = "99999999999"
    (DATA / "students_unknown_school.csv").write_text(_csv(HEADER, unknown), encoding="utf-8")


if __name__ == "__main__":
    main()
