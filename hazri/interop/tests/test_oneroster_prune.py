"""The nightly pruning of OneRoster zips: an exchange's file goes two weeks after it
finished (HAZRI_INTEROP_KEEP_DAYS), the exchange stays and says so, and a zip that no
exchange holds goes once it is as old."""

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hazri.interop.models import Exchange
from hazri.interop.oneroster.services import exchange_file, files_prune
from hazri.interop.tasks import prune_exchange_files
from hazri.testing.world import World

pytestmark = pytest.mark.django_db
API = "/api/v1/oneroster"


def _exchange(world: World, direction: str, days_ago: int | None) -> Exchange:
    """An exchange of the world's school, finished `days_ago` (None: still running),
    with its zip."""
    done = days_ago is not None
    exchange = Exchange.objects.create(
        direction=direction,
        school=world.school,
        unit_path=world.school.unit_path,
        status=Exchange.Status.DONE if done else Exchange.Status.RUNNING,
        summary={"rows": {"users": 8}} if done else {},
        created_by=world.ravi,
        finished_at=timezone.now() - dt.timedelta(days=days_ago) if done else None,
    )
    exchange_file(exchange).write_bytes(b"PK zip of the school")
    return exchange


def _aged(path: Path, days: int) -> Path:
    then = (timezone.now() - dt.timedelta(days=days)).timestamp()
    os.utime(path, (then, then))
    return path


def test_old_zips_go_and_their_exchanges_say_so(
    world: World, storage: Path, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    old_export = _exchange(world, "export", days_ago=20)
    old_import = _exchange(world, "import", days_ago=15)
    recent = _exchange(world, "export", days_ago=2)
    running = _exchange(world, "import", days_ago=None)
    _aged(exchange_file(running), 30)  # uploaded long ago, still being imported
    stray_old = storage / "oneroster-export-999999.zip"  # its exchange never committed
    stray_old.write_bytes(b"PK")
    _aged(stray_old, 20)
    stray_new = storage / "oneroster-import-999998.zip"
    stray_new.write_bytes(b"PK")

    assert prune_exchange_files.call() == 3  # the task the scheduler runs at 02:50

    assert not exchange_file(old_export).exists() and not exchange_file(old_import).exists()
    assert not stray_old.exists()
    assert exchange_file(recent).exists() and exchange_file(running).exists()
    assert stray_new.exists()
    for kept in (old_export, old_import):
        kept.refresh_from_db()
        assert kept.status == Exchange.Status.DONE and "removed_on" in kept.summary
        assert kept.summary["rows"] == {"users": 8}  # what it held is still told
    assert files_prune() == 0  # nothing left to remove, nothing marked twice

    head = Client()
    head.force_login(world.ravi)
    answer = head.get(f"{API}/exchanges/{old_export.pk}/file")
    assert answer.status_code == 404
    error = answer.json()["errors"][0]
    assert error["code"] == "removed" and "14 days" in error["message"]
    page = head.get(reverse("interop_oneroster_exchange", args=[old_export.pk]))
    assert page.status_code == 200 and b"data-removed" in page.content
    assert b"data-download" not in page.content
    assert head.get(f"{API}/exchanges/{recent.pk}/file").status_code == 200


def test_the_state_may_keep_them_longer(world: World, settings: Any) -> None:
    settings.HAZRI_INTEROP_KEEP_DAYS = 30
    exchange = _exchange(world, "export", days_ago=20)
    assert files_prune() == 0 and exchange_file(exchange).exists()
    assert files_prune(keep_days=7) == 1 and not exchange_file(exchange).exists()
