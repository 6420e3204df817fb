"""How long the monthly register takes: building it from roll calls, and drawing it as the
web page, the PDF and the spreadsheet, for a 60-student section with two meetings a day.

Runs on a throwaway in-memory SQLite database (never var/hazri.sqlite3): the shared test
world, 55 more students, every school day of the session from April to October 2026
marked twice (a few corrections in October for the footnotes), then October's register.

    .venv/bin/python bench/register.py [--runs 5] [--out bench/results/register.json]

Prints a table and writes the figures as JSON. Target: under a second each, on one core.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"  # SQLite in memory
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.utils import translation  # noqa: E402

STUDENTS = 60
MONTH = dt.date(2026, 10, 1)
TODAY = dt.date(2026, 11, 22)
FIRST_DAY = dt.date(2026, 4, 1)
IST = ZoneInfo("Asia/Kolkata")
FIRST_NAMES = [
    ("Aditi", "अदिति"), ("Arjun", "अर्जुन"), ("Bhavesh", "भावेश"), ("Chetna", "चेतना"),
    ("Deepak", "दीपक"), ("Farhan", "फ़रहान"), ("Gauri", "गौरी"), ("Harsh", "हर्ष"),
    ("Ishita", "इशिता"), ("Jyoti", "ज्योति"), ("Karan", "करण"), ("Lakshmi", "लक्ष्मी"),
    ("Manish", "मनीष"), ("Nandini", "नंदिनी"), ("Om", "ओम"), ("Pooja", "पूजा"),
    ("Rahul", "राहुल"), ("Sana", "सना"), ("Tanvi", "तन्वी"), ("Vikram", "विक्रम"),
]  # fmt: skip
SURNAMES = [
    ("Sharma", "शर्मा"), ("Verma", "वर्मा"), ("Meena", "मीणा"), ("Patel", "पटेल"),
    ("Yadav", "यादव"), ("Qureshi", "क़ुरैशी"), ("Chauhan", "चौहान"), ("Tiwari", "तिवारी"),
]  # fmt: skip


def build() -> tuple[Any, Any]:
    """The world, 60 students in its section, roll calls from April to October."""
    from hazri.attendance.services import Capture, rollcall_submit
    from hazri.org import selectors as org
    from hazri.org.models import CalendarEntry
    from hazri.people.models import Admission, Enrolment, Student
    from hazri.people.selectors import section_roll
    from hazri.testing.world import build_world

    world = build_world()
    world.asha.language = "hi"
    world.asha.save()
    CalendarEntry.objects.create(
        unit=world.state,
        day=dt.date(2026, 10, 2),
        kind="holiday",
        name="Gandhi Jayanti",
        name_local="गांधी जयंती",
    )
    for n in range(len(world.students) + 1, STUDENTS + 1):
        first, first_local = FIRST_NAMES[n % len(FIRST_NAMES)]
        last, last_local = SURNAMES[n % len(SURNAMES)]
        student = Student.objects.create(
            name=f"{first} {last}",
            name_local=f"{first_local} {last_local}",
            gender="FM"[n % 2],
            state_id=f"BENCH{n:05d}",
        )
        admitted = FIRST_DAY if n % 6 else dt.date(2026, 7, 1)
        admission = Admission.objects.create(
            school=world.school, student=student, admission_no=f"{n:04d}", admitted_on=admitted
        )
        Enrolment.objects.create(
            school=world.school,
            section=world.section,
            student=student,
            admission=admission,
            origin="promoted" if n % 6 else "new",
            starts_on=admitted,
        )
    rng = random.Random(2026)
    calendar = org.school_calendar(world.school, FIRST_DAY, TODAY)
    day = FIRST_DAY
    while day < MONTH.replace(month=11):
        if calendar[day].is_school_day:
            roll = [member.id for member in section_roll(world.section, day)]
            for meeting, hour in ((1, 8), (2, 13)):
                codes = rng.choices("PALD", weights=(88, 7, 3, 2), k=len(roll))
                captured = dt.datetime.combine(day, dt.time(hour, 30), tzinfo=IST)
                submit = {"section": world.section, "day": day, "meeting": meeting}
                rollcall_submit(
                    **submit,
                    marks=list(zip(roll, codes, strict=True)),
                    capture=Capture(client_uuid=uuid.uuid4(), captured_at=captured),
                    by=world.asha,
                    now=captured + dt.timedelta(minutes=1),
                )
                wrong = [i for i, code in enumerate(codes) if code != "P"]
                if day >= MONTH and wrong and rng.random() < 0.15:  # footnoted corrections
                    codes[rng.choice(wrong)] = "P"
                    later = captured + dt.timedelta(hours=2)
                    rollcall_submit(
                        **submit,
                        marks=list(zip(roll, codes, strict=True)),
                        capture=Capture(uuid.uuid4(), captured_at=later, note="Came late"),
                        by=world.ravi,
                        now=later + dt.timedelta(minutes=1),
                    )
        day += dt.timedelta(days=1)
    return world, world.section


def timed(function: Callable[[], Any], runs: int) -> dict[str, float]:
    """A single cold run (the first in this process), then the best and the median of
    `runs`; wall-clock time, and this process's CPU time (steadier on a busy machine)."""
    start, cpu = time.perf_counter(), time.process_time()
    function()
    cold, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return {
        "cold_s": cold,
        "best_s": min(walls),
        "median_s": statistics.median(walls),
        "cold_cpu_s": cold_cpu,
        "best_cpu_s": min(cpus),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "register.json"))
    parser.add_argument("--keep", help="a folder to keep the rendered HTML, PDF and XLSX in")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    world, section = build()
    setup_s = time.perf_counter() - started

    from hazri.registers import views
    from hazri.registers.exports.layout import build_sheet
    from hazri.registers.exports.pdf import register_pdf, sheet_html
    from hazri.registers.exports.xlsx import register_xlsx
    from hazri.registers.selectors import section_register

    translation.activate("hi")  # Devanagari names: the harder case for the PDF
    register = section_register(section=section, month=MONTH, today=TODAY)
    request = RequestFactory().get(f"/sections/{section.pk}/register/?month=2026-10")
    request.user = world.asha
    outputs: dict[str, bytes] = {}

    def html() -> None:
        response = views._render(request, section, register, TODAY, error=None, checker="")
        outputs["html"] = response.content

    def pdf() -> None:
        outputs["pdf"] = register_pdf(register)

    def xlsx() -> None:
        outputs["xlsx"] = register_xlsx(register)

    client = Client()
    client.force_login(world.asha)
    url = f"/sections/{section.pk}/register"

    def page(path: str) -> Callable[[], None]:
        def get() -> None:
            response = client.get(f"{url}{path}?month=2026-10", HTTP_ACCEPT_LANGUAGE="hi")
            assert response.status_code == 200, response.status_code

        return get

    cases = {
        "register (build from roll calls)": lambda: section_register(
            section=section, month=MONTH, today=TODAY
        ),
        "html (render the page)": html,
        "pdf (WeasyPrint)": pdf,
        "xlsx (openpyxl)": xlsx,
        "page GET (build + html)": page("/"),
        "pdf GET (build + pdf)": page(".pdf"),
        "xlsx GET (build + xlsx)": page(".xlsx"),
    }
    results = {name: timed(case, args.runs) for name, case in cases.items()}
    grid = register.grid
    report = {
        "what": "October 2026 register of one section, Hindi page",
        "students": len(grid.rows),
        "columns": len(grid.columns),
        "meetings_held": grid.meetings_held,
        "footnotes": sum(bool(c.changes) for r in grid.rows for c in r.cells),
        "setup_s": round(setup_s, 2),
        "runs": args.runs,
        "sizes_bytes": {name: len(content) for name, content in outputs.items()},
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {os.cpu_count()} cpus",
        "database": connection.vendor,
        "results": {
            name: {key: round(value, 4) for key, value in figures.items()}
            for name, figures in results.items()
        },
    }
    print(f"{report['students']} students × {report['columns']} meeting columns, ", end="")
    print(f"{report['meetings_held']} meetings held, {report['footnotes']} corrected cells")
    keys = ("cold_s", "best_s", "median_s", "cold_cpu_s", "best_cpu_s")
    print(f"{'':34} {'cold':>9} {'best':>9} {'median':>9} {'cold cpu':>9} {'best cpu':>9}")
    for name, figures in results.items():
        cells = " ".join(f"{figures[k] * 1000:7.0f}ms" for k in keys)
        print(f"{name:34} {cells}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {os.path.relpath(args.out)}")
    if args.keep:
        folder = Path(args.keep)
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in outputs.items():
            (folder / f"register.{name}").write_bytes(content)
        (folder / "register-pdf.html").write_text(sheet_html(build_sheet(register)))


if __name__ == "__main__":
    main()
