"""Roll-call ingest through the real stack: gunicorn (production settings) and
PostgreSQL, loaded by wrk on 127.0.0.1. Run it through the throwaway server script:

    bash scripts/with-postgres.sh .venv/bin/python bench/ingest.py [--schools 60] [--seconds 20]

It loads a synthetic district (the demo generator, no history), gives every head a
device token, prepares one request per section (a roll call of the section's real
roll, ~10% absent), then measures delta pulls (GET /api/v1/sync/pull, as the teacher
app asks after every push: `pull_requests`), single submits (POST /api/v1/rollcalls)
and batched sync (POST /api/v1/rollcalls/batch, `--batch-size` roll calls a request, 25
by default: one school's sections over as many of its last school days as that takes,
as a device sends after a while offline): requests/s, roll calls/s, marks/s, p50/p99
latency, errors, and each worker's RSS afterwards. One request of each kind is sent
first and every roll call in its answer must be stored (a batch answers 200 even when
it refuses items). Every request carries the device's clock at sending time
(`device_clock`: the marks are of past school days, so without it they are refused
as `clock_required`), and
each endpoint gets `--warmup` seconds of load first so that no worker's first-request
imports are measured. Gunicorn: `--workers` sync workers (3 on 2 cores: PostgreSQL
and wrk need the rest); wrk: 2 threads, `--connections` in all.
Figures are printed and written to bench/results/ingest.json.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BIN = Path(sys.executable).parent
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "HAZRI_SECRET_KEY": "bench-only-" + "x" * 40,
    "HAZRI_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "HAZRI_SSL_REDIRECT": "0",
}
os.environ.update(ENV)
if "DATABASE_URL" not in os.environ:
    sys.exit("Run through scripts/with-postgres.sh: this benchmark needs PostgreSQL.")

import django  # noqa: E402

django.setup()

import cpu  # noqa: E402  (bench/cpu.py)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from harness import postgres_settings  # noqa: E402  (bench/harness.py)

from hazri.accounts.models import DeviceToken, User  # noqa: E402
from hazri.accounts.services import token_digest  # noqa: E402
from hazri.attendance.services import Capture, rollcall_submit  # noqa: E402
from hazri.demo.generate import load  # noqa: E402
from hazri.org.models import Section  # noqa: E402
from hazri.org.selectors import school_day_status  # noqa: E402
from hazri.people.models import Admission, Enrolment, Posting, Student  # noqa: E402
from hazri.people.selectors import sections_rolls  # noqa: E402
from hazri.sync.services import sync_pull  # noqa: E402

IST = ZoneInfo("Asia/Kolkata")


LOGGED_IN = timezone.now() - dt.timedelta(days=60)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def last_school_days(section: Section, count: int) -> list[dt.date]:
    """The school's last `count` school days before today, newest first."""
    days: list[dt.date] = []
    day = dt.datetime.now(IST).date() - dt.timedelta(days=1)
    while len(days) < count:
        if school_day_status(section.school, day).is_school_day:
            days.append(day)
        day -= dt.timedelta(days=1)
    return days


def rollcall_body(
    section: Section, day: dt.date, meeting: int, roll: list[Any], rng: Any, form: str
) -> dict:
    codes = "".join("A" if rng.random() < 0.1 else "P" for _ in roll)
    if form == "compact":  # what the teacher app sends
        marks: dict[str, Any] = {"students": [m.id for m in roll], "codes": codes}
    else:
        marks = {"marks": [{"student": m.id, "code": c} for m, c in zip(roll, codes, strict=True)]}
    return {
        "client_uuid": "{uuid}",
        "section": section.pk,
        "day": day.isoformat(),
        "meeting": meeting,
        "captured_at": dt.datetime.combine(
            day, dt.time(9 + 4 * (meeting - 1), 5), tzinfo=IST
        ).isoformat(),
        **marks,
    }


