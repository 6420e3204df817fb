"""Report cards for a 1,000-student school: the time to issue and sign a whole term's
cards (every section), to print them (one PDF per section), and the QR's size.

    .venv/bin/python bench/reportcards.py [--students 1000] [--section-size 40] [--days 60]
    HAZRI_PG_DURABLE=1 bash scripts/with-postgres.sh .venv/bin/python bench/reportcards.py --db postgres

A throwaway database with the production settings (bench/dashboard.py's `configure`):
one school of `--students` students in sections of `--section-size`, six subjects,
term 1 with a confirmed term grade for every student and subject (CBSE letters), a
visible remark for one student in five, and `--days` school days of roll calls (one
meeting) in the term. A signing key is generated and registered (HAZRI_SIGNING_KEY).
Then, as the head: `cards_issue` for every section (the facts from the journal and
the attendance statements, the cards stored, each signed as a Verifiable Credential
and a COSE QR), `cards_pdf` of every section (a card a page, its QR printed), and the
reissue of every section (a new version of each card, the old credentials revoked).
Prints the figures and writes bench/results/reportcards.json (or
reportcards-postgres.json).
"""

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import time
import uuid
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

SUBJECTS = [
    ("HIN", "Hindi", "हिन्दी"),
    ("ENG", "English", "अंग्रेज़ी"),
    ("MATH", "Mathematics", "गणित"),
    ("SCI", "Science", "विज्ञान"),
    ("SST", "Social Science", "सामाजिक विज्ञान"),
    ("ART", "Art Education", "कला शिक्षा"),
]
LETTERS = [("A1", 95), ("A2", 85), ("B1", 75), ("B2", 65), ("C1", 55), ("C2", 45), ("D", 37)]
TERM = (dt.date(2026, 4, 1), dt.date(2026, 9, 30))


def build(args: argparse.Namespace) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from hazri.attendance.models import RollCall, Roster
    from hazri.journal.models import Remark, Term, TermGrade
    from hazri.org.models import AcademicYear, AttendancePolicy, School, Section, Subject
    from hazri.org.services import orgunit_create
    from hazri.people.models import Admission, Enrolment, Posting, Staff, Student

    started = time.perf_counter()
    rng = random.Random(args.seed)
    state = orgunit_create(parent=None, kind="state", code="MP", name="Madhya Pradesh")
    district = orgunit_create(parent=state, kind="district", code="MP-BPL", name="Bhopal")
    AttendancePolicy.objects.create(unit=state, cutoff=dt.time(17, 0), weekly_offs=[7])
    year = AcademicYear.objects.create(
        unit=state, name="2026-27", starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2027, 3, 31)
    )
    school = School.objects.create(
        unit=district,
        unit_path=district.path,
        code="23320100101",
        name="Government Higher Secondary School Bhopal",
        name_local="शासकीय उच्चतर माध्यमिक विद्यालय भोपाल",
    )
    head = get_user_model().objects.create_user("bench-head", first_name="Ravi")
    staff = Staff.objects.create(employee_code="H1", name="Ravi", gender="M", user=head)
    Posting.objects.create(staff=staff, school=school, role="head", starts_on=year.starts_on)
    count = args.students // args.section_size
    sections = Section.objects.bulk_create(
        [
            Section(school=school, academic_year=year, grade=1 + n // 3, name="ABC"[n % 3])
            for n in range(count)
        ]
    )
    subjects = Subject.objects.bulk_create(
        [Subject(school=school, code=c, name=n, name_local=local) for c, n, local in SUBJECTS]
    )
    term = Term.objects.create(
        school=school, academic_year=year, name="Term 1", starts_on=TERM[0], ends_on=TERM[1]
    )
    students = Student.objects.bulk_create(
        [
            Student(
                name=f"Student {i}",
                name_local=f"छात्र {i}",
                gender="FM"[i % 2],
                state_id=f"MP{i:010d}",
            )
            for i in range(count * args.section_size)
        ],
        batch_size=5000,
    )
    placed = [
        (section, students[k * args.section_size + j])
        for k, section in enumerate(sections)
        for j in range(args.section_size)
    ]
    admissions = Admission.objects.bulk_create(
        [
            Admission(
                school=school, student=st, admission_no=str(st.pk), admitted_on=year.starts_on
            )
            for _sec, st in placed
        ]
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                school=school,
                section=sec,
                student=st,
                admission=adm,
                origin="promoted",
                starts_on=year.starts_on,
            )
            for (sec, st), adm in zip(placed, admissions, strict=True)
        ]
    )
    now = dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC)
    grades = []
    for sec, st in placed:
        for subject in subjects:
            letter, points = rng.choice(LETTERS)
            grades.append(
                TermGrade(
                    school=school,
                    section=sec,
                    subject=subject,
                    student=st,
                    term=term,
                    computed=letter,
                    value=letter,
                    points=points,
                    confirmed_by=head,
                    confirmed_at=now,
                )
            )
    TermGrade.objects.bulk_create(grades, batch_size=5000)
    Remark.objects.bulk_create(
        [
            Remark(
                school=school,
                section=sec,
                student=st,
                day=dt.date(2026, 9, 1),
                kind="praise",
                text="पढ़ाई में नियमित और सहपाठियों की मदद करता है",
                status="visible",
                client_uuid=uuid.uuid4(),
                written_by=head,
                written_at=now,
            )
            for n, (sec, st) in enumerate(placed)
            if n % 5 == 0
        ]
    )
    members: dict[int, list[int]] = {}
    for sec, st in placed:
        members.setdefault(sec.pk, []).append(st.pk)
    rosters = Roster.objects.bulk_create(
        [
            Roster(
                school=school,
                digest=f"{sec.pk:064d}",
                member_ids=",".join(map(str, members[sec.pk])),
            )
            for sec in sections
        ]
    )
    days: list[dt.date] = []
    day = TERM[1]
    while len(days) < args.days:
        if day.isoweekday() != 7:
            days.append(day)
        day -= dt.timedelta(days=1)
    calls = []
    for day in days:
        captured = dt.datetime.combine(day, dt.time(3), tzinfo=dt.UTC)
        for sec, roster in zip(sections, rosters, strict=True):
            marks = "".join("A" if rng.random() < 0.1 else "P" for _ in members[sec.pk])
            calls.append(
                rollcall_row(
                    section=sec, roster=roster, day=day, marks=marks, by=head, captured=captured
                )
            )
    RollCall.objects.bulk_create(calls, batch_size=2000)
    return {
        "students": len(students),
        "sections": len(sections),
        "subjects": len(subjects),
        "term_grades": len(grades),
        "rollcalls": len(calls),
        "build_s": round(time.perf_counter() - started, 1),
        "_head": head,
        "_sections": sections,
        "_term": term,
    }


