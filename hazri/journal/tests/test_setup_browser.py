"""The journal set-up in a real Chromium on a 360 px phone: the head sets the bell
schedule and a section's week, then a substitute for a day, and sees it in the grid."""

import datetime as dt

import pytest
from playwright.sync_api import Browser

from hazri.org.models import Subject
from hazri.people.models import Staff, TeachingAssignment
from hazri.registers.tests.test_browser import PHONE, log_in, open_page, screenshot
from hazri.testing.browser import sideways
from hazri.testing.world import SCHOOL_DAY, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_head_sets_a_timetable_and_a_substitute(live_server, browser: Browser) -> None:  # noqa: F811
    world = build_world()
    maths = Subject.objects.create(school=world.school, code="MATH", name="Mathematics")
    asha = Staff.objects.get(user=world.asha)
    TeachingAssignment.objects.create(
        school=world.school,
        staff=asha,
        section=world.section,
        subject=maths,
        starts_on=dt.date(2026, 4, 1),
    )
    page = open_page(browser, PHONE, phone=True)
    log_in(page, live_server.url, "ravi")
    page.goto(f"{live_server.url}/schools/{world.school.pk}/?day={SCHOOL_DAY.isoformat()}")
    assert sideways(page) == []
    page.locator("a[data-journal-setup]").tap()
    page.wait_for_url("**/journal-setup/")
    assert sideways(page) == []
    screenshot(page, "journal_setup.png")
    page.fill("input[name=start_1]", "08:00")
    page.fill("input[name=end_1]", "08:40")
    page.fill("input[name=start_2]", "08:45")
    page.fill("input[name=end_2]", "09:25")
    page.locator("button[type=submit]", has_text="Save the bell schedule").tap()
    page.wait_for_selector("text=Bell schedule saved.")
    assert page.locator("input[name=start_2]").input_value() == "08:45"

    page.goto(f"{live_server.url}/schools/{world.school.pk}/?day={SCHOOL_DAY.isoformat()}")
    page.locator(f'[data-section="{world.section.pk}"] a[data-timetable]').tap()
    page.wait_for_url("**/timetable/?week=*")
    assert sideways(page) == []
    for weekday in range(1, 7):
        page.select_option(f"select[name=subject_{weekday}_1]", label="Mathematics")
        page.select_option(f"select[name=teacher_{weekday}_1]", label="Asha Patel")
    page.locator("button[type=submit]", has_text="Save the timetable").tap()
    page.wait_for_selector("text=Timetable saved.")
    cell = page.locator(f'tr[data-period="1"] td[data-day="{SCHOOL_DAY.isoformat()}"]')
    assert "Mathematics" in cell.inner_text() and "Asha Patel" in cell.inner_text()

    page.locator("summary", has_text="Change a day's timetable").tap()
    form = page.locator("form[data-change-add]")
    form.locator("input[name=day]").fill(SCHOOL_DAY.isoformat())
    form.locator("select[name=period]").select_option("1")
    form.locator("select[name=kind]").select_option("substitute")
    form.locator("select[name=teacher]").select_option(label="Ravi Verma")
    form.locator("input[name=note]").fill("Asha is on training")
    form.locator("button[type=submit]").tap()
    page.wait_for_selector("text=Change added.")
    cell = page.locator(f'tr[data-period="1"] td[data-day="{SCHOOL_DAY.isoformat()}"]')
    assert cell.get_attribute("data-change") == "substitute"
    assert "Ravi Verma" in cell.inner_text()
    thursday = (SCHOOL_DAY + dt.timedelta(days=1)).isoformat()
    other = page.locator(f'tr[data-period="1"] td[data-day="{thursday}"]')
    assert "Asha Patel" in other.inner_text()
    assert sideways(page) == []
    screenshot(page, "journal_timetable.png")
