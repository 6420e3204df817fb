"""The head's pages in a real Chromium: marking that survives the network dropping at
Save, the offline app one tap away, and the day's mid-day meals from the school page."""

import json
from typing import Any

import pytest
from playwright.sync_api import Page

from hazri.attendance.models import RollCall
from hazri.dashboards.models import MealRecord
from hazri.org.selectors import school_today
from hazri.people.selectors import section_roll
from hazri.testing.browser import sideways
from hazri.testing.world import PASSWORD, World

from .test_browser import morning_world, phone  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, url: str, world: World) -> None:
    page.goto(f"{url}/")
    page.fill("#id_username", "ravi")
    page.fill("#id_password", PASSWORD)
    page.locator("button[type=submit]", has_text="Log in").tap()
    page.wait_for_url(f"**/schools/{world.school.pk}/")


def drafts(page: Page) -> dict[str, dict]:
    stored = page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage)"
        ".filter(k => k.startsWith('hazri:marks:')).map(k => [k, localStorage.getItem(k)]))"
    )
    return {key: json.loads(value) for key, value in stored.items()}


def test_taps_survive_the_network_dropping_at_save(
    live_server: Any,
    morning_world: World,  # noqa: F811
    phone: Page,  # noqa: F811
) -> None:
    world = morning_world
    today = school_today(world.school)
    absent = section_roll(world.section, today)[1]
    log_in(phone, live_server.url, world)
    mark_url = phone.locator(
        f'[data-section="{world.section.pk}"] [data-meeting="1"] a.mark-button'
    ).get_attribute("href")
    phone.goto(f"{live_server.url}{mark_url}")
    phone.locator(f'li[data-member="{absent.id}"] label.chip-A').tap()
    # The tap is on the phone before anything is sent.
    [draft] = drafts(phone).values()
    assert draft["marks"][f"mark-{absent.id}"] == "A"

    phone.context.set_offline(True)
    phone.locator("button[type=submit]", has_text="Save attendance").tap()
    notice = phone.locator("[data-draft-notice]")
    notice.wait_for(state="visible")
    assert "Could not save" in notice.inner_text()
    assert "kept on this phone" in notice.inner_text()
    assert "/mark/" in phone.url  # still the form, not the browser's offline page
    assert phone.locator(f'li[data-member="{absent.id}"] input[value="A"]').is_checked()
    assert phone.locator(
        "form[data-marking] button[type=submit]"
    ).is_enabled()  # Save can be tried again
    assert not RollCall.objects.exists()
    assert not sideways(phone)
    sent_uuid = next(iter(drafts(phone).values()))["client_uuid"]

    # Back online, the head comes back to the class later: the taps are put back.
    phone.context.set_offline(False)
    phone.goto(f"{live_server.url}/schools/{world.school.pk}/")
    phone.goto(f"{live_server.url}{mark_url}")
    notice = phone.locator("[data-draft-notice]")
    notice.wait_for(state="visible")
    assert "were put back" in notice.inner_text()
    assert phone.locator(f'li[data-member="{absent.id}"] input[value="A"]').is_checked()
    assert phone.locator('[data-count="A"]').inner_text() == "1"
    assert phone.locator("input[name=client_uuid]").input_value() == sent_uuid

    phone.locator("button[type=submit]", has_text="Save attendance").tap()
    phone.wait_for_url(f"**/schools/{world.school.pk}/?day={today.isoformat()}")
    assert "saved: 4 present, 1 absent" in phone.locator(".messages").inner_text()
    stored = RollCall.objects.get(section=world.section, day=today, meeting=1)
    assert (stored.present, stored.absent, str(stored.client_uuid)) == (4, 1, sent_uuid)
    assert drafts(phone) == {}  # saved: nothing left on the phone


def test_save_retries_on_the_same_page_when_the_network_is_back(
    live_server: Any,
    morning_world: World,  # noqa: F811
    phone: Page,  # noqa: F811
) -> None:
    world = morning_world
    today = school_today(world.school)
    log_in(phone, live_server.url, world)
    phone.locator(f'[data-section="{world.section.pk}"] [data-meeting="1"] a.mark-button').tap()
    phone.wait_for_url(f"**/sections/{world.section.pk}/mark/**")
    phone.context.set_offline(True)
    phone.locator("button[type=submit]", has_text="Save attendance").tap()
    phone.locator("[data-draft-notice].error").wait_for(state="visible")
    phone.context.set_offline(False)
    phone.locator("button[type=submit]", has_text="Save attendance").tap()
    phone.wait_for_url(f"**/schools/{world.school.pk}/?day={today.isoformat()}")
    assert RollCall.objects.filter(section=world.section, day=today, meeting=1).count() == 1


def test_the_offline_app_is_one_tap_from_the_pages(
    live_server: Any,
    morning_world: World,  # noqa: F811
    phone: Page,  # noqa: F811
) -> None:
    world = morning_world
    log_in(phone, live_server.url, world)
    link = phone.locator("header [data-nav=app]")
    assert link.is_visible() and not sideways(phone)
    phone.locator(f'[data-section="{world.section.pk}"] [data-meeting="1"] a.mark-button').tap()
    phone.wait_for_url(f"**/sections/{world.section.pk}/mark/**")
    assert phone.locator("[data-app-link]").is_visible()
    phone.locator("header [data-nav=app]").tap()
    phone.wait_for_url("**/app/")


def test_the_head_records_the_meals_from_the_school_page(
    live_server: Any,
    morning_world: World,  # noqa: F811
    phone: Page,  # noqa: F811
) -> None:
    world = morning_world
    today = school_today(world.school)
    log_in(phone, live_server.url, world)
    meals = phone.locator("form[data-meals]")
    assert meals.is_visible() and not sideways(phone)
    meals.locator("input[name=meals_served]").fill("4")
    meals.locator("button[type=submit]").tap()
    phone.wait_for_url(f"**/schools/{world.school.pk}/")
    assert "Mid-day meals saved: 4 served" in phone.locator(".messages").inner_text()
    record = MealRecord.objects.get(school=world.school, day=today)
    assert (record.meals_served, record.recorded_by_id) == (4, world.ravi.pk)
