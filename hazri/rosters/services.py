"""The rosters app's writes: saved mappings, an upload and its preview, confirming and
resuming an import, and the import itself (one transaction per school, through
hazri.people.services' register_sync and staff_sync)."""

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hazri.audit.services import audit_record
from hazri.common.api import NO_CONTROLS
from hazri.common.errors import Conflict, Invalid, ServiceError
from hazri.common.files import Upload, check_table
from hazri.org.models import OrgUnit, School
from hazri.org.selectors import tree_today
from hazri.people.services.hr import staff_plan, staff_sync
from hazri.people.services.register import Outcome, register_plan, register_sync
from hazri.rosters import layouts, selectors
from hazri.rosters.models import Kind, RosterJob, RosterJobSchool, RosterLine, RosterMapping
from hazri.rosters.plan import Parsed, Refusal, read_file

ACTIONS = ("create", "change", "end", "unchanged", "refused")


def mapping_save(
    *,
    user: Any,
    unit: OrgUnit,
    name: str,
    kind: str,
    columns: dict[str, str],
    date_formats: list[str],
    mapping: RosterMapping | None = None,
) -> RosterMapping:
    """Create or edit a mapping (a new version, audited with what it was)."""
    selectors.require_unit_exchange(user, unit)
    if kind not in Kind.values:
        raise Invalid(_("Choose students or staff."), field="kind", code="bad_kind")
    name = name.strip()
    if not name:
        raise Invalid(_("Name the mapping."), field="name", code="required")
    ours = {c.name for c in layouts.LAYOUTS[kind]}
    cleaned: dict[str, str] = {}
    for where, text in [("name", name), *((f"columns.{k}", v) for k, v in columns.items())]:
        _plain(text, where)
    for n, text in enumerate(date_formats):
        _plain(text, f"date_formats[{n}]")
    for key, theirs in columns.items():
        if key not in ours:
            raise Invalid(
                _("%(column)s is not a column of the layout.") % {"column": key},
                field=f"columns.{key}",
                code="unknown_column",
            )
        if theirs.strip():
            cleaned[key] = theirs.strip()
    if len(set(cleaned.values())) < len(cleaned):
        raise Invalid(
            _("Two columns of ours read the same column of theirs."),
            field="columns",
            code="duplicate",
        )
    layouts.check_date_formats(date_formats, field="date_formats")
    clash = RosterMapping.objects.filter(name=name)
    if mapping is not None:
        clash = clash.exclude(pk=mapping.pk)
    if clash.exists():
        raise Conflict(_("A mapping with this name exists."), field="name", code="name_taken")
    with transaction.atomic():
        before = None
        if mapping is None:
            mapping = RosterMapping(unit=unit, kind=kind)
        else:
            mapping = RosterMapping.objects.select_for_update().get(pk=mapping.pk)
            before = {
                "name": mapping.name,
                "kind": mapping.kind,
                "columns": mapping.columns,
                "date_formats": mapping.date_formats,
            }
            mapping.version += 1
        mapping.unit, mapping.name, mapping.kind = unit, name, kind
        mapping.columns = cleaned
        mapping.date_formats = [f.strip() for f in date_formats]
        mapping.updated_by = user
        mapping.save()
        audit_record(
            user=user,
            action="roster_mapping.save",
            obj=mapping,
            school_id=None,
            detail={"version": mapping.version, "before": before, "columns": cleaned},
        )
    return mapping


def _plain(text: str, field: str) -> None:
    """Text a page posts: bounded, no control character (the API's Text does the same)."""
    if len(text) > 80 or not re.fullmatch(NO_CONTROLS, text):
        raise Invalid(
            _("At most 80 characters, without control characters."),
            field=field,
            code="bad_text",
        )


def _formats(job: RosterJob) -> list[str]:
    return [layouts.date_format(f) for f in job.date_formats]


