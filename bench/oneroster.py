"""OneRoster 1.2 CSV for a large area: the time to export 100,000 students (and their
staff, guardians, classes), the bundle's sizes, the time to check it, to import it into
an empty database and to import it again (nothing changes).

    .venv/bin/python bench/oneroster.py [--students 100000] [--school-size 400]
    HAZRI_PG_DURABLE=1 bash scripts/with-postgres.sh .venv/bin/python bench/oneroster.py --db postgres

A throwaway database with the production settings (bench/dashboard.py's `configure`),
filled with bulk inserts: one state, four districts, schools of `--school-size` students
in sections of 40 (each with a class teacher and a mathematics teacher), a head and
staff per school, one guardian for every two students. Then, timed: the export of the
state (export_area, then the zip), the bundle's check (read_bundle), the import into
an emptied database (`--import-students` of them: the first schools of the bundle, as
their own bundle) and a second import of the same (which finds everything and writes
nothing). Prints the figures and writes bench/results/oneroster.json (or
oneroster-postgres.json).
"""

import argparse
import datetime as dt
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for folder in (str(ROOT), str(HERE)):
    if folder not in sys.path:
        sys.path.insert(0, folder)

from dashboard import configure  # noqa: E402  (next to this file)
from harness import header, write  # noqa: E402  (next to this file)

START = dt.date(2026, 4, 1)