def prepare(
    schools: int, students: int, batch_size: int, workdir: Path, form: str = "compact"
) -> dict[str, Any]:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load(schools=schools, students=students, weeks=0, seed=7)
    loaded = time.perf_counter() - started
    tokens: dict[int, str] = {}
    heads: dict[int, User] = {}
    for posting in Posting.objects.filter(role=Posting.Role.HEAD).select_related("staff__user"):
        user = posting.staff.user
        if user is None:
            continue
        key = f"bench-{posting.school_id}-{user.pk}"
        # The head logged in on this phone weeks ago: the roll calls of the last school
        # days are marks it took since (a device may not send marks dated before its
        # user's first login, `captured_before_login`).
        DeviceToken.objects.get_or_create(
            user=user, name="bench", defaults={"key_digest": token_digest(key)}
        )
        DeviceToken.objects.filter(user=user).update(created_at=LOGGED_IN)
        tokens[posting.school_id] = key
        heads[posting.school_id] = user
    sections = list(
        Section.objects.select_related("school", "academic_year").filter(school_id__in=tokens)
    )
    # A batch is what one school's device sends after a while offline: its sections'
    # roll calls (both meetings) of its last few school days, `batch_size` of them.
    per_day = min(2 * sum(1 for s in sections if s.school_id == school_id) for school_id in tokens)
    days = last_school_days(sections[0], max(1, -(-batch_size // max(per_day, 1))))
    day = days[0]
    rolls = {d: sections_rolls(sections, d) for d in days}
    rng = random.Random(1)
    singles = []
    for section in sections:
        roll = rolls[day][section.pk]
        if not roll:
            continue
        for meeting in (1, 2):
            body = rollcall_body(section, day, meeting, roll, rng, form)
            # Marks of an earlier day: the device says what its clock reads as it sends.
            singles.append((tokens[section.school_id], {**body, "device_clock": "{clock}"}))
    # In a state's morning, consecutive submits come from different schools (a school
    # sends a couple of dozen roll calls an hour, among 100,000). wrk sends the lines
    # in turn from two random starts: in section order, the 16 connections' requests in
    # flight were of one school and queued on its school-day row lock, a contention
    # no real morning has.
    rng.shuffle(singles)
    single_file = workdir / "single.txt"
    single_file.write_text("".join(f"{t}\t{json.dumps(b)}\n" for t, b in singles))
    batch_lines, batch_items = [], []
    for school_id, token in tokens.items():
        bodies = [
            rollcall_body(section, d, meeting, rolls[d][section.pk], rng, form)
            for d in days
            for section in sections
            if section.school_id == school_id and rolls[d][section.pk]
            for meeting in (1, 2)
        ][:batch_size]
        if not bodies:
            continue
        # Each item gets its own UUID: wrk replaces every {uuid} apart.
        batch = {"device_clock": "{clock}", "rollcalls": bodies}
        if form == "compact":
            batch["answer"] = "brief"  # as the teacher app asks: it holds the marks
        batch_lines.append(f"{token}\t{json.dumps(batch)}\n")
        batch_items.append(len(bodies))
    batch_file = workdir / "batch.txt"
    batch_file.write_text("".join(batch_lines))
    pull_file = workdir / "pull.txt"
    pull_file.write_text("".join(pull_requests(heads, sections, day, rolls[day], rng)))
    # Fresh tables have no statistics: without this, autovacuum analyses them during
    # the measured seconds (and the first plans are made blind), a run-to-run swing.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    marks = sum(len(b.get("marks") or b["students"]) for _, b in singles)
    return {
        "schools": len(tokens),
        "sections": len(sections),
        "students": students,
        "day": day.isoformat(),
        "load_seconds": round(loaded, 1),
        "single_requests": len(singles),
        "avg_roll": round(marks / max(len(singles), 1), 1),
        "batch_requests": len(batch_lines),
        "batch_size": batch_size,
        # wrk sends the lines in turn: the roll calls a batch request carries on average.
        "batch_items_avg": round(sum(batch_items) / max(len(batch_items), 1), 1),
        "batch_days": len(days),
        "form": form,
        "single_file": str(single_file),
        "batch_file": str(batch_file),
        "pull_file": str(pull_file),
        "users": User.objects.count(),
    }


def pull_requests(
    heads: dict[int, User],
    sections: list[Section],
    day: dt.date,
    roll: dict[int, list[Any]],
    rng: Any,
    fresh: int = 2,
) -> list[str]:
    """A delta pull for each school, as the teacher app asks after every push: the head's
    second device (its pulls date the device's last sync, which would refuse the pushes'
    marks of an earlier day as captured before it) pulls once in full here, then
    `fresh` of the school's sections are marked (through the service, as the head), and
    each request asks for the changes since that pull: those roll calls with their
    marks, as a pull after a push carries the one just pushed and others of the school.
    The school's students, admissions and enrolments are dated a day back first: a real
    morning's were last changed days ago, and a delta sends those changed since the
    last pull (a minute's overlap included, so those loaded just now would all go)."""
    earlier = timezone.now() - dt.timedelta(days=1)
    for model in (Student, Admission, Enrolment):
        model.objects.update(updated_at=earlier)
    lines = []
    for school_id, user in heads.items():
        key = f"bench-pull-{school_id}-{user.pk}"
        device, _ = DeviceToken.objects.get_or_create(
            user=user, name="bench pull", defaults={"key_digest": token_digest(key)}
        )
        DeviceToken.objects.filter(pk=device.pk).update(created_at=LOGGED_IN)
        full = sync_pull(user=user, device=device, token=None, state=None)
        query = f"token={full['token']}&state={full['state_hash']}&device_clock={{clock}}"
        lines.append(f"{key}\tGET /api/v1/sync/pull?{query}\n")
    for school_id, user in heads.items():
        marked = [s for s in sections if s.school_id == school_id and roll[s.pk]][:fresh]
        for section in marked:
            body = rollcall_body(section, day, 1, roll[section.pk], rng, "compact")
            rollcall_submit(
                section=section,
                day=day,
                meeting=1,
                marks=list(zip(body["students"], body["codes"], strict=True)),
                capture=Capture(
                    client_uuid=uuid.uuid4(),
                    captured_at=dt.datetime.fromisoformat(body["captured_at"]),
                    device_clock=timezone.now(),
                    device=None,
                    note="",
                ),
                by=user,
            )
    return lines


LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, script_arg: str, seconds: int, connections: int) -> dict[str, Any]:
    before = cpu.snapshot()
    children = cpu.children_ticks()
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "ingest.lua"),
            url,
            "--",
            script_arg,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    latencies = {p: to_ms(v, u) for p, v, u in LATENCY.findall(out)}
    after = cpu.snapshot()
    # wrk has ended: its CPU time is in this process's children's.
    wrk = {"wrk": cpu.children_ticks() - children}
    spent = cpu.took(before, after, ("gunicorn", "postgres"), ended=wrk)
    return {
        "cpu": cpu.shares(before[0], after[0]),
        "cpu_by_process": cpu.split(before, after, spent),
        # CPU time a request cost, by process: unlike requests/s, steal hardly moves it.
        "cpu_ms_per_request": {
            name: round(cpu.ms(ticks) / total, 2) if total else None
            for name, ticks in spent.items()
        },
        "requests": total,
        "requests_per_s": rps,
        "p50_ms": latencies.get("50"),
        "p99_ms": latencies.get("99"),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(int(x) for x in errors.groups()) if errors else 0,
        "raw": out,
    }


def preflight(url: str, path: str) -> None:
    """Send the first request of the file as wrk would: every roll call must be stored,
    and a pull must be a delta that carries roll calls."""
    token, body = Path(path).read_text().splitlines()[0].split("\t", 1)
    clock = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    while "{uuid}" in body:
        body = body.replace("{uuid}", str(uuid.uuid4()), 1)
    headers = {"Authorization": f"Bearer {token}"}
    if body.startswith("GET "):
        base = url.split("/api/", 1)[0]
        request = urllib.request.Request(base + body[4:].replace("{clock}", clock), headers=headers)
    else:
        request = urllib.request.Request(
            url,
            data=body.replace("{clock}", clock, 1).encode(),
            headers={"Content-Type": "application/json", **headers},
        )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read())
    except urllib.error.HTTPError as refused:
        sys.exit(f"{url} answered {refused.code}: {refused.read()[:2000]!r}")
    if "full" in answer:
        if answer["full"] or not answer["rollcalls"]:
            sys.exit(f"{url} answered a full pull or no news: {json.dumps(answer)[:500]}")
        return
    statuses = [r["status"] for r in answer["results"]] if "results" in answer else ["created"]
    if set(statuses) != {"created"}:
        sys.exit(f"{url} did not store everything: {json.dumps(answer)[:2000]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=60)
    parser.add_argument("--students", type=int, default=24000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--batch-size",
        type=int,
        default=25,
        help="roll calls per batch request (at most 200, the API's limit); a school's "
        "sections over as many of its last school days as that takes",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=3,
        help="seconds of load on each endpoint before measuring (not counted): every "
        "worker imports the URLconf and the API on its first request",
    )
    parser.add_argument(
        "--form",
        choices=["compact", "objects"],
        default="compact",
        help="compact: marks as ids + one letter each and brief batch answers, as the "
        "teacher app sends; objects: one {student, code} object per mark, full answers",
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "ingest.json"))
    args = parser.parse_args()
    if not 1 <= args.batch_size <= 200:
        parser.error("--batch-size must be between 1 and 200")
    workdir = Path(tempfile.mkdtemp(prefix="hazri-ingest-"))
    try:
        measure(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)  # the request files: tens of MB


