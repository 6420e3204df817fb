"""`hazri import-roster students|staff FILE [--mapping NAME] [--user USERNAME] [--yes]`
prints the preview, asks, imports with a text progress bar; `--resume JOB_ID` resumes."""

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hazri.common.errors import ServiceError
from hazri.common.files import Upload
from hazri.rosters import selectors, services
from hazri.rosters.models import RosterJob, RosterLine

SHOWN = 50  # refused lines printed; the page and the API page through the rest
BAR = 40


def bar(job: RosterJob) -> str:
    """`[#######.....]  1200/5000 rows, 3/10 schools`."""
    filled = BAR * job.rows_done // job.rows if job.rows else BAR
    return (
        f"[{'#' * filled}{'.' * (BAR - filled)}] {job.rows_done}/{job.rows} rows, "
        f"{job.schools_done}/{job.schools} schools"
    )


class Command(BaseCommand):
    help = (
        "Import students (the state enrolment register) or staff (the HR system) from a "
        "CSV or XLSX file: prints the preview per school, then imports it, one transaction "
        "per school, with a progress bar. --resume JOB_ID runs a stopped import again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", nargs="?", choices=["students", "staff"])
        parser.add_argument("file", nargs="?", type=Path)
        parser.add_argument("--mapping", help="The name of a saved mapping of the file's layout")
        parser.add_argument(
            "--user", help="Import as this user (their schools only); default: the system"
        )
        parser.add_argument("--on", type=dt.date.fromisoformat, help="YYYY-MM-DD, default today")
        parser.add_argument("--yes", action="store_true", help="Import without asking")
        parser.add_argument("--resume", type=int, metavar="JOB_ID")

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']}.")
        try:
            if options["resume"]:
                job = RosterJob.objects.filter(pk=options["resume"]).defer("data").first()
                if job is None or (user is not None and not selectors.sees_job(user, job)):
                    raise CommandError(f"No import {options['resume']}.")
                services.import_resume(job=job, user=user, enqueue=False)
                self._run(job)
                return
            if not options["kind"] or not options["file"]:
                raise CommandError("Name the kind (students or staff) and the file.")
            path: Path = options["file"]
            if not path.is_file():
                raise CommandError(f"No file {path}.")
            mapping = (
                selectors.mapping_named(user, options["mapping"]) if options["mapping"] else None
            )
            job = services.import_upload(
                user=user,
                kind=options["kind"],
                upload=Upload(path.name, path.read_bytes()),
                mapping=mapping,
                on=options["on"],
                enqueue=False,  # the preview is worked out here, while the command waits
            )
            self._preview(job)
            if job.refused:
                raise CommandError(
                    f"{job.refused} rows are refused: fix them and run again. Nothing was imported."
                )
            if not options["yes"] and input("Import it? [y/N] ").strip().lower() not in (
                "y",
                "yes",
            ):
                self.stdout.write(f"Not imported. The preview is import {job.pk}.")
                return
            services.import_confirm(job=job, user=user, enqueue=False)
            self._run(job)
        except ServiceError as error:
            where = f" ({error.field})" if error.field else ""
            raise CommandError(f"{error.message}{where}") from None

    def _preview(self, job: RosterJob) -> None:
        out = self.stdout
        out.write(f"Import {job.pk}: {job.rows} rows of {job.file_name} for {job.schools} schools")
        out.write(
            "  ".join(f"{action}: {job.counts.get(action, 0)}" for action in services.ACTIONS)
        )
        for part in selectors.job_parts(job)[:20]:
            counts = ", ".join(f"{k} {v}" for k, v in sorted(part.counts.items()) if v)
            out.write(f"  {part.school.code} {part.school.name}: {counts}")
        if job.schools > 20:
            out.write(f"  … and {job.schools - 20} more schools")
        refused = RosterLine.objects.filter(job=job, action="refused").order_by("line")[:SHOWN]
        for line in refused:
            out.write(f"  line {line.line}, {line.column}: {line.reason}")

    def _run(self, job: RosterJob) -> None:
        def show(at: RosterJob) -> None:
            sys.stdout.write("\r" + bar(at))
            sys.stdout.flush()

        done = services.import_run(job.pk, progress=show)
        sys.stdout.write("\n")
        self.stdout.write(f"Import {done.pk}: {done.get_status_display()}. {bar(done)}")
        for part in done.parts.exclude(status="done").select_related("school"):
            self.stdout.write(f"  {part.school.code}: {part.error}")
        if done.status != RosterJob.Status.DONE:
            raise CommandError(f"Stopped: resume it with `hazri import-roster --resume {done.pk}`.")
