"""A class teacher's journal page and a parent's diary week in a large district: the
time and the query count of each, and that the count does not grow with the data.

    .venv/bin/python bench/journal.py [--schools 1000] [--students 150000] [--runs 9]
    HAZRI_PG_DURABLE=1 bash scripts/with-postgres.sh .venv/bin/python bench/journal.py --db postgres

Loads the demo district (hazri.demo.generate.load, no attendance history: journal
set-up, terms, bell schedule and timetables included) into a throwaway database with
the production settings (bench/dashboard.py's `configure`: SQLite on a temporary file,
or PostgreSQL through scripts/with-postgres.sh). Then, for the section whose roll is
nearest to `--class-size`, the current term so far is filled with bulk_create: a
lesson (topic) for every period of the timetable on every school day, homework for
half of them, `--grades` grades per student and subject spread over the term's days
(the state scheme's kinds of work, CBSE letters), a remark for one student in five,
and a roll call (one meeting) per school day. The pages are read through Django's
test client, logged in as the section's class teacher (`/journal/sections/<id>/class/
?term=`) and as a parent of one of its students (`/diary/students/<id>/?week=`, the
current week). Each page's queries are counted on the term's last six school days (two grades per
student and subject) and again on the whole term (the count must not change), then `--runs` times: the median, the best and the worst
wall time. Writes bench/results/journal.json.
"""

import argparse
import datetime as dt
import functools
import json
import platform
import random
import shutil
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for folder in (str(ROOT), str(HERE)):
    if folder not in sys.path:
        sys.path.insert(0, folder)

from dashboard import configure, prepare_database  # noqa: E402  (next to this file)