def run(head: Any, sections: list[Any], term: Any) -> dict[str, Any]:
    from hazri.credentials import selectors as credentials
    from hazri.reportcards import pdf, selectors
    from hazri.reportcards.services import cards_issue

    out: dict[str, Any] = {}
    started = time.perf_counter()
    issued = [
        card for section in sections for card in cards_issue(section=section, term=term, by=head)
    ]
    issue_s = time.perf_counter() - started
    out["cards"] = len(issued)
    out["issue_and_sign_s"] = round(issue_s, 2)
    out["issue_and_sign_ms_per_card"] = round(1000 * issue_s / len(issued), 2)

    started = time.perf_counter()
    sizes = []
    pages = 0
    for section in sections:
        cards = selectors.section_cards(section, term)
        content = pdf.cards_pdf([pdf.printed(card) for card in cards])
        sizes.append(len(content))
        pages += content.count(b"/Type /Page\n") or content.count(b"/Type /Page ")
    pdf_s = time.perf_counter() - started
    out["pdf_s"] = round(pdf_s, 2)
    out["pdf_ms_per_card"] = round(1000 * pdf_s / len(issued), 2)
    out["pdf_kb_per_section"] = round(statistics.mean(sizes) / 1024, 1)
    out["total_issue_sign_print_s"] = round(issue_s + pdf_s, 2)

    signed = [card.credential for card in issued if card.credential is not None]
    assert len(signed) == len(issued)
    texts = [credential.qr for credential in signed]
    codes = [credentials.qr_code(c) for c in signed[:: max(1, len(signed) // 50)]]
    out["qr_text_chars"] = {"min": min(map(len, texts)), "max": max(map(len, texts))}
    out["qr_versions"] = sorted({code.version for code in codes})
    out["qr_error_level"] = codes[0].error
    out["vc_bytes_mean"] = round(statistics.mean(len(json.dumps(c.document)) for c in signed))

    started = time.perf_counter()
    again = [
        card for section in sections for card in cards_issue(section=section, term=term, by=head)
    ]
    reissue_s = time.perf_counter() - started
    out["reissue_revoke_s"] = round(reissue_s, 2)
    out["reissue_ms_per_card"] = round(1000 * reissue_s / len(again), 2)
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--section-size", type=int, default=40)
    parser.add_argument("--days", type=int, default=60, help="school days of roll calls")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="")
    args = parser.parse_args(argv)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    from hazri.credentials import keys  # no Django needed

    os.environ["HAZRI_SIGNING_KEY"] = keys.private_to_pem(private)
    folder = configure(args)
    try:
        from hazri.credentials.services import signing_key_register

        signing_key_register(public_key=private.public_key())
        result: dict[str, Any] = header("report cards of a school: issue, sign, print", args)
        built = build(args)
        result["data"] = {k: v for k, v in built.items() if not k.startswith("_")}
        result["data"].update(prepare_database())
        print(f"data: {json.dumps(result['data'])}", flush=True)
        result["term"] = run(built["_head"], built["_sections"], built["_term"])
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    write(result, "reportcards", args)
    print(json.dumps({k: result[k] for k in ("data", "term")}, indent=2, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
