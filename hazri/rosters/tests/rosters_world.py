"""Helpers of the rosters tests: the files of tests/data, uploads as a user makes them."""

import datetime as dt
from pathlib import Path
from typing import Any

from hazri.common.files import Upload
from hazri.rosters import services
from hazri.rosters.models import RosterJob, RosterMapping

DATA = Path(__file__).parent / "data"
ON = dt.date(2026, 11, 18)  # the import's day: a school day of the world's session


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def upload(
    user: Any, name: str, *, kind: str = "students", mapping: RosterMapping | None = None
) -> RosterJob:
    return services.import_upload(
        user=user, kind=kind, upload=Upload(name, data(name)), mapping=mapping, on=ON
    )


def matrix_file(school_id: int) -> bytes:
    """A one-row register of the school's first section (the matrix's and the GET
    test's imports)."""
    from hazri.org.models import School, Section

    school = School.objects.get(pk=school_id)
    section = Section.objects.filter(school=school).order_by("pk").first()
    assert section is not None
    return (
        "school_code,state_id,name,gender,class,section,admission_no,admitted_on\n"
        f"{school.code},MTX{school_id},Matrix Child,F,{section.grade},{section.name},M1,2026-04-01\n"
    ).encode()


def matrix_job(school_id: int, status: str = "previewed") -> int:
    """An import previewed for the school (by the system), as a job page shows it."""
    from hazri.rosters.models import RosterJobSchool

    job = RosterJob.objects.create(
        kind="students",
        file_name="register.csv",
        data=matrix_file(school_id),
        on=ON,
        status=status,
        rows=1,
        schools=1,
        counts={"create": 1},
    )
    RosterJobSchool.objects.create(job=job, school_id=school_id, rows=1, counts={"create": 1})
    return job.pk


def matrix_mapping(unit_id: int) -> int:
    """A mapping of the unit's own layout."""
    mapping = RosterMapping.objects.create(
        unit_id=unit_id,
        name=f"Layout {unit_id}",
        kind="students",
        columns={"state_id": "SAMAGRA_ID"},
        date_formats=["DD/MM/YYYY"],
    )
    return mapping.pk