def import_upload(
    *,
    user: Any,
    kind: str,
    upload: Upload,
    mapping: RosterMapping | None = None,
    on: dt.date | None = None,
    enqueue: bool = True,
) -> RosterJob:
    """Check and read the file and store it; its preview is worked out by a task (the
    command line works it out itself: `enqueue=False`). Nothing else is written.
    Whole-file faults are an Invalid, at once; rows are refused one by one in the
    preview. Planning every school takes a minute for a state's register, longer than
    a request may wait."""
    if user is not None:  # None: the system (the command line without --user), every school
        selectors.require_exchange(user)
    if kind not in Kind.values:
        raise Invalid(_("Choose students or staff."), field="kind", code="bad_kind")
    if mapping is not None and mapping.kind != kind:
        raise Invalid(
            _("The mapping %(name)s is for %(kind)s.")
            % {"name": mapping.name, "kind": mapping.get_kind_display()},
            field="mapping",
            code="wrong_kind",
        )
    check_table(upload, "file")
    on = on or tree_today()
    job = RosterJob(
        kind=kind,
        file_name=upload.name[:200],
        data=upload.data,
        mapping=mapping,
        mapping_version=mapping.version if mapping else None,
        columns=mapping.columns if mapping else {},
        date_formats=mapping.date_formats if mapping else [],
        on=on,
        created_by=user,
        status=RosterJob.Status.PREVIEWING,
    )
    parsed = _read(job, lambda codes: selectors.reach(user, codes))
    job.rows = parsed.rows
    job.save()
    if not enqueue:
        return import_preview(job.pk, parsed)
    from hazri.rosters.tasks import preview_roster_job

    preview_roster_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def import_preview(job_id: int, parsed: Parsed | None = None) -> RosterJob:
    """The preview (the task's body): every school planned and its lines stored, in one
    transaction; a failure is kept on the job (the page stops waiting and shows it)."""
    job = RosterJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != RosterJob.Status.PREVIEWING:
        return job  # worked out already (a task run twice)
    try:
        if parsed is None:
            user = job.created_by
            parsed = _read(job, lambda codes: selectors.reach(user, codes))
        with transaction.atomic():
            _preview(job, parsed)
            job.status = RosterJob.Status.PREVIEWED
            job.save(update_fields=["status"])
    except Exception as error:
        message = error.message if isinstance(error, ServiceError) else repr(error)
        RosterJob.objects.filter(pk=job_id).update(error=message[:500])
        raise
    return job


def _read(job: RosterJob, reach: Any) -> Parsed:
    data = bytes(job.data)
    return read_file(
        data,
        kind=job.kind,
        columns=job.columns,
        date_formats=_formats(job),
        reach=reach,
        on=job.on,
    )


def _plan(job: RosterJob, school: School, entries: list[Any]) -> list[Outcome]:
    if job.kind == Kind.STUDENTS:
        return register_plan(school, entries, on=job.on)
    return list(staff_plan(school, entries, on=job.on))


def _line(job: RosterJob, school_id: int | None, o: Outcome | Refusal) -> RosterLine:
    if isinstance(o, Refusal):
        return RosterLine(
            job=job,
            school_id=school_id,
            line=o.line,
            action="refused",
            key=o.key[:64],
            name=o.name[:200],
            column=o.column,
            reason=o.reason[:500],
        )
    return RosterLine(
        job=job,
        school_id=school_id,
        line=o.line,
        action=o.action,
        key=o.key[:64],
        name=o.name[:200],
        changes=o.changes,
        column=o.column,
        reason=o.reason[:500],
    )


def _preview(job: RosterJob, parsed: Parsed) -> None:
    total: Counter[str] = Counter()
    lines: list[RosterLine] = []
    parts = []
    for refusal in parsed.refused:
        if refusal.school_id is None:
            lines.append(_line(job, None, refusal))
            total["refused"] += 1
    for school_id, school in sorted(parsed.schools.items()):
        refusals = [r for r in parsed.refused if r.school_id == school_id]
        outcomes = _plan(job, school, parsed.entries.get(school_id, []))
        counts = Counter(o.action for o in outcomes)
        counts["refused"] += len(refusals)
        lines += [_line(job, school_id, r) for r in refusals]
        lines += [_line(job, school_id, o) for o in outcomes if o.action != "unchanged"]
        total.update(counts)
        parts.append(
            RosterJobSchool(
                job=job, school=school, rows=parsed.lines.get(school_id, 0), counts=dict(counts)
            )
        )
    RosterJobSchool.objects.bulk_create(parts)
    RosterLine.objects.bulk_create(lines, batch_size=2000)
    job.rows, job.schools = parsed.rows, len(parts)
    job.refused = total["refused"]
    job.counts = {a: total[a] for a in ACTIONS}
    job.save(update_fields=["rows", "schools", "refused", "counts"])


