"""The day's meals in the offline app, in a real Chromium against a live server: the
head records them offline and they are posted once; staff who may not record them are
not offered them."""

import pytest
from playwright.sync_api import Browser, Page

from hazri.accounts.models import User
from hazri.dashboards.models import MealRecord
from hazri.org.selectors import school_today
from hazri.people.models import Posting, Staff
from hazri.sync.tests.pwa_support import (
    device_queue,
    log_in,
    phone_context,
    small_targets,
    wait_synced,
    wait_until,
)
from hazri.testing.browser import sideways
from hazri.testing.world import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def record_meals(page: Page, school_id: int, count: str) -> None:
    page.goto(page.url.split("#")[0] + "#/")
    page.click(f'[data-meals="{school_id}"] a.mark-button')
    page.wait_for_selector("form[data-meals-form]")
    page.fill("#meals", count)
    page.click("form[data-meals-form] button[type=submit]")
    page.wait_for_selector("body[data-route=today] .message.success")


def test_the_head_records_the_days_meals_offline_and_they_are_posted(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    today = school_today(world.school)
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        context.set_offline(True)
        wait_until(page, "!navigator.onLine")
        record_meals(page, world.school.pk, "4")
        # Changed before it was sent: one record, the latest number.
        record_meals(page, world.school.pk, "5")
        assert [(i["kind"], i["status"]) for i in device_queue(page)] == [("meal", "queued")]
        card = page.locator(f'[data-meals="{world.school.pk}"]')
        assert "Meals served: 5" in card.inner_text()
        assert card.locator("[data-badge]").get_attribute("data-badge") == "queued"
        assert not sideways(page)
        assert small_targets(page) == []
        assert MealRecord.objects.count() == 0
        context.set_offline(False)
        wait_synced(page, 1)
        assert (
            page.locator(f'[data-meals="{world.school.pk}"] [data-badge]').get_attribute(
                "data-badge"
            )
            == "synced"
        )
    record = MealRecord.objects.get(school=world.school, day=today)
    assert (record.meals_served, record.recorded_by) == (5, world.ravi)


def test_meals_are_offered_only_to_who_may_record_them(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    """Staff who may not mark (a clerk) are not offered the meals; POST /meals refuses
    them too (test_protocol checks the two agree)."""
    world = morning
    clerk = User.objects.create_user("kamla", password=PASSWORD, first_name="Kamla")
    member = Staff.objects.create(employee_code="EMP009", name="Kamla", gender="F", user=clerk)
    Posting.objects.create(
        staff=member, school=world.school, role=Posting.Role.OTHER, starts_on=world.year.starts_on
    )
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url, username="kamla")
        assert page.locator("[data-meals]").count() == 0
        page.goto(f"{live_server.url}/app/#/meals/{world.school.pk}")
        page.wait_for_selector("body[data-route=meals]")
        assert page.locator("form[data-meals-form]").count() == 0
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url, username="asha")
        assert page.locator(f'[data-meals="{world.school.pk}"]').count() == 1
