"""In a real Chromium: the guardian's notices page, and the subscription its script
keeps on the server. Headless Chromium reaches no real push service, so the test hands
the page's save function a subscription shaped as the browser's and checks what the
server kept; a click on "Notify this phone" must end in a message, never hang."""

import os

import pytest
from playwright.sync_api import Browser

from hazri.notify.models import PushSubscription
from hazri.registers.tests.test_browser import PHONE, log_in, open_page
from hazri.testing.browser import sideways
from hazri.testing.world import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_page_keeps_a_push_subscription(live_server, browser: Browser, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HAZRI_VAPID = {**settings.HAZRI_VAPID, "PUBLIC_KEY": "BExampleKeyExampleKeyExampleKey"}
    build_world()
    base = live_server.url
    page = open_page(browser, PHONE, phone=True)
    log_in(page, base, "imran")
    page.goto(f"{base}/notices/")
    assert page.locator("[data-notice-preferences]").is_visible()
    assert sideways(page) == []
    saved = page.evaluate(
        """() => window.hazriSavePushSubscription({
            endpoint: "https://push.example.org/send/phone-1",
            keys: {p256dh: "BPublicKeyOfThePhone", auth: "authsecret"},
        })"""
    )
    assert saved["push_phones"] == 1
    kept = PushSubscription.objects.get()
    assert (kept.endpoint, kept.p256dh, kept.auth) == (
        "https://push.example.org/send/phone-1",
        "BPublicKeyOfThePhone",
        "authsecret",
    )
    page.locator("[data-push-subscribe]").click()
    page.wait_for_function(
        """() => {
            const b = document.querySelector("[data-push-subscribe]");
            const said = document.querySelector("[data-push-status]").textContent;
            return [b.dataset.done, b.dataset.failed, b.dataset.unsupported].includes(said);
        }"""
    )