def import_confirm(*, job: RosterJob, user: Any, enqueue: bool = True) -> RosterJob:
    """Start the import of a previewed file with no refused row (a task: each school in
    its own transaction; the command line runs it itself: `enqueue=False`)."""
    with transaction.atomic():
        job = RosterJob.objects.defer("data").select_for_update().get(pk=job.pk)
        if job.status == RosterJob.Status.PREVIEWING:
            raise Conflict(
                _("The preview is still being worked out: wait for it."),
                field="job",
                code="not_previewed",
            )
        if job.status != RosterJob.Status.PREVIEWED:
            raise Conflict(
                _("This import was confirmed already."), field="job", code="already_confirmed"
            )
        if job.refused:
            raise Conflict(
                _(
                    "%(count)s rows are refused: fix them in the file and upload it again; "
                    "nothing was imported."
                )
                % {"count": job.refused},
                field="file",
                code="refused_rows",
            )
        job.status = RosterJob.Status.QUEUED
        job.save(update_fields=["status"])
        audit_record(user=user, action="roster.confirm", obj=job, school_id=None, detail={})
    return _enqueue(job) if enqueue else job


def import_resume(*, job: RosterJob, user: Any, enqueue: bool = True) -> RosterJob:
    """Run a stopped import again for the schools not done (those done are skipped)."""
    with transaction.atomic():
        job = RosterJob.objects.defer("data").select_for_update().get(pk=job.pk)
        if job.status in (
            RosterJob.Status.PREVIEWING,
            RosterJob.Status.PREVIEWED,
            RosterJob.Status.DONE,
        ):
            raise Conflict(
                _("Only a stopped import can be resumed."), field="job", code="not_stopped"
            )
        job.status = RosterJob.Status.QUEUED
        job.save(update_fields=["status"])
        audit_record(user=user, action="roster.resume", obj=job, school_id=None, detail={})
    return _enqueue(job) if enqueue else job


def _enqueue(job: RosterJob) -> RosterJob:
    from hazri.rosters.tasks import run_roster_job

    run_roster_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


Progress = Callable[[RosterJob], None]


def import_run(job_id: int, progress: Progress | None = None) -> RosterJob:
    """The import (the task's body): each school not done, in its own transaction that
    also marks it done; a school that fails is left untouched and the rest go on.
    `progress` hears the job after each school (the command line's bar)."""
    job = RosterJob.objects.select_related("created_by").get(pk=job_id)
    RosterJob.objects.filter(pk=job_id).update(status=RosterJob.Status.RUNNING, error="")
    waiting = {p.school_id: p for p in job.parts.exclude(status=RosterJobSchool.Status.DONE)}
    schools = School.objects.in_bulk(list(waiting))
    by_code = {s.code: s for s in schools.values()}
    parsed = _read(job, lambda codes: {c: by_code[c] for c in codes if c in by_code})
    reason = f"Not in the roster file {job.file_name} (import {job.pk})"
    for school_id in sorted(waiting):
        try:
            _run_school(job, schools[school_id], parsed, reason)
        except (ServiceError, DatabaseError) as error:
            message = error.message if isinstance(error, ServiceError) else str(error)
            RosterJobSchool.objects.filter(job=job, school_id=school_id).update(
                status=RosterJobSchool.Status.FAILED, error=message[:500]
            )
        if progress is not None:
            job.refresh_from_db(fields=["rows_done", "schools_done"])
            progress(job)
    stopped = job.parts.exclude(status=RosterJobSchool.Status.DONE).exists()
    status = RosterJob.Status.FAILED if stopped else RosterJob.Status.DONE
    RosterJob.objects.filter(pk=job_id).update(status=status)
    job.refresh_from_db()
    return job


def _run_school(job: RosterJob, school: School, parsed: Parsed, reason: str) -> None:
    with transaction.atomic(durable=True):
        part = RosterJobSchool.objects.select_for_update().get(job=job, school=school)
        if part.status == RosterJobSchool.Status.DONE:
            return  # another run of the job did it
        refusals = [r for r in parsed.refused if r.school_id == school.pk]
        if refusals:
            first = refusals[0]
            raise Conflict(f"Line {first.line}, {first.column}: {first.reason}", code="refused")
        entries = parsed.entries.get(school.pk, [])
        by = job.created_by
        if job.kind == Kind.STUDENTS:
            outcomes: list[Any] = register_sync.nested(
                school=school, entries=entries, on=job.on, by=by, reason=reason
            )
        else:
            outcomes = staff_sync.nested(school=school, entries=entries, on=job.on, by=by)
        part.counts = dict(Counter(o.action for o in outcomes))
        part.status, part.error, part.done_at = RosterJobSchool.Status.DONE, "", timezone.now()
        part.save(update_fields=["counts", "status", "error", "done_at"])
        RosterJob.objects.filter(pk=job.pk).update(
            rows_done=F("rows_done") + part.rows, schools_done=F("schools_done") + 1
        )
