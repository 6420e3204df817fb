"""OneRoster exchanges: asking for an export or an import (checked here, at once: a
broken bundle is refused before anything is queued), and running them as background
tasks. An exchange's zip lies under HAZRI_INTEROP_DIR (var/interop by default)."""

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazri.accounts.access import Action, Actor, require
from hazri.common.errors import Invalid, NotFound, ServiceError
from hazri.interop.models import Exchange
from hazri.interop.oneroster.bundle import BundleInvalid, read_bundle
from hazri.interop.oneroster.export import export_area
from hazri.interop.oneroster.load import import_bundle
from hazri.interop.oneroster.rows import zip_files
from hazri.org.models import OrgUnit, School


def storage_dir() -> Path:
    folder = Path(getattr(settings, "HAZRI_INTEROP_DIR", Path(settings.VAR_DIR) / "interop"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def exchange_file(exchange: Exchange) -> Path:
    return storage_dir() / f"oneroster-{exchange.direction}-{exchange.pk}.zip"


def _school(actor: Actor, school_id: int) -> School:
    return require(
        School.objects.all(), actor, Action.EXCHANGE, school_id, field="school", noun="school"
    )


def _unit(actor: Actor, unit_id: int) -> OrgUnit:
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or not actor.is_superuser:
        raise NotFound(_("No unit %(id)s in your area.") % {"id": unit_id}, field="unit")
    return unit


def export_request(actor: Actor, *, unit_id: int | None, school_id: int | None) -> Exchange:
    """Export a unit's subtree (the state's administrator) or one school (its head or
    administrator too); runs as a task."""
    if (unit_id is None) == (school_id is None):
        raise Invalid(_("Name a unit or a school, not both."), field="unit", code="one_of")
    school = _school(actor, school_id) if school_id is not None else None
    unit = _unit(actor, unit_id) if unit_id is not None else None
    exchange = Exchange.objects.create(
        direction=Exchange.Direction.EXPORT,
        unit=unit,
        school=school,
        unit_path=school.unit_path if school else unit.path if unit else "",
        created_by=actor.user,
    )
    transaction.on_commit(lambda: _enqueue("oneroster_export", exchange.pk))
    return exchange


def import_request(actor: Actor, *, data: bytes, school_id: int | None, name: str = "") -> Exchange:
    """Import a bundle: the state's administrator any, a school's head or administrator
    one that holds only their school. The bundle is checked whole here (BundleInvalid:
    file, line, column, reason); the writes run as a task."""
    if school_id is None and not actor.is_superuser:
        raise Invalid(_("Name your school."), field="school", code="required")
    school = _school(actor, school_id) if school_id is not None else None
    read_bundle(data)
    exchange = Exchange.objects.create(
        direction=Exchange.Direction.IMPORT,
        school=school,
        unit_path=school.unit_path if school else "",
        file_name=name[:200],
        created_by=actor.user,
    )
    transaction.on_commit(lambda: _store_and_enqueue(exchange, data))
    return exchange


def _store_and_enqueue(exchange: Exchange, data: bytes) -> None:
    exchange_file(exchange).write_bytes(data)
    _enqueue("oneroster_import", exchange.pk)


def _enqueue(task: str, exchange_id: int) -> None:
    from hazri.interop import tasks

    getattr(tasks, task).enqueue(exchange_id)


def _finish(exchange: Exchange, *, summary: dict[str, Any], error: str = "") -> None:
    exchange.status = Exchange.Status.FAILED if error else Exchange.Status.DONE
    exchange.summary, exchange.error = summary, error
    exchange.finished_at = timezone.now()
    exchange.save(update_fields=["status", "summary", "error", "finished_at"])


def _start(exchange_id: int) -> Exchange:
    exchange = Exchange.objects.select_related("unit", "school", "created_by").get(pk=exchange_id)
    exchange.status = Exchange.Status.RUNNING
    exchange.save(update_fields=["status"])
    return exchange


def run_export(exchange_id: int) -> str:
    exchange = _start(exchange_id)
    files = export_area(unit=exchange.unit, school=exchange.school)
    exchange_file(exchange).write_bytes(zip_files(files))
    rows = {
        name.removesuffix(".csv"): content.count(b"\n") - 1
        for name, content in files.items()
        if name != "manifest.csv"
    }
    _finish(exchange, summary={"rows": rows, "bytes": exchange_file(exchange).stat().st_size})
    return exchange.status


def run_import(exchange_id: int) -> str:
    exchange = _start(exchange_id)
    try:
        bundle = read_bundle(exchange_file(exchange).read_bytes())
        summary = import_bundle(bundle, by=exchange.created_by, only_school=exchange.school)
    except BundleInvalid as error:
        _finish(
            exchange, summary={"problems": [str(p) for p in error.problems]}, error=error.message
        )
    except ServiceError as error:
        _finish(exchange, summary={}, error=error.message)
    else:
        _finish(exchange, summary=summary)
    return exchange.status


# How long an exchange's zip is kept after it finished: an export long enough to be
# fetched, an import's upload (children's records) no longer than that.
KEEP_DAYS = 14


def keep_days_setting() -> int:
    return int(getattr(settings, "HAZRI_INTEROP_KEEP_DAYS", KEEP_DAYS))


def files_prune(*, keep_days: int | None = None) -> int:
    """Every night: remove the zips of exchanges that finished more than `keep_days`
    ago (HAZRI_INTEROP_KEEP_DAYS, 14 by default), and any zip left by no exchange. The
    exchanges stay, with the day their file went (`summary.removed_on`)."""
    cutoff = timezone.now() - dt.timedelta(days=keep_days or keep_days_setting())
    folder = storage_dir()
    by_name = {
        exchange_file(e).name: e
        for e in Exchange.objects.filter(finished_at__lt=cutoff).exclude(
            summary__has_key="removed_on"
        )
    }
    live = {
        exchange_file(e).name
        for e in Exchange.objects.exclude(finished_at__lt=cutoff).only("pk", "direction")
    }
    removed = 0
    for path in sorted(folder.glob("oneroster-*.zip")):
        exchange = by_name.get(path.name)
        orphan = path.name not in live and exchange is None
        old = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC) < cutoff
        if exchange is None and not (orphan and old):
            continue
        path.unlink(missing_ok=True)
        removed += 1
        if exchange is not None:
            exchange.summary = {**exchange.summary, "removed_on": timezone.now().isoformat()}
            exchange.save(update_fields=["summary"])
    return removed
