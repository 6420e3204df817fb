"""Broken files are refused with the line and the reason, never half imported: whole-file
faults at the upload (nothing stored), a bad row in the preview (it cannot be confirmed)."""

import pytest

from hazri.common.errors import Invalid
from hazri.common.files import Upload
from hazri.people.models import Student
from hazri.rosters import services
from hazri.rosters.models import RosterJob, RosterLine
from hazri.testing.world import World

from .rosters_world import ON, data, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "code", "says"),
    [
        ("students_latin1.csv", "encoding", "Line 4 is not UTF-8"),
        ("students_missing_column.csv", "missing_column", "admitted_on"),
        ("students_duplicate_ids.csv", "duplicate", "Line 7: state_id IMP0002 is also on line 3"),
        ("students_ragged.csv", "width", "Line 4 has 15 values"),
    ],
)
def test_whole_file_faults_stop_at_the_upload(
    world: World, superuser: object, name: str, code: str, says: str
) -> None:
    with pytest.raises(Invalid) as refused:
        upload(superuser, name)
    assert refused.value.code == code and refused.value.field == "file"
    assert says in refused.value.message
    assert not RosterJob.objects.exists()


@pytest.mark.parametrize(
    ("name", "line", "column", "says"),
    [
        ("students_bad_date.csv", 3, "admitted_on", "31/02/2022 is not a date."),
        ("students_unknown_school.csv", 4, "school_code", "No school 99999999999 in your area."),
    ],
)
def test_a_bad_row_is_refused_in_the_preview(
    world: World, superuser: object, name: str, line: int, column: str, says: str
) -> None:
    job = upload(superuser, name)
    (refused,) = RosterLine.objects.filter(job=job, action="refused")
    assert (refused.line, refused.column, refused.reason) == (line, column, says)
    before = Student.objects.count()
    with pytest.raises(Exception, match="fix them in the file"):
        services.import_confirm(job=job, user=superuser)
    assert Student.objects.count() == before


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (b"school_code,state_id\n1,\x002\n", "nul"),
        (b"%PDF-1.4 not a table", "bad_type"),
        (b"\x89PNG\r\n\x1a\n....", "bad_type"),
        (b"", "bad_type"),
    ],
)
def test_not_a_table_is_refused(world: World, superuser: object, payload: bytes, code: str) -> None:
    with pytest.raises(Invalid) as refused:
        services.import_upload(
            user=superuser, kind="students", upload=Upload("x.csv", payload), on=ON
        )
    assert refused.value.code == code


def test_an_oversized_file_is_refused_before_it_is_read(
    world: World, superuser: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hazri.common import files

    monkeypatch.setattr(files, "MAX_TABLE_BYTES", 100)
    monkeypatch.setattr(files.check_table, "__kwdefaults__", {"most": 100})
    with pytest.raises(Invalid) as refused:
        services.import_upload(
            user=superuser,
            kind="students",
            upload=Upload("big.csv", data("students_good.csv")),
            on=ON,
        )
    assert refused.value.code == "too_large"


def test_a_row_without_its_section_or_gender_names_the_column(
    world: World, superuser: object
) -> None:
    from .make_files import HEADER, STUDENTS, _csv

    rows = [list(r) for r in STUDENTS]
    rows[0][HEADER.index("section")] = "Z"
    rows[1][HEADER.index("gender")] = "X"
    rows[2][HEADER.index("roll_no")] = "12a"
    job = services.import_upload(
        user=superuser, kind="students", upload=Upload("x.csv", _csv(HEADER, rows).encode()), on=ON
    )
    refused = {
        line.line: (line.column, line.reason)
        for line in RosterLine.objects.filter(job=job, action="refused")
    }
    assert refused == {
        2: ("section", "GPS Rampur has no section 5 Z this session."),
        3: ("gender", "X is not one of M, F, O."),
        4: ("roll_no", "12a is not a whole number from 1 to 999."),
    }


def test_a_column_the_mapping_does_not_know_stops_the_upload(
    world: World, superuser: object
) -> None:
    from .make_files import STATE_MAPPING

    mapping = services.mapping_save(
        user=superuser,
        unit=world.state,
        name="MP Samagra",
        kind="students",
        columns=STATE_MAPPING,
        date_formats=["DD/MM/YYYY"],
    )
    lines = data("students_state.csv").decode().splitlines()
    extra = [lines[0] + ",FATHER_NAME"] + [line + ",Ram" for line in lines[1:]]
    with pytest.raises(Invalid) as refused:
        services.import_upload(
            user=superuser,
            kind="students",
            upload=Upload("x.csv", "\n".join(extra).encode()),
            mapping=mapping,
            on=ON,
        )
    assert refused.value.code == "unknown_column"
    assert "FATHER_NAME" in refused.value.message
    missing = [lines[0].replace("SAMAGRA_ID", "ID")] + lines[1:]
    with pytest.raises(Invalid, match="from the column SAMAGRA_ID, which the file lacks"):
        services.import_upload(
            user=superuser,
            kind="students",
            upload=Upload("x.csv", "\n".join(missing).encode()),
            mapping=mapping,
            on=ON,
        )
