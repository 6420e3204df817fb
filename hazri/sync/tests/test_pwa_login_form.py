"""What a user types on the app's login screen survives the app drawing the screen
again (an install offer arriving, the network coming back): it was wiped, and a login
typed just before such a moment went nowhere."""

import pytest
from playwright.sync_api import Browser

from hazri.sync.tests.pwa_support import PASSWORD, phone_context, wait_until
from hazri.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_survives_a_redraw(live_server, morning: World, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    with phone_context(browser) as context:
        page = context.new_page()
        page.goto(f"{live_server.url}/app/")
        page.wait_for_selector("form[data-login]")
        wait_until(page, "window.HazriApp && window.HazriApp.started === true")
        page.fill("#username", "ravi")
        page.fill("#password", PASSWORD)
        page.evaluate("window.HazriApp.render()")  # as the install offer's arrival does
        assert page.input_value("#username") == "ravi"
        assert page.input_value("#password") == PASSWORD
        assert page.get_attribute("#password", "value") is None  # never written into the DOM
        page.click("form[data-login] button[type=submit]")
        wait_until(page, "Number(document.body.dataset.pulls) >= 1", timeout=30)
