"""The head reads October's register and certifies it, in a real Chromium (Playwright),
on a desktop screen and on a 360 px phone.

Set HAZRI_SCREENSHOTS to a folder to keep screenshots of the pages it visits.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from hazri.registers.models import MonthCertification
from hazri.registers.tests.test_pages import october
from hazri.testing.browser import sideways
from hazri.testing.world import PASSWORD, World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 360, "height": 740}


def open_page(browser: Browser, viewport: ViewportSize, *, phone: bool = False) -> Page:
    context = browser.new_context(
        viewport=viewport,
        has_touch=phone,
        is_mobile=phone,
        device_scale_factor=2 if phone else 1,
        locale="en-IN",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def october_world() -> World:
    world = build_world()
    october(world)
    return world


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("button[type=submit]", has_text="Log in").click()
    page.wait_for_load_state()


def screenshot(page: Page, name: str) -> None:
    folder = os.environ.get("HAZRI_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_the_head_certifies_october(live_server, october_world: World, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    world = october_world
    url = f"{live_server.url}/sections/{world.section.pk}/register/?month=2026-10"
    page = open_page(browser, DESKTOP)
    log_in(page, live_server.url, "ravi")
    page.goto(url)
    aarav = page.locator(f'tr[data-student="{world.students[0].pk}"]')
    assert aarav.locator("th.name").inner_text() == "Aarav Sharma"
    assert aarav.locator("td").nth(6).inner_text() == "3"  # the 3rd's forenoon: count 3
    kabir = page.locator(f'tr[data-student="{world.students[3].pk}"]')
    assert kabir.locator("td[data-month]").inner_text() == "3"
    assert page.locator('[data-summary="held"] dd').inner_text() == "3"
    assert not sideways(page)
    screenshot(page, "register-1280.png")

    page.fill("#checked-by", "S. Mishra")
    page.locator("button[type=submit]", has_text="Certify").click()
    page.wait_for_selector('[data-certified="true"]')
    assert "checked by S. Mishra" in page.locator(".cert-box").inner_text()
    assert "is certified and locked" in page.locator(".messages").inner_text()
    assert page.locator("#checked-by").count() == 0
    assert MonthCertification.objects.get(section=world.section).checked_by == "S. Mishra"
    page.context.close()


def test_the_register_fits_a_phone(live_server, october_world: World, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    world = october_world
    page = open_page(browser, PHONE, phone=True)
    log_in(page, live_server.url, "asha")
    page.goto(f"{live_server.url}/sections/{world.section.pk}/register/?month=2026-10")
    scroller = page.locator(".register-scroll")
    # The table scrolls inside its own box; the page itself never scrolls sideways.
    assert not sideways(page)
    assert scroller.evaluate("box => box.scrollWidth > box.clientWidth")
    name = page.locator(f'tr[data-student="{world.students[0].pk}"] th.name')
    scroller.evaluate("box => { box.scrollLeft = 400; }")
    box, stuck = scroller.bounding_box(), name.bounding_box()
    assert box is not None and stuck is not None
    assert abs(stuck["x"] - box["x"]) < 2  # the names stay in view at the left edge
    assert page.locator("a[data-download=pdf]").is_visible()
    screenshot(page, "register-360.png")
    page.context.close()
