"""Same-day absence notices for a whole district: from the schools' cutoff to the last
notice delivered, through the SMS channel to an HTTP gateway on 127.0.0.1 (and through
the console channel alone).

    .venv/bin/python bench/notices.py [--schools 1000] [--children 150] [--absent 0.08]
    HAZRI_PG_DURABLE=1 bash scripts/with-postgres.sh .venv/bin/python bench/notices.py --db postgres
    .venv/bin/python bench/notices.py --schools 20          # a quick run

A throwaway database with the production settings (bench/dashboard.py's `configure`):
one district of `--schools` schools in Asia/Kolkata (cutoff 17:00), five sections each,
`--children` children per school, one guardian each with a phone, and the day's
forenoon roll call of every section with `--absent` of the children marked A (bulk
written). The SMS gateway is a separate process (http.server, threaded) that answers
every POST 200 and counts them. Then, as the jobs would at 17:00:01:
`kinds.absence_sweep` (every school's notices) and `queue.deliver_due` (one worker:
claim 200, send, log, repeat) until none is due. Each channel runs on its own day:
`sms` (every notice through the gateway, a copy to the log) and `console` (the log
only, to a file). Prints the figures and writes bench/results/notices.json (or
notices-postgres.json).
"""

import argparse
import datetime as dt
import json
import logging
import multiprocessing
import random
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
from rows import rollcall_row  # noqa: E402

SECTIONS = 5
DAYS = {"sms": dt.date(2026, 11, 18), "console": dt.date(2026, 11, 19)}


def _gateway(port_out: Any, count: Any) -> None:
    """The SMS gateway: answers every POST 200 and counts it."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body in two writes: no 40 ms wait

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with count.get_lock():
                count.value += 1
            body = b'{"status":"queued"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_out.put(server.server_address[1])
    server.serve_forever()


def build(args: argparse.Namespace) -> dict[str, Any]:
    """The district, its children and guardians, and each channel day's roll calls."""
    from django.contrib.auth import get_user_model

    from hazri.attendance.models import RollCall, Roster
    from hazri.org.models import AcademicYear, AttendancePolicy, School, Section
    from hazri.org.services import orgunit_create
    from hazri.people.models import Admission, Enrolment, Guardian, Guardianship, Student

    started = time.perf_counter()
    rng = random.Random(args.seed)
    state = orgunit_create(parent=None, kind="state", code="BR", name="Bihar")
    district = orgunit_create(parent=state, kind="district", code="BR-BGP", name="Bhagalpur")
    AttendancePolicy.objects.create(unit=state, cutoff=dt.time(17, 0), weekly_offs=[7])
    year = AcademicYear.objects.create(
        unit=state, name="2026-27", starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2027, 3, 31)
    )
    schools = School.objects.bulk_create(
        [
            School(
                unit=district,
                unit_path=district.path,
                code=f"1020{n:07d}",
                name=f"School {n}",
                name_local=f"विद्यालय {n}",
            )
            for n in range(args.schools)
        ]
    )
    sections = Section.objects.bulk_create(
        [
            Section(school=s, academic_year=year, grade=g + 1, name="A")
            for s in schools
            for g in range(SECTIONS)
        ]
    )
    per_section = args.children // SECTIONS
    students = Student.objects.bulk_create(
        [
            Student(name=f"Child {i}", name_local=f"बच्चा {i}", gender="F")
            for i in range(len(sections) * per_section)
        ],
        batch_size=5000,
    )
    placed = [
        (section, students[k * per_section + j])
        for k, section in enumerate(sections)
        for j in range(per_section)
    ]
    admissions = Admission.objects.bulk_create(
        [
            Admission(
                school_id=sec.school_id,
                student=st,
                admission_no=str(st.pk),
                admitted_on=year.starts_on,
            )
            for sec, st in placed
        ],
        batch_size=5000,
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                school_id=sec.school_id,
                section=sec,
                student=st,
                admission=adm,
                origin="promoted",
                starts_on=year.starts_on,
            )
            for (sec, st), adm in zip(placed, admissions, strict=True)
        ],
        batch_size=5000,
    )
    guardians = Guardian.objects.bulk_create(
        [Guardian(name=f"Parent {st.pk}", phone=f"+9198{st.pk:08d}") for _sec, st in placed],
        batch_size=5000,
    )
    Guardianship.objects.bulk_create(
        [
            Guardianship(guardian=g, student=st, relation="mother")
            for (_sec, st), g in zip(placed, guardians, strict=True)
        ],
        batch_size=5000,
    )
    teacher = get_user_model().objects.create_user("bench-teacher")
    members: dict[int, list[int]] = {}
    for sec, st in placed:
        members.setdefault(sec.pk, []).append(st.pk)
    rosters = Roster.objects.bulk_create(
        [
            Roster(
                school_id=sec.school_id,
                digest=f"{sec.pk:064d}",
                member_ids=",".join(map(str, members[sec.pk])),
            )
            for sec in sections
        ],
        batch_size=2000,
    )
    absent = 0
    calls = []
    for day in DAYS.values():
        captured = dt.datetime.combine(
            day, dt.time(8, 30), tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))
        )
        for sec, roster in zip(sections, rosters, strict=True):
            marks = "".join("A" if rng.random() < args.absent else "P" for _ in members[sec.pk])
            absent += marks.count("A")
            calls.append(
                rollcall_row(
                    section=sec, roster=roster, day=day, marks=marks, by=teacher, captured=captured
                )
            )
    RollCall.objects.bulk_create(calls, batch_size=2000)
    return {
        "schools": len(schools),
        "children": len(students),
        "absent_marks_both_days": absent,
        "build_s": round(time.perf_counter() - started, 1),
    }


