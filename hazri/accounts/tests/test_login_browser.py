"""In a browser: the offline app and the login page say why a login was refused, a lock
after too many failed logins or a parent sent to single sign-on, instead of "wrong
password" (which would have the teacher try again and again)."""

import os

import pytest
from django.test import override_settings
from playwright.sync_api import Browser

from hazri.sync.tests.pwa_support import PASSWORD, phone_context, wait_until
from hazri.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def app_login(page, base_url: str, username: str, password: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/app/")
    page.wait_for_selector("form[data-login]")
    wait_until(page, "window.HazriApp && window.HazriApp.started === true")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[data-login] button[type=submit]")
    page.wait_for_selector("p.alert.error:not([hidden])")
    return str(page.inner_text("p.alert.error:not([hidden])"))


@override_settings(HAZRI_LOGIN_FAILURES=2, HAZRI_PASSWORDS_FOR_GUARDIANS=False)
def test_the_app_and_the_page_say_why(live_server, world: World, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    with phone_context(browser) as context:
        page = context.new_page()
        assert "Wrong username or password" in app_login(page, live_server.url, "ravi", "wrong")
        locked = app_login(page, live_server.url, "ravi", "wrong")
        assert "Too many failed logins. Try again in 15 minutes." in locked
        parent = app_login(page, live_server.url, "imran", PASSWORD)
        assert "Parents sign in with the state's single sign-on." in parent
        # The page, locked too, says so.
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "ravi")
        page.fill("#id_password", PASSWORD)
        page.click("form.stack button[type=submit]")
        assert "Too many failed logins" in page.inner_text("p.alert.error")
