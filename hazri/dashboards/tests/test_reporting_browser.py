"""On a 360 px phone, in a real Chromium (Playwright): block officer Meera opens the
reporting page, sees her block's figures, drills down to a cluster, sorts its schools
and switches to the last session (none came in then); nothing scrolls sideways. Set HAZRI_SCREENSHOTS to a
folder to keep screenshots."""

import os

import pytest
from playwright.sync_api import Browser

from hazri.dashboards.tests.reporting_world import reporting_world
from hazri.registers.tests.test_browser import PHONE, log_in, open_page, screenshot
from hazri.sync.tests.test_pwa_a11y import problems
from hazri.testing.browser import sideways
from hazri.testing.world import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_drills_down_through_a_year(live_server, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    rep = reporting_world(build_world())
    w = rep.world
    base = live_server.url
    page = open_page(browser, PHONE, phone=True)
    log_in(page, base, "meera")
    page.goto(f"{base}/dashboard/")
    page.locator("[data-nav=dashboard_reporting]").click()
    page.wait_for_url(f"**/dashboard/reporting/?unit={w.block.pk}")
    assert page.locator("[data-figure=transfers_in] strong").inner_text() == "2"
    assert page.locator("[data-figure=dropouts] strong").inner_text() == "1"
    assert sideways(page) == []
    screenshot(page, "reporting-block.png")
    found = problems(page, "reporting")
    page.locator(f"tr[data-unit='{w.cluster.pk}'] a").click()
    page.wait_for_url(f"**/dashboard/reporting/?unit={w.cluster.pk}&year={w.year.pk}")
    names = page.locator("table[data-table=reporting] tbody th")
    assert names.all_inner_texts() == ["GPS Khedi", "GPS Rampur"]
    page.locator("th[data-sort=transfers_in]").click()  # fewest first
    assert names.all_inner_texts() == ["GPS Rampur", "GPS Khedi"]
    page.locator(f"[data-year='{rep.last_year.pk}']").first.click()
    page.wait_for_url(f"**year={rep.last_year.pk}")
    assert page.locator("[data-figure=transfers_in] strong").inner_text() == "0"
    assert sideways(page) == []
    assert found == []
