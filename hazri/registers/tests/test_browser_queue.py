"""The approval queue and a family's page in a real Chromium (Playwright): the head
changes a certified month and is told it waits for the block officer; Meera sees the
count, opens the queue and approves; the register counts the change. Imran logs in and
reads his daughter's month."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import Browser

from hazri.attendance.services import Capture, rollcall_submit
from hazri.org.selectors import school_today
from hazri.people.selectors import section_roll
from hazri.registers.services import month_certify
from hazri.registers.tests.test_browser import DESKTOP, PHONE, log_in, open_page
from hazri.registers.tests.test_pages import october
from hazri.testing.world import build_world, morning_timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_change_to_a_certified_month_through_the_queue(live_server, browser: Browser) -> None:  # noqa: F811
    world = build_world()
    october(world)
    month_certify(
        section=world.section, month=dt.date(2026, 10, 1), checked_by="S. M.", by=world.ravi
    )
    bhavna = world.students[2]
    register = f"{live_server.url}/sections/{world.section.pk}/register/?month=2026-10"

    head = open_page(browser, PHONE, phone=True)
    log_in(head, live_server.url, "ravi")
    head.goto(f"{live_server.url}/sections/{world.section.pk}/mark/?day=2026-10-01&meeting=1")
    head.locator(f'li[data-member="{bhavna.pk}"] label.chip-P').tap()
    head.fill("#note", "Bhavna came late; she was present")
    head.locator("button[type=submit]", has_text="Save attendance").tap()
    head.wait_for_url(f"**/schools/{world.school.pk}/?day=2026-10-01")
    assert "Saved as" in head.locator(".messages").inner_text()
    head.goto(register)
    waiting = head.locator(".pending-box")
    assert "Waiting for the approval of the officer of Ashta" in waiting.inner_text()
    assert "Bhavna Meena: A → P" in waiting.inner_text()
    assert head.locator('[data-nav="approvals"]').count() == 0  # not his to decide
    head.context.close()

    officer = open_page(browser, DESKTOP)
    log_in(officer, live_server.url, "meera")
    count = officer.locator('[data-nav="approvals"] [data-approvals]')
    assert count.inner_text() == "1"
    officer.locator('[data-nav="approvals"]').click()
    officer.wait_for_url("**/approvals/")
    item = officer.locator("li.approval")
    assert item.count() == 1
    text = item.inner_text()
    assert "GPS Rampur" in text and "Class 5 A" in text and "Ravi Verma" in text
    assert "Bhavna came late" in text and "Bhavna Meena: A → P" in text
    item.locator("button", has_text="Approve").click()
    officer.wait_for_selector("[data-empty=true]")
    assert "now counts the change" in officer.locator(".messages").inner_text()
    assert officer.locator('[data-nav="approvals"]').count() == 0
    officer.goto(register)
    cell = officer.locator(f'tr[data-student="{bhavna.pk}"] td').nth(2)
    assert cell.inner_text().startswith("1")  # her count, no longer an A
    assert "After certification" in officer.locator(".footnotes-box").inner_text()
    officer.context.close()


def test_a_parent_reads_his_daughters_month(live_server, browser: Browser) -> None:  # noqa: F811
    world = build_world()
    world.school.timezone = morning_timezone()  # 09:xx there now: today is under way
    world.school.save()
    world.policy.weekly_offs = []
    world.policy.save()
    today = school_today(world.school)
    zoya = world.students[1]
    roll = [m.id for m in section_roll(world.section, today)]
    rollcall_submit(
        section=world.section,
        day=today,
        meeting=1,
        marks=[(member, "A" if member == zoya.pk else "P") for member in roll],
        capture=Capture(
            client_uuid=uuid.uuid4(),
            captured_at=timezone.now() - dt.timedelta(minutes=1),
            note="",
            device_clock=timezone.now(),
        ),
        by=world.asha,
    )
    page = open_page(browser, PHONE, phone=True)
    log_in(page, live_server.url, "imran")
    page.wait_for_url("**/family/")
    child = page.locator(f'section.child[data-student="{zoya.pk}"]')
    text = child.inner_text()
    assert "Zoya Khan" in text and "GPS Rampur" in text and "Class 5 A" in text
    assert "attended 0 of 1 meetings" in text
    assert "Absent 1 meeting on 1 day." in text
    assert today.strftime("%-d") in child.locator(".absent-days").inner_text()
    main = page.locator("main").inner_text()
    assert "posted to any school" not in main and "Aarav" not in main
    page.context.close()