# The first fill: the term's last school days, with this many grades per student and
# subject; the query counts are taken on it and again on the whole term.
SMALL, SMALL_GRADES = 6, 2
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def _count(client: Any, url: str) -> tuple[int, int]:
    """The page's status and the queries it made."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code, answer.content[:500])
    return answer.status_code, len(captured.captured_queries)


def _timed(call: Callable[[], Any], runs: int) -> dict[str, float]:
    call()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return {
        "runs": runs,
        "median_ms": round(statistics.median(times), 1),
        "best_ms": round(min(times), 1),
        "worst_ms": round(max(times), 1),
    }


def _people(section: Any) -> tuple[Any, Any, Any]:
    """The section's class teacher (an assignment with no subject, made if the demo
    has none) and a parent with a login of one of its students."""
    from django.contrib.auth import get_user_model

    from hazri.people.models import Guardian, Guardianship, Posting, TeachingAssignment
    from hazri.people.selectors import section_roll

    user_model = get_user_model()
    school = section.school
    year_start = section.academic_year.starts_on
    found = (
        TeachingAssignment.objects.filter(section=section, subject__isnull=True)
        .select_related("staff__user")
        .first()
    )
    if found is None:
        taught = (
            TeachingAssignment.objects.filter(section=section, staff__user__isnull=False)
            .select_related("staff__user")
            .first()
        )
        assert taught is not None, "the demo section has no teacher with a login"
        found = TeachingAssignment.objects.create(
            school=school, staff=taught.staff, section=section, subject=None, starts_on=year_start
        )
    teacher = found.staff.user
    assert Posting.objects.filter(staff=found.staff, school=school).exists()
    from hazri.org.selectors import school_today

    roll = section_roll(section, school_today(school))
    child = roll[len(roll) // 2]
    link = Guardianship.objects.filter(student_id=child.id).select_related("guardian").first()
    if link is None:
        guardian = Guardian.objects.create(name="Bench parent", phone="+919800000099")
        link = Guardianship.objects.create(
            guardian=guardian, student_id=child.id, relation="mother"
        )
    guardian = link.guardian
    if guardian.user_id is None:
        guardian.user = user_model.objects.create_user(f"bench-parent-{guardian.pk}")
        guardian.save(update_fields=["user"])
    return teacher, guardian.user, child


def _school_days(section: Any, start: dt.date, end: dt.date) -> list[dt.date]:
    from hazri.org.selectors import school_calendar

    calendar = school_calendar(section.school, start, end)
    return [day for day, status in calendar.items() if status.is_school_day]


def fill(section: Any, term: Any, days: list[dt.date], grades: int, seed: int) -> dict[str, int]:
    """These school days of the term in bulk: lessons, homework, `grades` grades per
    student and subject, remarks, roll calls."""
    from django.utils import timezone

    from hazri.attendance.services import Capture, rollcall_submit
    from hazri.journal.models import Grade, Homework, Lesson, Remark, Slot
    from hazri.journal.selectors.scheme import grading_for
    from hazri.people.selectors import section_roll

    rng = random.Random(seed)
    now = timezone.now()
    school = section.school
    teacher_by = _people(section)[0]
    today = days[-1]
    slots = {(s.weekday, s.period): s.subject_id for s in Slot.objects.filter(section=section)}
    lessons, homework = [], []
    for day in days:
        for (weekday, period), subject_id in sorted(slots.items()):
            if weekday != day.isoweekday():
                continue
            common = {"school": school, "section": section, "subject_id": subject_id}
            lessons.append(
                Lesson(
                    **common,
                    day=day,
                    period=period,
                    topic=f"Lesson {period} of {day:%d %b}",
                    client_uuid=uuid.uuid4(),
                    recorded_by=teacher_by,
                    recorded_at=now,
                )
            )
            if rng.random() < 0.5:
                homework.append(
                    Homework(
                        **common,
                        day=day,
                        period=period,
                        text="Exercises 1 to 5 of the chapter, and learn the new words.",
                        due_on=day + dt.timedelta(days=rng.choice((1, 2, 7))),
                        client_uuid=uuid.uuid4(),
                        set_by=teacher_by,
                        set_at=now,
                    )
                )
    Lesson.objects.bulk_create(lessons, batch_size=500)
    Homework.objects.bulk_create(homework, batch_size=500)
    grading = grading_for(school)
    kinds = list(grading.kinds)
    letters = grading.scale.letters
    subjects = sorted(set(slots.values()))
    roll = section_roll(section, today)
    rows = []
    for member in roll:
        for subject_id in subjects:
            for _ in range(grades):
                letter = rng.choice(letters)
                work = uuid.uuid4()
                rows.append(
                    Grade(
                        school=school,
                        section=section,
                        subject_id=subject_id,
                        student_id=member.id,
                        term=term,
                        kind_id=rng.choice(kinds),
                        day=rng.choice(days),
                        value=letter.letter,
                        points=letter.points,
                        work=work,
                        client_uuid=work,
                        given_by=teacher_by,
                        given_at=now,
                    )
                )
    Grade.objects.bulk_create(rows, batch_size=500)
    remarks = [
        Remark(
            school=school,
            section=section,
            student_id=member.id,
            subject_id=subjects[0],
            day=rng.choice(days),
            kind=Remark.Kind.PRAISE if n % 2 else Remark.Kind.CONCERN,
            text="Helped a classmate with the sums." if n % 2 else "Homework not done twice.",
            status=Remark.Status.VISIBLE if n % 4 else Remark.Status.HELD,
            client_uuid=uuid.uuid4(),
            written_by=teacher_by,
            written_at=now,
        )
        for n, member in enumerate(roll[::5])
    ]
    Remark.objects.bulk_create(remarks)
    marked = 0
    zone = ZoneInfo(section.school.timezone)
    for day in days:
        codes = ["A" if rng.random() < 0.1 else "P" for _ in roll]
        # The roll call at half past eight, school time; today's is not taken yet
        # when the run starts before then (past midnight in India is 18:30 UTC).
        captured = dt.datetime.combine(day, dt.time(8, 30), tzinfo=zone)
        if captured > now:
            continue
        rollcall_submit(
            section=section,
            day=day,
            meeting=1,
            marks=list(zip([m.id for m in roll], codes, strict=True)),
            capture=Capture(
                client_uuid=uuid.uuid4(),
                captured_at=captured,
                device_clock=now,
                device=None,
                note="",
            ),
            by=teacher_by,
        )
        marked += 1
    return {
        "school_days": len(days),
        "students": len(roll),
        "subjects": len(subjects),
        "lessons": len(lessons),
        "homework": len(homework),
        "grades": len(rows),
        "remarks": len(remarks),
        "roll_calls": marked,
    }


def _section(class_size: int) -> Any:
    """The section whose roll today is nearest to class_size (the larger on a tie)."""
    from django.db.models import Count, Q

    from hazri.org.models import Section
    from hazri.org.selectors import tree_today

    today = tree_today()
    sized = Section.objects.annotate(
        size=Count(
            "enrolments",
            filter=Q(enrolments__starts_on__lte=today)
            & (Q(enrolments__ends_on__isnull=True) | Q(enrolments__ends_on__gte=today)),
        )
    ).order_by("pk")
    best = min(sized, key=lambda s: (abs(s.size - class_size), -s.size))
    return Section.objects.select_related("school", "academic_year").get(pk=best.pk)


def run(args: argparse.Namespace) -> dict[str, Any]:
    from django.test import override_settings

    from hazri.org.models import School

    if School.objects.exists():
        sys.exit("The benchmark needs an empty database.")
    # The pages link the static files by name: no collected manifest in a throwaway run.
    with override_settings(STORAGES=PLAIN_STATIC):
        return _run(args)


def _run(args: argparse.Namespace) -> dict[str, Any]:
    import cpu
    from django.db import connection
    from django.test import Client

    from hazri.demo.generate import load
    from hazri.journal.selectors.scheme import term_on
    from hazri.org.selectors import school_today
    from hazri.people.models import Student

    started = time.perf_counter()
    demo = load(schools=args.schools, students=args.students, weeks=0, seed=args.seed)
    loaded = time.perf_counter() - started
    section = _section(args.class_size)
    today = school_today(section.school)
    term = term_on(section.school, today)
    teacher, parent, child = _people(section)
    monday = today - dt.timedelta(days=today.weekday())
    journal_url = f"/journal/sections/{section.pk}/class/?term={term.pk}"
    diary_url = f"/diary/students/{child.id}/?week={monday.isoformat()}"
    pages = {"journal_class": (teacher, journal_url), "diary_week": (parent, diary_url)}
    clients = {}
    for name, (user, _url) in pages.items():
        clients[name] = Client()
        clients[name].force_login(user)
    # First the term's last SMALL school days (the diary's week among them) with two
    # grades per student and subject: the query counts then; then the rest of the term.
    days = _school_days(section, term.starts_on, min(term.ends_on, today))
    began = time.perf_counter()
    small = fill(section, term, days[-SMALL:], SMALL_GRADES, args.seed)
    fewer = {name: _count(clients[name], url)[1] for name, (_u, url) in pages.items()}
    more = fill(section, term, days[:-SMALL], args.grades - SMALL_GRADES, args.seed + 1)
    filled = {k: small[k] + more[k] for k in small if k not in ("students", "subjects")}
    filled.update(students=small["students"], subjects=small["subjects"])
    filling = time.perf_counter() - began
    info = prepare_database()
    print(
        f"{demo.counts['schools']:,} schools, {Student.objects.count():,} students "
        f"(loaded in {loaded:.0f} s); section {section} of {section.school.name}: "
        + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in filled.items())
        + f" (in {filling:.1f} s); {info.get('database')}"
    )
    before = cpu.sample()
    results: dict[str, Any] = {}
    for name, (_user, url) in pages.items():
        client = clients[name]
        _status, queries = _count(client, url)
        results[name] = {
            "url": url,
            "queries": queries,
            "queries_small": fewer[name],
            **_timed(functools.partial(client.get, url), args.runs),
        }
    machine = cpu.shares(before, cpu.sample())
    print(f"{'page':14} {'median ms':>10} {'best':>8} {'worst':>8} {'SQL':>4} {'SQL small':>9}")
    for name, found in results.items():
        print(
            f"{name:14} {found['median_ms']:10.1f} {found['best_ms']:8.1f} "
            f"{found['worst_ms']:8.1f} {found['queries']:4} {found['queries_small']:9}"
            + ("" if found["queries"] == found["queries_small"] else "  (grew with the data)")
        )
    print(f"CPU: {machine}")
    db = "postgres" if connection.vendor == "postgresql" else connection.vendor
    settings: dict[str, Any] = {
        "db": db,
        "database": info.get("database"),
        "django_settings": "config.settings.production",
        "schools": demo.counts["schools"],
        "students": Student.objects.count(),
        "runs": args.runs,
        "grades_per_student_and_subject": args.grades,
        "class_size": args.class_size,
        "seed": args.seed,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    if db == "postgres":
        from harness import postgres_settings

        settings["postgres"] = postgres_settings()
        print(f"PostgreSQL: {settings['postgres']}")
    return {
        "settings": settings,
        "data": {**filled, "load_s": round(loaded, 1), "fill_s": round(filling, 1)},
        "pages": results,
        "cpu": machine,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--students", type=int, help="default: 150 a school")
    parser.add_argument("--class-size", type=int, default=40)
    parser.add_argument("--grades", type=int, default=15, help="per student and subject")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--out", help="default: bench/results/journal[-postgres].json")
    args = parser.parse_args(argv)
    args.students = args.students or 150 * args.schools
    folder = configure(args)
    try:
        found = run(args)
    finally:
        if folder is not None:
            from django.db import connections

            connections.close_all()
            shutil.rmtree(folder, ignore_errors=True)
    out = Path(
        args.out or HERE / "results" / f"journal{'-postgres' if args.db == 'postgres' else ''}.json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(found, indent=2, default=str) + "\n")
    print(f"Wrote {out}")
    return found


if __name__ == "__main__":
    main()