def build(args: argparse.Namespace) -> dict[str, Any]:
    from hazri.org.models import AcademicYear, School, Section, Subject
    from hazri.org.services import orgunit_create
    from hazri.people.models import (
        Admission,
        Enrolment,
        Guardian,
        Guardianship,
        Posting,
        Staff,
        Student,
        TeachingAssignment,
    )

    started = time.perf_counter()
    state = orgunit_create(parent=None, kind="state", code="MP", name="Madhya Pradesh")
    districts = [
        orgunit_create(parent=state, kind="district", code=f"D{d}", name=f"District {d}")
        for d in range(4)
    ]
    year = AcademicYear.objects.create(
        unit=state, name="2026-27", starts_on=START, ends_on=dt.date(2027, 3, 31)
    )
    count = max(1, args.students // args.school_size)
    schools = School.objects.bulk_create(
        [
            School(
                unit=districts[n % 4],
                unit_path=districts[n % 4].path,
                code=f"2337{n:07d}",
                name=f"GPS {n}",
                name_local=f"शाला {n}",
            )
            for n in range(count)
        ]
    )
    per = args.school_size // 40 or 1
    sections = Section.objects.bulk_create(
        [
            Section(school=s, academic_year=year, grade=1 + k % 12, name="ABCDEFGHIJ"[k // 12])
            for s in schools
            for k in range(per)
        ]
    )
    maths = Subject.objects.bulk_create(
        [Subject(school=s, code="MATH", name="Mathematics") for s in schools]
    )
    staff = Staff.objects.bulk_create(
        [
            Staff(employee_code=f"E{s.pk}-{k}", name=f"Teacher {s.pk} {k}", gender="FM"[k % 2])
            for s in schools
            for k in range(per + 1)
        ]
    )
    postings, assignments = [], []
    for i, school in enumerate(schools):
        mine = staff[i * (per + 1) : (i + 1) * (per + 1)]
        for k, member in enumerate(mine):
            role = "head" if k == 0 else "teacher"
            postings.append(Posting(staff=member, school=school, role=role, starts_on=START))
        for k, section in enumerate(sections[i * per : (i + 1) * per]):
            teacher = mine[k + 1]
            assignments.append(
                TeachingAssignment(school=school, staff=teacher, section=section, starts_on=START)
            )
            assignments.append(
                TeachingAssignment(
                    school=school, staff=mine[0], section=section, subject=maths[i], starts_on=START
                )
            )
    Posting.objects.bulk_create(postings, batch_size=5000)
    TeachingAssignment.objects.bulk_create(assignments, batch_size=5000)
    students = Student.objects.bulk_create(
        [
            Student(
                state_id=f"SAM{n:09d}",
                name=f"Student {n} Kumar",
                name_local=f"छात्र {n}",
                gender="FM"[n % 2],
                date_of_birth=dt.date(2012 + n % 8, 1 + n % 12, 1 + n % 28),
            )
            for n in range(count * args.school_size)
        ],
        batch_size=5000,
    )
    admissions, enrolments = [], []
    for n, student in enumerate(students):
        i = n // args.school_size
        admissions.append(
            Admission(school=schools[i], student=student, admission_no=str(n), admitted_on=START)
        )
    Admission.objects.bulk_create(admissions, batch_size=5000)
    for n, admission in enumerate(admissions):
        i = n // args.school_size
        section = sections[i * per + (n % args.school_size) % per]
        enrolments.append(
            Enrolment(
                school=schools[i],
                section=section,
                student=admission.student,
                admission=admission,
                origin="promoted",
                starts_on=START,
            )
        )
    Enrolment.objects.bulk_create(enrolments, batch_size=5000)
    guardians = Guardian.objects.bulk_create(
        [
            Guardian(name=f"Parent {n} Kumar", phone=f"+9198{n:08d}")
            for n in range(len(students) // 2)
        ],
        batch_size=5000,
    )
    Guardianship.objects.bulk_create(
        [
            Guardianship(
                guardian=guardians[n // 2], student=s, relation="mother" if n % 4 else "father"
            )
            for n, s in enumerate(students[: 2 * len(guardians)])
        ],
        batch_size=5000,
    )
    return {
        "schools": len(schools),
        "sections": len(sections),
        "students": len(students),
        "staff": len(staff),
        "guardians": len(guardians),
        "build_s": round(time.perf_counter() - started, 1),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    from hazri.interop.oneroster.bundle import read_bundle
    from hazri.interop.oneroster.export import export_area
    from hazri.interop.oneroster.load import import_bundle
    from hazri.interop.oneroster.rows import zip_files
    from hazri.org.models import OrgUnit, School

    out: dict[str, Any] = {}
    state = OrgUnit.objects.get(code="MP")
    started = time.perf_counter()
    files = export_area(unit=state)
    out["export_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    zipped = zip_files(files)
    out["zip_s"] = round(time.perf_counter() - started, 2)
    out["zip_mb"] = round(len(zipped) / 2**20, 2)
    out["files_kb"] = {name: round(len(content) / 1024) for name, content in files.items()}
    out["rows"] = {name: content.count(b"\n") - 1 for name, content in files.items()}
    again = export_area(unit=state)
    assert again == files, "two exports of the same data differ"
    started = time.perf_counter()
    read_bundle(zipped)
    out["check_s"] = round(time.perf_counter() - started, 2)
    # The import: the first schools' students (their own bundle) into an empty database.
    codes = list(School.objects.order_by("code").values_list("code", flat=True))
    take = max(1, args.import_students // args.school_size)
    first = School.objects.select_related("unit").get(code=codes[0])
    # One district (a quarter of the schools) when the whole state is too many.
    top_code = "MP" if take >= len(codes) else first.unit.code
    district_bundle = files if top_code == "MP" else export_area(unit=first.unit)
    part = zip_files(district_bundle)
    out["import_bundle_mb"] = round(len(part) / 2**20, 2)
    from hazri.testing.empty import empty_rosters

    empty_rosters(fast=True)
    started = time.perf_counter()
    summary = import_bundle(read_bundle(part), by=None)
    out["import_s"] = round(time.perf_counter() - started, 1)
    assert not summary["refused"], summary["refused"][:3]
    out["import_counts"] = summary["counts"]
    out["import_ms_per_student"] = round(
        1000 * out["import_s"] / summary["counts"]["students_created"], 1
    )
    started = time.perf_counter()
    summary = import_bundle(read_bundle(part), by=None)
    out["reimport_s"] = round(time.perf_counter() - started, 1)
    assert not [k for k in summary["counts"] if k.endswith("_created")], summary
    after = export_area(unit=OrgUnit.objects.get(code=top_code))
    out["round_trip_differs"] = sorted(n for n in after if after[n] != district_bundle.get(n))
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--school-size", type=int, default=400)
    parser.add_argument(
        "--import-students",
        type=int,
        default=25_000,
        help="import at most about this many (a district), all if the state is smaller",
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--out", default="")
    args = parser.parse_args(argv)
    from django.apps import apps

    folder = None if apps.ready else configure(args)  # in-process (tests): as set up
    try:
        result: dict[str, Any] = header("OneRoster 1.2 CSV: export, check, import", args)
        result["data"] = build(args)
        print(f"data: {json.dumps(result['data'])}", flush=True)
        result["oneroster"] = run(args)
    finally:
        if folder is not None:
            from django.db import connections

            connections.close_all()
            shutil.rmtree(folder, ignore_errors=True)
    write(result, "oneroster", args)
    print(json.dumps({k: result[k] for k in ("data", "oneroster")}, indent=2, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
