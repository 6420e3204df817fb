"""In a real Chromium: a head picks فارسی on the login page and reads a class's
register, right to left, its month in the Jalali calendar and its figures in Persian
digits; on a phone and on a desktop (the choice is kept on the user). Set
HAZRI_SCREENSHOTS to a folder to keep screenshots."""

import os
import re

import pytest
from playwright.sync_api import Browser, Page

from hazri.accounts.models import User
from hazri.registers.tests.test_browser import (
    DESKTOP,
    PHONE,
    october_world,  # noqa: F401
    open_page,
    screenshot,
)
from hazri.testing.browser import sideways
from hazri.testing.world import PASSWORD, World

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSIAN_DIGITS = re.compile(r"^[۰-۹٫٬]+$")


def log_in(page: Page, base: str, *, pick: str | None) -> None:
    page.goto(f"{base}/accounts/login/")
    if pick:
        page.locator(f".lang-switch button[value={pick}]").click()
        page.wait_for_selector(f"html[lang={pick}]")
    page.fill("#id_username", "ravi")
    page.fill("#id_password", PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state()


def read_register(page: Page, world: World, base: str) -> None:
    page.goto(f"{base}/sections/{world.section.pk}/register/?month=2026-10")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("fa", "rtl")
    # October 2026 is the end of Mehr and the start of Aban 1405.
    month = page.locator(".month-label").inner_text()
    assert "مهر" in month and "آبان" in month and "۱۴۰۵" in month
    assert page.locator('th[data-day="2026-10-01"] .dnum').inner_text() == "۱"
    aarav = page.locator(f'tr[data-student="{world.students[0].pk}"]')
    assert PERSIAN_DIGITS.match(aarav.locator("td.pct").inner_text())
    assert PERSIAN_DIGITS.match(page.locator("[data-summary=held] dd").inner_text())
    # The back arrow points the way a right-to-left page goes back.
    flip = page.locator("a.back .flip").evaluate("e => getComputedStyle(e).transform")
    assert flip.startswith("matrix(-1")
    assert sideways(page) == []


def test_a_head_reads_the_register_in_persian(  # type: ignore[no-untyped-def]
    live_server,
    october_world: World,  # noqa: F811
    browser: Browser,
) -> None:
    world = october_world
    base = live_server.url
    phone = open_page(browser, PHONE, phone=True)
    phone.goto(f"{base}/accounts/login/")
    assert phone.locator(".lang-switch button[value=fa]").inner_text() == "فارسی"
    assert phone.locator(".lang-switch button[value=ru]").inner_text() == "Русский"
    log_in(phone, base, pick="fa")
    assert User.objects.get(username="ravi").language == "fa"
    read_register(phone, world, base)
    screenshot(phone, "register-fa-phone.png")

    desktop = open_page(browser, DESKTOP)  # another browser: the user's choice holds
    log_in(desktop, base, pick=None)
    read_register(desktop, world, base)
    screenshot(desktop, "register-fa-desktop.png")