def start_gunicorn(app: str, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn serving `app` with the production settings on a free port of 127.0.0.1,
    once it accepts connections; the caller stops it (SIGTERM)."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), app, "-w", str(workers), "-b", f"127.0.0.1:{port}"]
        + ["--log-level", "warning"],
        cwd=ROOT,
        env=ENV,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, port


def measure(args: argparse.Namespace, workdir: Path) -> None:
    setup = prepare(args.schools, args.students, args.batch_size, workdir, args.form)
    server, port = start_gunicorn("config.wsgi", args.workers)
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        # Pulls first: a delta sends the roll calls stored since the device's last pull,
        # and the pushes below store thousands in a few seconds.
        preflight(f"{base}/sync/pull", setup["pull_file"])
        if args.warmup:
            run_wrk(f"{base}/sync/pull", setup["pull_file"], args.warmup, args.connections)
        pull = run_wrk(f"{base}/sync/pull", setup["pull_file"], args.seconds, args.connections)
        preflight(f"{base}/rollcalls", setup["single_file"])
        preflight(f"{base}/rollcalls/batch", setup["batch_file"])
        if args.warmup:
            for path, key in (("/rollcalls", "single_file"), ("/rollcalls/batch", "batch_file")):
                run_wrk(f"{base}{path}", setup[key], args.warmup, args.connections)
        # Statistics as a running server has them. prepare() analysed the tables with no
        # roll call in them, the workers' statements were prepared on that, and a generic
        # plan made then stays until autovacuum analyses the table (its nap is a minute):
        # auto_explain showed a sequential scan of the roll calls per version, 60 ms a
        # submit, on some runs and not others. ANALYZE drops those plans everywhere.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        single = run_wrk(f"{base}/rollcalls", setup["single_file"], args.seconds, args.connections)
        batch = run_wrk(
            f"{base}/rollcalls/batch", setup["batch_file"], args.seconds, args.connections
        )
        rss = [cpu.rss_mb(pid) for pid in cpu.worker_pids(server.pid)]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    # Every batch request carries batch_items_avg roll calls of avg_roll marks each.
    batch_rollcalls_s = batch["requests_per_s"] * setup["batch_items_avg"]
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {os.cpu_count()} cores",
        "setup": {k: v for k, v in setup.items() if not k.endswith("_file")},
        "workers": args.workers,
        "connections": args.connections,
        "seconds": args.seconds,
        "warmup_seconds": args.warmup,
        "postgres": postgres_settings(),
        "single": {k: v for k, v in single.items() if k != "raw"},
        "batch": {k: v for k, v in batch.items() if k != "raw"}
        | {
            "rollcalls_per_s": round(batch_rollcalls_s, 1),
            "marks_per_s": round(batch_rollcalls_s * setup["avg_roll"]),
        },
        "single_marks_per_s": round(single["requests_per_s"] * setup["avg_roll"]),
        "pull": {k: v for k, v in pull.items() if k != "raw"},
        "worker_rss_mb": rss,
    }
    print(
        f"Ingest: {setup['schools']} schools, {setup['sections']} sections, roll of "
        f"{setup['avg_roll']} on average, marks sent {args.form}; gunicorn x{args.workers}, wrk -c{args.connections} "
        f"for {args.seconds}s each"
    )
    print(f"PostgreSQL: {result['postgres']}")
    print(f"{'':22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>9}{'errors':>8}")
    measured = {
        "single roll calls": single,
        f"batches of {setup['batch_items_avg']}": batch,
        "delta pulls": pull,
    }
    for name, r in measured.items():
        print(
            f"{name:22}{r['requests_per_s']:>10.1f}{r['p50_ms'] or 0:>10.1f}"
            f"{r['p99_ms'] or 0:>10.1f}{r['non_2xx']:>9}{r['socket_errors']:>8}"
        )
    for name, r in measured.items():
        print(
            f"{name}: CPU busy/idle/steal % {r['cpu']}; by process, % of the machine "
            f"{r['cpu_by_process']}, ms a request {r['cpu_ms_per_request']}"
        )
    print(
        f"batched: {result['batch']['rollcalls_per_s']} roll calls/s, "
        f"{result['batch']['marks_per_s']} marks/s; worker RSS MB: {rss}"
    )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
