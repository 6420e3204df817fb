"""In a real Chromium: head Ravi opens the roster import from his school's page,
uploads the state's register, reads the preview (creates, ends, Khedi's rows refused as
not his), fixes the file to his school, confirms, watches the progress bar (htmx) until
the import is done. The worker is this test: the task is held back, then run."""

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from hazri.people.models import Student
from hazri.registers.tests.test_browser import PHONE, log_in, open_page, screenshot
from hazri.rosters import services
from hazri.rosters.models import RosterJob
from hazri.sync.tests.test_pwa_a11y import problems
from hazri.testing.browser import sideways
from hazri.testing.world import build_world

from .make_files import HEADER, STUDENTS, _csv
from .rosters_world import DATA

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_preview_confirm_progress_done(
    live_server: Any, browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world()
    held: list[int] = []
    monkeypatch.setattr(services, "_enqueue", lambda job: held.append(job.pk) or job)
    base = live_server.url
    page = open_page(browser, PHONE, phone=True)
    log_in(page, base, "ravi")
    page.goto(f"{base}/schools/{world.school.pk}/")
    page.locator("[data-roster-imports]").click()
    page.wait_for_url(f"{base}/rosters/imports/")
    found = problems(page, "imports")
    page.set_input_files("#file", str(DATA / "students_good.csv"))
    page.locator("[data-upload]").click()
    page.wait_for_url("**/rosters/imports/*/")
    assert page.locator("[data-fix-rows]").is_visible()
    refused = page.locator("[data-lines] [data-action=refused]")
    assert refused.count() == 2 and "No school 23370100102" in refused.first.inner_text()

    mine = tmp_path / "rampur.csv"
    mine.write_text(_csv(HEADER, [r for r in STUDENTS if r[0] == world.school.code]))
    page.goto(f"{base}/rosters/imports/")
    page.set_input_files("#file", str(mine))
    page.locator("[data-upload]").click()
    page.wait_for_url("**/rosters/imports/*/")
    assert page.locator("[data-count=create]").inner_text().endswith(": 3")
    assert page.locator("[data-count=end]").inner_text().endswith(": 5")
    page.locator("[data-filter=end]").click()
    page.wait_for_url("**action=end")
    assert page.locator("[data-lines] [data-action=end]").count() == 5
    assert sideways(page) == []
    screenshot(page, "rosters-preview.png")
    found += problems(page, "preview")
    page.locator("[data-confirm]").click()
    page.wait_for_selector("[data-progress]")
    assert held, "the import waits for the worker"
    job = RosterJob.objects.get(pk=held[0])
    assert page.locator("[data-progress] progress").get_attribute("max") == "3"
    services.import_run(job.pk)  # the worker
    page.wait_for_selector("[data-done]", timeout=10_000)  # the poll reloads the page
    assert "3 of 3 rows, 1 of 1 schools done." in page.locator("[data-done]").inner_text()
    assert Student.objects.filter(state_id__startswith="IMP").count() == 3
    screenshot(page, "rosters-done.png")
    found += problems(page, "done")
    assert found == []
