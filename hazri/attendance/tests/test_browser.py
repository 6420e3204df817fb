"""A head marks a class on a 360 px phone, in a real Chromium (Playwright).

Set HAZRI_SCREENSHOTS to a folder to keep screenshots of the pages it visits.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize, sync_playwright

from hazri.attendance.models import RollCall
from hazri.org.selectors import school_today
from hazri.people.selectors import section_roll
from hazri.testing.browser import launch, sideways
from hazri.testing.world import PASSWORD, World, build_world, morning_timezone

# Playwright's sync API runs an event loop in this thread; the ORM calls made
# here between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 360, "height": 740}


@pytest.fixture
def phone() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(
                viewport=PHONE,
                has_touch=True,
                is_mobile=True,
                device_scale_factor=2,
                locale="en-IN",
            )
            try:
                page = context.new_page()
                page.set_default_timeout(15_000)
                yield page
            finally:
                context.close()
        finally:
            browser.close()


@pytest.fixture
def morning_world() -> World:
    """The shared world, with today a school day at 09:xx school time."""
    world = build_world()
    world.school.timezone = morning_timezone()
    world.school.save()
    world.policy.weekly_offs = []
    world.policy.save()
    return world


def screenshot(page: Page, name: str) -> None:
    folder = os.environ.get("HAZRI_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_head_marks_a_class_on_a_phone(live_server, morning_world: World, phone: Page) -> None:  # type: ignore[no-untyped-def]
    world = morning_world
    today = school_today(world.school)
    roll = section_roll(world.section, today)
    absent = roll[1]  # Bhavna Meena, second on the roll

    phone.goto(f"{live_server.url}/")
    assert "/accounts/login/" in phone.url
    assert not sideways(phone)
    phone.fill("#id_username", "ravi")
    phone.fill("#id_password", PASSWORD)
    phone.locator("button[type=submit]", has_text="Log in").tap()
    phone.wait_for_url(f"**/schools/{world.school.pk}/")

    forenoon = phone.locator(f'[data-section="{world.section.pk}"] [data-meeting="1"]')
    assert forenoon.get_attribute("data-status") == "not-marked"
    assert "Not marked" in forenoon.inner_text()
    assert not sideways(phone)

    forenoon.locator("a.mark-button").tap()
    phone.wait_for_url(f"**/sections/{world.section.pk}/mark/**")
    names = phone.locator("li.member .name").all_inner_texts()
    assert names == ["Aarav Sharma", "Bhavna Meena", "Zoya Khan", "Diya Rajput", "Kabir Singh"]
    assert phone.locator('[data-count="P"]').inner_text() == "5"

    phone.locator(f'li[data-member="{absent.id}"] label.chip-A').tap()
    assert phone.locator(f'li[data-member="{absent.id}"] input[value="A"]').is_checked()
    assert phone.locator('[data-count="P"]').inner_text() == "4"
    assert phone.locator('[data-count="A"]').inner_text() == "1"
    assert not sideways(phone)
    chip = phone.locator(f'li[data-member="{absent.id}"] label.chip-A .chip-face').bounding_box()
    assert chip is not None
    assert chip["height"] >= 44
    assert chip["width"] >= 44
    screenshot(phone, "mark.png")

    phone.locator("button[type=submit]", has_text="Save attendance").tap()
    phone.wait_for_url(f"**/schools/{world.school.pk}/?day={today.isoformat()}")
    forenoon = phone.locator(f'[data-section="{world.section.pk}"] [data-meeting="1"]')
    assert forenoon.get_attribute("data-status") == "marked"
    text = forenoon.inner_text()
    assert "Marked" in text
    assert "Present 4" in " ".join(text.split())
    assert "Absent 1" in " ".join(text.split())
    assert "saved: 4 present, 1 absent" in phone.locator(".messages").inner_text()
    assert not sideways(phone)
    screenshot(phone, "day.png")

    rollcall = RollCall.objects.get(section=world.section, day=today, meeting=1)
    assert (rollcall.present, rollcall.absent) == (4, 1)

    # The language switch: the same page in Hindi, still without sideways scrolling.
    phone.locator(".lang-switch button[value=hi]").tap()
    phone.wait_for_selector("html[lang=hi]")
    assert "उपस्थिति" in phone.locator("main").inner_text()
    assert not sideways(phone)
    screenshot(phone, "day-hi.png")
    phone.locator(f'[data-section="{world.section.pk}"] [data-meeting="2"] a.mark-button').tap()
    phone.wait_for_url(f"**/sections/{world.section.pk}/mark/**")
    assert "आरव शर्मा" in phone.locator("li.member .name").first.inner_text()
    assert not sideways(phone)
    screenshot(phone, "mark-hi.png")
