"""On a 360 px phone, in a real Chromium (Playwright): teacher Asha raises a ticket,
head Ravi escalates it to the block, block officer Meera resolves it from her queue,
and Asha sees it resolved. Set HAZRI_SCREENSHOTS to a folder to keep screenshots."""

import os

import pytest
from playwright.sync_api import Browser

from hazri.registers.tests.test_browser import PHONE, log_in, open_page, screenshot
from hazri.sync.tests.test_pwa_a11y import problems
from hazri.testing.browser import sideways
from hazri.testing.world import build_world

from .support_world import build_support

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_raised_escalated_resolved_and_seen(live_server, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    sw = build_support(build_world())
    base = live_server.url
    teacher = open_page(browser, PHONE, phone=True)
    log_in(teacher, base, "asha")
    teacher.goto(f"{base}/support/")
    teacher.locator("[data-new-ticket]").click()
    teacher.wait_for_url(f"{base}/support/new/")
    teacher.select_option("#category", str(sw.category.pk))
    teacher.fill("#description", "The roll call of 5 A does not sync since Monday.")
    assert sideways(teacher) == []
    screenshot(teacher, "support-new.png")
    found = problems(teacher, "new ticket")
    teacher.locator("[data-ticket-form] button[type=submit]").click()
    teacher.wait_for_url("**/support/tickets/*/")
    assert teacher.locator("[data-ticket-status]").get_attribute("data-ticket-status") == "open"
    ticket_url = teacher.url

    head = open_page(browser, PHONE, phone=True)
    log_in(head, base, "ravi")
    head.goto(f"{base}/support/queue/")
    head.locator("[data-ticket]").first.click()
    head.wait_for_url("**/support/tickets/*/")
    head.fill("#step-text", "The sync server is not ours to fix: to the block.")
    head.locator("[data-step=escalate]").click()
    head.wait_for_selector("text=The ticket is updated.")
    assert head.locator("[data-ticket-status]").get_attribute("data-ticket-level") == "office"
    found += problems(head, "ticket (head)")

    officer = open_page(browser, PHONE, phone=True)
    log_in(officer, base, "meera")
    officer.goto(f"{base}/support/queue/")
    assert officer.locator("[data-ticket]").count() == 1
    assert sideways(officer) == []
    screenshot(officer, "support-queue.png")
    found += problems(officer, "queue")
    officer.locator("[data-ticket]").click()
    officer.wait_for_url("**/support/tickets/*/")
    officer.fill("#step-text", "The app was updated to 2.1: sync works again.")
    officer.locator("[data-step=resolve]").click()
    officer.wait_for_selector("text=The ticket is updated.")

    teacher.goto(ticket_url)
    assert teacher.locator("[data-ticket-status]").get_attribute("data-ticket-status") == "resolved"
    assert "The app was updated to 2.1" in teacher.locator("[data-event=resolved]").inner_text()
    assert teacher.locator("[data-event=escalated]").count() == 1
    assert teacher.locator("[data-reopen-form]").is_visible()
    assert sideways(teacher) == []
    screenshot(teacher, "support-ticket.png")
    found += problems(teacher, "ticket (teacher)")
    # axe-core: no serious or critical accessibility problem on these pages.
    assert found == []
