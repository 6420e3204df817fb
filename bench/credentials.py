"""Issuing and signing a 1,000-student school's report cards, and verifying them.

    .venv/bin/python bench/credentials.py [--students 1000] [--out bench/results/credentials.json]

A throwaway in-memory SQLite database (settings `config.settings.test`), the shared test
world with `--students` students, a fresh Ed25519 key in a temporary folder. Times
`credential_issue` once per student, as the report cards would call it (each a
transaction: permission check, the VC signed with eddsa-jcs-2022, the QR's COSE_Sign1,
two writes and an audit row), then `verify_qr` of every QR and `verify_document` of
every VC (keys read from the database each time, the revocation looked up). Prints the
figures and the QR's size: its payload, its text and the QR version at each error
correction level.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"  # SQLite in memory
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

import base45  # noqa: E402
import segno  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--out", default=str(ROOT / "bench/results/credentials.json"))
    args = parser.parse_args()

    from hazri.credentials.testing import install_signing_key, sample_credential
    from hazri.credentials.verify import verify_document, verify_qr
    from hazri.people.models import Student
    from hazri.testing.world import build_world

    call_command("migrate", verbosity=0)
    world = build_world()
    students = Student.objects.bulk_create(
        Student(name=f"Student {n:04d}", gender="F", state_id=f"BENCH{n:06d}")
        for n in range(args.students)
    )
    with tempfile.TemporaryDirectory() as folder:

        class Settings:
            def __setattr__(self, name: str, value: object) -> None:
                setattr(settings, name, value)

        install_signing_key(Settings(), Path(folder))
        started, cpu = time.perf_counter(), time.process_time()
        issued = [sample_credential(world.school, s, world.ravi) for s in students]
        issue_s, issue_cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    assert all(verify_qr(c.qr).status == "genuine" for c in issued)
    verify_qr_s = time.perf_counter() - started
    started = time.perf_counter()
    assert all(verify_document(json.dumps(c.document)).status == "genuine" for c in issued)
    verify_vc_s = time.perf_counter() - started

    qr = issued[0].qr
    payload = len(base45.b45decode(qr[4:]))
    versions = {e: segno.make_qr(qr, error=e, boost_error=False).version for e in "lmqh"}
    figures = {
        "students": args.students,
        "issue_s": round(issue_s, 2),
        "issue_cpu_s": round(issue_cpu, 2),
        "issue_ms_each": round(issue_s / args.students * 1000, 2),
        "verify_qr_ms_each": round(verify_qr_s / args.students * 1000, 2),
        "verify_vc_ms_each": round(verify_vc_s / args.students * 1000, 2),
        "qr_payload_bytes": payload,
        "qr_text_chars": len(qr),
        "vc_bytes": len(json.dumps(issued[0].document)),
        "qr_version_by_error_level": versions,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    for key, value in figures.items():
        sys.stdout.write(f"{key:28} {value}\n")
    Path(args.out).write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
