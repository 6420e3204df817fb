"""In a real Chromium: the head of Rampur exports his school from the OneRoster page,
waits for the export (the page polls) and downloads the zip."""

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from hazri.interop.oneroster.export import export_area
from hazri.interop.tests.oneroster_world import unzipped
from hazri.registers.tests.test_browser import DESKTOP, log_in, open_page
from hazri.testing.world import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_head_exports_his_school(
    live_server, browser: Browser, settings: Any, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    world = build_world()  # the zips in tmp_path (conftest's storage)
    base = live_server.url
    page = open_page(browser, DESKTOP)
    log_in(page, base, "ravi")
    page.goto(f"{base}/interop/oneroster/")
    page.select_option("[data-export-form] select[name=area]", f"school:{world.school.pk}")
    page.locator("[data-export]").click()
    page.wait_for_url("**/interop/oneroster/*/")
    page.wait_for_selector("[data-exchange][data-status=done]")
    with page.expect_download() as download:
        page.locator("[data-download]").click()
    data = Path(download.value.path()).read_bytes()
    assert unzipped(data) == export_area(school=world.school)
