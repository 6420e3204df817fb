"""Reporting across the system (hazri.dashboards.selectors.reporting) on a synthetic
state: an area's applications, transfers, promotions and drop-outs over a year.

    .venv/bin/python bench/reporting.py [--schools 2000] [--children 150] [--runs 5]
    HAZRI_PG_DURABLE=1 bash scripts/with-postgres.sh .venv/bin/python bench/reporting.py --db postgres
    .venv/bin/python bench/reporting.py --schools 100     # a quick run

A throwaway database with the production settings (bench/dashboard.py's `configure`):
a state of districts of 2,000 schools, blocks of 125 and clusters of ~10 (as
bench/dashboard.py's tree), `--children` children a school, each with an admission
from an earlier session and an enrolment in the 2026-27 session (90 % promoted, 5 %
repeaters, 5 % new admissions of this session). Of the children, 3 % transfer to a
random other school on 1 October (struck off the day before, admitted there), 2 % are
struck off in November and admitted nowhere after, and a tenth of a school's roll
applies for next session (statuses mixed). Bulk written.

Then `year_report` at each level (the state, a district, a block, a cluster) is read
once to warm up and `--runs` times: the queries it took, the median and best wall time,
and the figures it found (the totals are checked against what was generated). Writes
bench/results/reporting[-postgres].json.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for folder in (str(ROOT), str(HERE)):
    if folder not in sys.path:
        sys.path.insert(0, folder)

import cpu  # noqa: E402  (next to this file)
from dashboard import configure, prepare_database  # noqa: E402

SCHOOLS_PER_DISTRICT = 2_000
SCHOOLS_PER_BLOCK = 125
SCHOOLS_PER_CLUSTER = 10
TRANSFERS, DROPOUTS, REPEATERS, NEW, APPLYING = 0.03, 0.02, 0.05, 0.05, 0.10
BATCH = 5_000


def build(args: argparse.Namespace) -> dict[str, Any]:
    """The state, its schools and children, and what happened to them this session."""
    from hazri.admissions.models import Application
    from hazri.org.models import AcademicYear, OrgUnit, School, Section
    from hazri.org.services import orgunit_create
    from hazri.people.models import Admission, Enrolment, Student

    started = time.perf_counter()
    rng = random.Random(args.seed)
    state = orgunit_create(parent=None, kind="state", code="ST", name="State")
    year = AcademicYear.objects.create(
        unit=state, name="2026-27", starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2027, 3, 31)
    )
    upcoming = AcademicYear.objects.create(
        unit=state, name="2027-28", starts_on=dt.date(2027, 4, 1), ends_on=dt.date(2028, 3, 31)
    )
    clusters: list[OrgUnit] = []
    for d in range(max(1, -(-args.schools // SCHOOLS_PER_DISTRICT))):
        district = orgunit_create(parent=state, kind="district", code=f"D{d}", name=f"D{d}")
        for b in range(SCHOOLS_PER_DISTRICT // SCHOOLS_PER_BLOCK):
            block = orgunit_create(parent=district, kind="block", code=f"D{d}B{b}", name=f"B{b}")
            for c in range(-(-SCHOOLS_PER_BLOCK // SCHOOLS_PER_CLUSTER)):
                clusters.append(
                    orgunit_create(parent=block, kind="cluster", code=f"D{d}B{b}C{c}", name=f"C{c}")
                )
    schools = School.objects.bulk_create(
        [
            School(unit=cl, unit_path=cl.path, code=f"S{n:07d}", name=f"School {n}")
            for n, cl in enumerate(clusters[n // SCHOOLS_PER_CLUSTER] for n in range(args.schools))
        ],
        batch_size=BATCH,
    )
    sections = Section.objects.bulk_create(
        [Section(school=s, academic_year=year, grade=5, name="A") for s in schools],
        batch_size=BATCH,
    )
    students = Student.objects.bulk_create(
        [Student(name=f"Child {i}", gender="F") for i in range(len(schools) * args.children)],
        batch_size=BATCH,
    )
    expected = {"transfers_in": 0, "transfers_out": 0, "dropouts": 0, "promoted": 0}
    expected |= {"repeaters": 0, "applications": 0}
    admissions, plan = [], []
    for k, student in enumerate(students):
        school = schools[k // args.children]
        roll = rng.random()
        origin = "new" if roll < NEW else "repeater" if roll < NEW + REPEATERS else "promoted"
        expected["promoted" if origin == "promoted" else "repeaters"] += origin != "new"
        fate = rng.random()
        moves = fate < TRANSFERS and len(schools) > 1
        drops = not moves and fate < TRANSFERS + DROPOUTS
        left = dt.date(2026, 9, 30) if moves else dt.date(2026, 11, 20) if drops else None
        admitted = year.starts_on if origin == "new" else dt.date(2022, 4, 1)
        admissions.append(
            Admission(
                school=school,
                student=student,
                admission_no=f"A{k}",
                admitted_on=admitted,
                left_on=left,
                leaving_reason="Left" if left else "",
            )
        )
        plan.append((school, origin, moves, left))
        expected["transfers_out"] += moves
        expected["transfers_in"] += moves
        expected["dropouts"] += drops
    Admission.objects.bulk_create(admissions, batch_size=BATCH)
    later, enrolments = [], []
    for (school, origin, moves, left), admission in zip(plan, admissions, strict=True):
        enrolments.append(
            Enrolment(
                school=school,
                section_id=section_of(sections, school),
                student_id=admission.student_id,
                admission=admission,
                origin=origin,
                starts_on=year.starts_on,
                ends_on=left,
            )
        )
        if moves:
            target = rng.choice(schools)
            while target.pk == school.pk:
                target = rng.choice(schools)
            later.append(
                Admission(
                    school=target,
                    student_id=admission.student_id,
                    admission_no=f"T{admission.pk}",
                    admitted_on=dt.date(2026, 10, 1),
                )
            )
    Admission.objects.bulk_create(later, batch_size=BATCH)
    Enrolment.objects.bulk_create(
        enrolments
        + [
            Enrolment(
                school_id=a.school_id,
                section_id=section_of(sections, a.school),
                student_id=a.student_id,
                admission=a,
                origin="new",
                starts_on=a.admitted_on,
            )
            for a in later
        ],
        batch_size=BATCH,
    )
    statuses = [s for s, _label in Application.Status.choices]
    applications = [
        Application(
            reference=f"R{n:09d}",
            school=school,
            academic_year=upcoming,
            grade=1,
            status=rng.choice(statuses),
            child_name=f"Applicant {n}",
            gender="F",
            date_of_birth=dt.date(2021, 1, 1),
            guardian_name="Guardian",
            guardian_phone="+919800000000",
            relation="mother",
            submitted_on=dt.date(2027, 2, 1),
        )
        for n, school in enumerate(
            school for school in schools for _ in range(int(args.children * APPLYING))
        )
    ]
    Application.objects.bulk_create(applications, batch_size=BATCH)
    expected["applications"] = len(applications)
    return {
        "state": state,
        "year": year,
        "upcoming": upcoming,
        "expected": expected,
        "rows": {
            "students": len(students),
            "admissions": len(admissions) + len(later),
            "enrolments": len(enrolments) + len(later),
            "applications": len(applications),
        },
        "build_s": round(time.perf_counter() - started, 1),
    }


_SECTION_OF: dict[int, int] = {}


def section_of(sections: list[Any], school: Any) -> int:
    if not _SECTION_OF:
        _SECTION_OF.update({s.school_id: s.pk for s in sections})
    return _SECTION_OF[school.pk]


def timed(args: argparse.Namespace, built: dict[str, Any]) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hazri.dashboards.selectors.reporting import FIGURES, year_report
    from hazri.org.models import OrgUnit

    state = built["state"]
    units = [state]
    for kind in ("district", "block", "cluster"):
        found = OrgUnit.objects.filter(kind=kind, path__startswith=state.path).order_by("pk")
        units.append(found.first())
    cases = []
    for unit in units:
        for year in (built["year"], built["upcoming"]):
            year_report(unit=unit, year=year)  # warm
            with CaptureQueriesContext(connection) as queries:
                report = year_report(unit=unit, year=year)
            times = []
            for _ in range(args.runs):
                began = time.perf_counter()
                year_report(unit=unit, year=year)
                times.append(time.perf_counter() - began)
            totals = {name: getattr(report.total.figures, name) for name in FIGURES}
            cases.append(
                {
                    "unit": unit.kind,
                    "year": year.name,
                    "rows": len(report.rows),
                    "queries": len(queries),
                    "median_s": round(statistics.median(times), 4),
                    "best_s": round(min(times), 4),
                    "totals": {k: v for k, v in totals.items() if v},
                }
            )
            print(
                f"{unit.kind:9} {year.name}  rows {len(report.rows):4}  "
                f"queries {len(queries):2}  median {statistics.median(times):8.3f} s  "
                f"best {min(times):8.3f} s"
            )
    # Where the state's time goes: each kind of record's query alone.
    from hazri.dashboards.selectors import reporting

    for part in ("_application_figures", "_admission_figures", "_enrolment_figures"):
        counted = getattr(reporting, part)
        counted(state, built["year"])
        times = []
        for _ in range(args.runs):
            began = time.perf_counter()
            counted(state, built["year"])
            times.append(time.perf_counter() - began)
        cases.append(
            {
                "unit": "state",
                "part": part.strip("_"),
                "median_s": round(statistics.median(times), 4),
            }
        )
        print(f"state     {part.strip('_'):22} median {statistics.median(times):8.3f} s")
    state_now = next(c for c in cases if c["unit"] == "state" and c.get("year") == "2026-27")
    state_next = next(c for c in cases if c["unit"] == "state" and c.get("year") == "2027-28")
    want = built["expected"]
    for name in ("transfers_in", "transfers_out", "dropouts", "promoted", "repeaters"):
        assert state_now["totals"].get(name, 0) == want[name], (name, state_now, want)
    assert state_next["totals"]["applications"] == want["applications"]
    return cases


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=2_000)
    parser.add_argument("--children", type=int, default=150)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--out", help="default: bench/results/reporting[-postgres].json")
    args = parser.parse_args(argv)
    folder = configure(args)
    try:
        from django.db import transaction

        with transaction.atomic():
            built = build(args)
        print(f"built {built['rows']} in {built['build_s']} s")
        database = prepare_database()
        if args.db == "postgres":
            from harness import postgres_settings

            database["settings"] = postgres_settings()
        before = cpu.sample()
        cases = timed(args, built)
        machine = cpu.shares(before, cpu.sample())
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    report = {
        "machine": f"{platform.node()} {os.cpu_count()} cores",
        "python": platform.python_version(),
        "database": database,
        "schools": args.schools,
        "children_per_school": args.children,
        "rows": built["rows"],
        "build_s": built["build_s"],
        "expected": built["expected"],
        "cpu_while_timed": machine,
        "cases": cases,
    }
    suffix = "-postgres" if args.db == "postgres" else ""
    out = Path(args.out or HERE / "results" / f"reporting{suffix}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    print(f"written to {os.path.relpath(out)}")
    return report


if __name__ == "__main__":
    main()
