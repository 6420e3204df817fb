"""`hazri demo`: load the demo district (Sehore, Madhya Pradesh) into the database."""

import datetime as dt
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from hazri.demo.generate import PASSWORD, Demo, existing_data, load

MAX_SCHOOLS = 500


class Command(BaseCommand):
    help = (
        "Load a demo district (Sehore, Madhya Pradesh: two blocks, their clusters, schools, "
        "students, staff and weeks of attendance ending yesterday) and print the demo logins. "
        "The demo loads into an empty (migrated) database only: if the database already holds "
        "org units, schools, students, staff or users, the command stops, unless --reset is "
        "given, which first ERASES EVERY ROW of the database (as `hazri flush` does) and then "
        "loads the demo afresh. Use --reset on a demo or development database only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schools",
            type=int,
            default=40,
            help=f"Number of schools, 1 to {MAX_SCHOOLS} (default 40).",
        )
        parser.add_argument(
            "--students",
            type=int,
            default=6000,
            help="Number of students over all schools (default 6000).",
        )
        parser.add_argument(
            "--weeks",
            type=int,
            default=6,
            help="Weeks of attendance history ending yesterday (default 6); "
            "it never reaches back before the session began on 1 April.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Random seed: the same seed on the same day gives the same district (default 1).",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Pretend today is this date (YYYY-MM-DD); default: today in India (Asia/Kolkata).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Erase ALL data in the database (like `hazri flush`), then "
            "load the demo. Asks first unless --noinput is given.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask before --reset erases the database.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into an empty database; otherwise say so and "
            "succeed without changing anything (for `make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        schools, students, weeks = options["schools"], options["students"], options["weeks"]
        if not 1 <= schools <= MAX_SCHOOLS:
            raise CommandError(f"--schools must be between 1 and {MAX_SCHOOLS}.")
        if students < max(100, 10 * schools):
            raise CommandError(
                f"--students must be at least 100, and 10 per school ({max(100, 10 * schools)})."
            )
        if not 0 <= weeks <= 52:
            raise CommandError("--weeks must be between 0 and 52.")
        found = existing_data()
        if found and options["if_empty"]:
            self.stdout.write(
                "The database already has data; the demo was not loaded "
                "(`hazri demo --reset` erases it and loads the demo)."
            )
            self._remind_logins()
            return
        if found and not options["reset"]:
            listed = ", ".join(f"{count} {label}" for label, count in found.items())
            raise CommandError(
                f"The database is not empty ({listed}). The demo loads into an empty database "
                "only. Run `hazri demo --reset` to erase ALL data in it and load the demo "
                "afresh, or point HAZRI_SQLITE_PATH (or DATABASE_URL) at a new database."
            )
        if found and options["interactive"]:
            answer = input(
                "This erases EVERY row in the database before loading the demo.\n"
                "Type 'yes' to continue, or 'no' to cancel: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Cancelled; nothing was changed.")
        started = time.monotonic()
        # One transaction: if loading fails, the erased data comes back.
        with transaction.atomic():
            if found:
                self._erase()
            demo = load(
                schools=schools,
                students=students,
                weeks=weeks,
                seed=options["seed"],
                today=options["today"],
            )
        self._report(demo, time.monotonic() - started)

    def _erase(self) -> None:
        postgres = connection.vendor == "postgresql"
        if postgres:
            # Rows written earlier in this transaction (a test's, say) leave deferred
            # foreign-key checks pending, and PostgreSQL refuses to TRUNCATE under them.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.stdout.write("Erased the database.")

    def _remind_logins(self) -> None:
        from hazri.accounts.models import User

        roles = {
            "ravi": "head",
            "asha": "teacher",
            "meera": "block officer",
            "imran": "parent",
            "admin": "superuser",
        }
        present = set(User.objects.filter(username__in=roles).values_list("username", flat=True))
        if present:
            listed = ", ".join(
                f"{name} ({role})" for name, role in roles.items() if name in present
            )
            self.stdout.write(
                f"Demo logins at http://127.0.0.1:8000/ (password {PASSWORD}): {listed}"
            )

    def _report(self, demo: Demo, seconds: float) -> None:
        counts = demo.counts
        history = (
            f"{demo.history[0]:%d %b} to {demo.history[-1]:%d %b %Y}" if demo.history else "none"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo district Sehore (session {demo.session.name}) in {seconds:.1f} s."
            )
        )
        for label in (
            "schools",
            "sections",
            "students",
            "guardians",
            "staff",
            "users",
            "calendar entries",
            "rosters",
            "roll calls",
            "staff roll calls",
            "meal records",
            "school-day rollups",
            "unit-day rollups",
            "students on the low-attendance lists",
        ):
            self.stdout.write(f"  {counts.get(label, 0):>7}  {label}")
        self.stdout.write(f"  Attendance history: {history}.")
        school = demo.ravi_school
        classes = [
            f"{s.grade} {s.name}" for s in school.sections if s.teacher is school.teachers[0]
        ]
        taught = f", class teacher of {' and '.join(classes)}" if classes else ""
        url = "http://127.0.0.1:8000/"
        logins = [
            (
                "ravi",
                f"head of {school.name} ({school.code}): mark any class, staff attendance, "
                "correct after the cutoff",
            ),
            ("asha", f"teacher at {school.name}{taught}: mark attendance"),
            ("meera", "Block Education Officer, Ashta: every school of the block"),
            ("imran", f"parent: Zoya and Ayaan Khan at {school.name}"),
            ("admin", f"superuser: everything, and the admin site at {url}admin/"),
        ]
        self.stdout.write(f"\nDemo logins at {url} (password for all: {PASSWORD}):")
        for username, what in logins:
            self.stdout.write(f"  {username:<6} / {PASSWORD}  {what}")