def run_day(channel: str, day: dt.date) -> dict[str, Any]:
    from django.test import override_settings

    from hazri.notify import channels, kinds, queue
    from hazri.notify.models import Delivery, Notice, Status

    paths = {
        "sms": ["hazri.notify.channels.ConsoleChannel", "hazri.notify.channels.SmsChannel"],
        "console": ["hazri.notify.channels.ConsoleChannel"],
    }[channel]
    cutoff = dt.datetime.combine(
        day, dt.time(17, 0, 1), tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))
    )
    with override_settings(HAZRI_NOTIFY_CHANNELS=paths, HAZRI_NOTIFY_DEFAULT_CHANNELS=[channel]):
        channels.reset()
        started = time.perf_counter()
        written = kinds.absence_sweep(now=cutoff)
        swept = time.perf_counter()
        done = queue.deliver_due(now=cutoff)
        finished = time.perf_counter()
        # A second sweep, as the job runs every few minutes: nothing new.
        again = kinds.absence_sweep(now=cutoff + dt.timedelta(minutes=5))
        again_s = time.perf_counter() - finished
    channels.reset()
    mine = Notice.objects.filter(key=day.isoformat())
    sent = mine.filter(status=Status.SENT).count()
    total_s = finished - started
    return {
        "notices": mine.count(),
        "considered": written,
        "sent": sent,
        "failed": done.failed,
        "retried": done.retried,
        "deliveries_ok": Delivery.objects.filter(
            notice__key=day.isoformat(), channel=channel, outcome="ok"
        ).count(),
        "sweep_s": round(swept - started, 2),
        "deliver_s": round(finished - swept, 2),
        "cutoff_to_all_delivered_s": round(total_s, 2),
        "notices_per_s": round(sent / total_s, 1) if total_s else None,
        "second_sweep_s": round(again_s, 2),
        "second_sweep_considered": again,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--children", type=int, default=150, help="per school")
    parser.add_argument("--absent", type=float, default=0.08)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="")
    args = parser.parse_args(argv)
    ports: Any = multiprocessing.Queue()
    count: Any = multiprocessing.Value("i", 0)
    gateway = multiprocessing.Process(target=_gateway, args=(ports, count), daemon=True)
    gateway.start()
    port = ports.get(timeout=10)
    import os

    os.environ["HAZRI_SMS_URL"] = f"http://127.0.0.1:{port}/sms"
    folder = configure(args)
    assert folder is not None
    log = logging.getLogger("hazri.notify")
    log.setLevel(logging.INFO)
    log.propagate = False
    log.addHandler(logging.FileHandler(folder / "notices.log"))
    try:
        result: dict[str, Any] = header("absence notices, cutoff to all delivered", args)
        result["data"] = build(args)
        result["data"].update(prepare_database())
        for channel, day in DAYS.items():
            result[channel] = run_day(channel, day)
            print(f"{channel}: {json.dumps(result[channel])}", flush=True)
        result["sms"]["gateway_received"] = count.value
        with open(folder / "notices.log", encoding="utf-8") as logged:
            result["console"]["log_lines"] = sum(1 for _ in logged)
    finally:
        gateway.terminate()
        shutil.rmtree(folder, ignore_errors=True)
    write(result, "notices", args)
    print(json.dumps({k: result[k] for k in ("data", "sms", "console")}, indent=2))
    return result


if __name__ == "__main__":
    main()
