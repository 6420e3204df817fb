"""Bulk roster import: the time to preview and import the state's enrolment register
of 100,000 students (500 schools × 200), and to re-import it (nothing changes).

    .venv/bin/python bench/rosters.py [--schools 500] [--students 200]
    HAZRI_PG_DURABLE=1 bash scripts/with-postgres.sh .venv/bin/python bench/rosters.py --db postgres

A throwaway database with the production settings (bench/dashboard.py's `configure`):
a state of `--schools` schools, each with five sections (classes 1 to 5, section A)
of the 2026-27 session, and an empty roll. The register (a CSV of the default layout,
in memory, one guardian per child) lists `--students` children per school. Then, as
the system (`hazri import-roster` without --user):
- preview: check and read the file, plan every school (rosters.services.import_upload);
- import: one transaction per school through people.services.register_sync;
- the same file again: its preview (all unchanged) and its import (writes nothing).
Prints the figures and writes bench/results/rosters.json (or rosters-postgres.json).
"""

import argparse
import csv
import datetime as dt
import io
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

from dashboard import configure, prepare_database  # noqa: E402  (next to this file)
from harness import header, write  # noqa: E402  (next to this file)

ON = dt.date(2026, 11, 18)
HEADER = [
    "school_code", "state_id", "name", "name_local", "gender", "date_of_birth", "class",
    "section", "admission_no", "admitted_on", "roll_no", "guardian_name", "guardian_phone",
    "guardian_relation",
]  # fmt: skip


def build(args: argparse.Namespace) -> dict[str, Any]:
    from hazri.org.models import AcademicYear, AttendancePolicy, School, Section
    from hazri.org.services import orgunit_create

    started = time.perf_counter()
    state = orgunit_create(parent=None, kind="state", code="MP", name="Madhya Pradesh")
    district = orgunit_create(parent=state, kind="district", code="MP-BPL", name="Bhopal")
    AttendancePolicy.objects.create(unit=state, cutoff=dt.time(17, 0), weekly_offs=[7])
    year = AcademicYear.objects.create(
        unit=state, name="2026-27", starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2027, 3, 31)
    )
    schools = School.objects.bulk_create(
        [
            School(
                unit=district,
                unit_path=district.path,
                code=f"2332{n:07d}",
                name=f"Government School {n}",
            )
            for n in range(args.schools)
        ]
    )
    Section.objects.bulk_create(
        [
            Section(school=school, academic_year=year, grade=grade, name="A")
            for school in schools
            for grade in range(1, 6)
        ],
        batch_size=5000,
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    per_class = max(1, args.students // 5)
    for s, school in enumerate(schools):
        for i in range(args.students):
            n = s * args.students + i
            grade = 1 + min(4, i // per_class)
            writer.writerow(
                [
                    school.code, f"MP{n:010d}", f"Student {n}", f"छात्र {n}", "FM"[n % 2],
                    f"{2014 + grade % 5}-0{1 + n % 9}-1{n % 9}", grade, "A", f"{i + 1:04d}",
                    "2025-04-01" if grade > 1 else "2026-06-20", i % per_class + 1,
                    f"Parent {n}", f"+9198{n:08d}", ("mother", "father", "other")[n % 3],
                ]
            )  # fmt: skip
    data = out.getvalue().encode()
    return {
        "schools": len(schools),
        "students": args.schools * args.students,
        "register_mb": round(len(data) / 2**20, 1),
        "build_s": round(time.perf_counter() - started, 1),
        "_data": data,
    }


def _import(data: bytes, name: str) -> dict[str, Any]:
    from hazri.common.files import Upload
    from hazri.rosters import services

    started = time.perf_counter()
    job = services.import_upload(
        user=None, kind="students", upload=Upload(name, data), on=ON, enqueue=False
    )
    preview_s = time.perf_counter() - started
    assert job.refused == 0, job.counts
    started = time.perf_counter()
    services.import_confirm(job=job, user=None, enqueue=False)
    done = services.import_run(job.pk)
    import_s = time.perf_counter() - started
    assert done.status == "done", done.status
    return {
        "counts": job.counts,
        "preview_s": round(preview_s, 1),
        "import_s": round(import_s, 1),
        "rows_per_s": round(job.rows / import_s) if import_s else None,
    }


def run(data: bytes) -> dict[str, Any]:
    from hazri.people.models import Admission, Enrolment, Guardianship, Student

    first = _import(data, "register.csv")
    written = {
        "students": Student.objects.count(),
        "admissions": Admission.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "guardianships": Guardianship.objects.count(),
    }
    again = _import(data, "register-again.csv")
    assert again["counts"]["unchanged"] == first["counts"]["create"], again["counts"]
    assert Enrolment.objects.count() == written["enrolments"]
    return {"first": first, "written": written, "again": again}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=500)
    parser.add_argument("--students", type=int, default=200, help="students per school")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--out", default="")
    args = parser.parse_args(argv)
    from django.apps import apps

    folder = None if apps.ready else configure(args)  # in-process (tests): as set up
    try:
        result: dict[str, Any] = header(
            "roster import: the enrolment register, previewed, imported, again", args
        )
        built = build(args)
        result["data"] = {k: v for k, v in built.items() if not k.startswith("_")}
        result["data"].update(prepare_database())
        print(f"data: {json.dumps(result['data'])}", flush=True)
        result["import"] = run(built["_data"])
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    write(result, "rosters", args)
    print(json.dumps({k: result[k] for k in ("data", "import")}, indent=2, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
