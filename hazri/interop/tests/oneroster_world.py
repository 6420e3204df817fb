"""The test world with what a OneRoster bundle carries beyond it: a subject taught in
section 5 A, its class teacher, a second section, a student who moved between them,
one who left, and a mother with her login-less guardianship."""

import datetime as dt
import io
import zipfile

from hazri.org.models import Section, Subject
from hazri.people import services as people
from hazri.people.models import Guardian, Guardianship
from hazri.testing.world import World

DATA = "hazri/interop/tests/data/oneroster"


def enrich(world: World) -> None:
    start = dt.date(2026, 4, 1)
    maths = Subject.objects.create(school=world.school, code="MATH", name="Mathematics")
    ravi, asha, _ = world.staff
    people.assignment_start(staff=asha, section=world.section, starts_on=start, by=None)
    people.assignment_start(
        staff=ravi, section=world.section, subject=maths, starts_on=start, by=None
    )
    other = Section.objects.create(school=world.school, academic_year=world.year, grade=5, name="B")
    people.student_move(student=world.students[0], section=other, on=dt.date(2026, 9, 1), by=None)
    people.student_strike_off(
        student=world.students[4],
        school=world.school,
        last_day=dt.date(2026, 10, 31),
        reason="TC issued",
        by=None,
    )
    mother = Guardian.objects.create(
        name="Salma Khan", name_local="सलमा ख़ान", phone="+919800000002"
    )
    Guardianship.objects.create(
        guardian=mother, student=world.students[1], relation=Guardianship.Relation.MOTHER
    )


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def bundle_of(folder: str) -> bytes:
    """The zip of one of the data folder's bundles."""
    from pathlib import Path

    root = Path(DATA) / folder
    return zipped({p.name: p.read_bytes() for p in sorted(root.iterdir()) if p.is_file()})


def files_of(folder: str) -> dict[str, bytes]:
    from pathlib import Path

    return {p.name: p.read_bytes() for p in sorted((Path(DATA) / folder).iterdir())}
