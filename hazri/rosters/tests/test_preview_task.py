"""The preview is a task's work: the upload answers once the file is read (whole-file
faults at once), and the page waits for the plan of every school, which for a state's
register takes longer than a request may."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hazri.common.errors import Conflict
from hazri.rosters import services
from hazri.rosters.models import RosterJob
from hazri.rosters.tests.rosters_world import upload
from hazri.testing.world import World


@pytest.fixture
def worker_away(settings: Any) -> None:
    """The task queue as the worker has not reached it yet (django-tasks' DummyBackend
    keeps what is enqueued and runs none of it)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_the_upload_answers_before_the_preview_and_the_page_waits_for_it(
    world: World, superuser: Any, worker_away: None
) -> None:
    job = upload(superuser, "students_good.csv")
    from django_tasks import default_task_backend

    assert [r.args for r in default_task_backend.results] == [[job.pk]]  # type: ignore[attr-defined]
    assert job.status == RosterJob.Status.PREVIEWING and job.working
    assert job.rows == 5 and not job.parts.exists() and not job.lines.exists()
    with pytest.raises(Conflict) as refused:
        services.import_confirm(job=job, user=superuser)
    assert refused.value.code == "not_previewed"
    with pytest.raises(Conflict):
        services.import_resume(job=job, user=superuser)

    client = Client()
    client.force_login(superuser)
    page = reverse("rosters_import", args=[job.pk])
    waiting = client.get(page)
    assert b'data-status="previewing"' in waiting.content and b"data-confirm" not in waiting.content
    assert b"hx-trigger" in waiting.content  # the page asks again every two seconds

    assert services.import_preview(job.pk).status == RosterJob.Status.PREVIEWED  # the worker
    assert client.get(page, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    ready = client.get(page)
    assert b"data-confirm" in ready.content
    job.refresh_from_db()
    assert job.counts["create"] == 5 and job.parts.count() == job.schools == 2
    assert services.import_preview(job.pk).counts == job.counts  # run twice: once


def test_a_preview_that_fails_says_so_and_the_page_stops_waiting(
    world: World, superuser: Any, worker_away: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = upload(superuser, "students_good.csv")

    def broken(*args: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_preview", broken)
    with pytest.raises(RuntimeError):
        services.import_preview(job.pk)
    job.refresh_from_db()
    assert job.status == RosterJob.Status.PREVIEWING and not job.working
    assert "the database went away" in job.error and not job.parts.exists()
    client = Client()
    client.force_login(superuser)
    page = client.get(reverse("rosters_import", args=[job.pk]))
    assert b"data-job-error" in page.content and b"hx-trigger" not in page.content
