"""Accessibility of the offline app: axe-core (axe-playwright-python) on the login,
today, marking, queue and history screens, in English and Hindi, on a 360 px phone.
No violation may be "serious" or "critical"."""

import os

import pytest

# A dev dependency: `make test` installs it, so a missing package is a failure there.
from axe_playwright_python import sync_playwright as axe_playwright  # noqa: E402
from playwright.sync_api import Browser, Page

from hazri.org.selectors import school_today
from hazri.people.selectors import section_roll
from hazri.sync.tests.pwa_support import (
    log_in,
    mark,
    phone_context,
    screenshot,
    wait_until,
)
from hazri.testing.browser import sideways
from hazri.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BLOCKING = {"serious", "critical"}


def problems(page: Page, screen: str) -> list[str]:
    results = axe_playwright.Axe().run(page)
    found = []
    if os.environ.get("HAZRI_AXE_ALL"):
        for violation in results.response["violations"]:
            print(screen, violation["id"], violation["impact"], len(violation["nodes"]))  # noqa: T201
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{screen}: {violation['id']} ({violation['impact']}) at {targets}")
    return found


def test_no_serious_accessibility_problems(live_server, morning: World, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    world = morning
    roll = section_roll(world.section, school_today(world.school))
    found: list[str] = []
    with phone_context(browser) as context:
        page = context.new_page()
        page.goto(f"{live_server.url}/app/")
        page.wait_for_selector("form[data-login]")
        assert page.get_attribute("html", "lang") == "en"
        screenshot(page, "pwa-login.png")
        found += problems(page, "login")
        # A failed login shows its error in an alert.
        page.fill("#username", "ravi")
        page.fill("#password", "wrong")
        page.click("form[data-login] button[type=submit]")
        page.wait_for_selector("[role=alert]:not([hidden])")
        found += problems(page, "login error")

        log_in(page, live_server.url)
        found += problems(page, "today")
        page.click(f'[data-section="{world.section.pk}"] [data-meeting="1"] a.mark-button')
        page.wait_for_selector("form[data-marking]")
        found += problems(page, "marking")
        context.set_offline(True)
        wait_until(page, "!navigator.onLine")
        mark(page, world.section.pk, 1, [roll[0].id])
        found += problems(page, "today, offline, one waiting")
        page.click("a.tab[href='#/queue']")
        page.wait_for_selector("li.queue-item")
        found += problems(page, "queue")
        context.set_offline(False)
        wait_until(page, "HazriDB.getAll('queue').then(q => q[0].status === 'synced')")
        page.click("a.tab[href='#/history']")
        page.wait_for_selector(".history-card")
        found += problems(page, "history")

        # The same in Hindi: the switch sets the page's language for screen readers.
        page.click(".lang-switch button[lang=hi]")
        page.wait_for_selector("html[lang=hi]")
        assert page.get_attribute(".lang-switch button[lang=hi]", "aria-pressed") == "true"
        assert "इतिहास" in page.locator("h1").inner_text()
        found += problems(page, "history (hi)")
        page.click("a.tab[href='#/']")
        page.wait_for_selector("body[data-route=today] [data-section]")
        assert not sideways(page)
        screenshot(page, "pwa-sections-hi.png")
        found += problems(page, "today (hi)")
        page.click(f'[data-section="{world.section.pk}"] [data-meeting="2"] a.mark-button')
        page.wait_for_selector("form[data-marking]")
        assert not sideways(page)
        screenshot(page, "pwa-marking-hi.png")
        found += problems(page, "marking (hi)")
    assert not found, "\n".join(found)
