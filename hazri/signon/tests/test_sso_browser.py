"""In a real Chromium (Playwright) against a real OpenID provider: the head prints the
class's invitation slips; a mother types the code from hers, signs in through the
state's sign-on and lands on her family's page, seeing her son."""

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from hazri.people.models import Guardian, Guardianship
from hazri.registers.tests.test_browser import PHONE, log_in, open_page, screenshot
from hazri.signon.models import SsoIdentity
from hazri.signon.oidc import flow
from hazri.signon.tests.oidc_provider import SECRET, client
from hazri.testing.browser import sideways
from hazri.testing.world import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mother_redeems_her_slip_through_the_sign_on(  # type: ignore[no-untyped-def]
    live_server, browser: Browser, oidc_provider: Any, settings: Any, tmp_path: Path
) -> None:
    world = build_world()
    salma = Guardian.objects.create(name="Salma Sharma")
    Guardianship.objects.create(guardian=salma, student=world.students[0], relation="mother")
    base = live_server.url
    provider = oidc_provider(
        clients=[client(base)],
        accounts={"salma.sharma": {"password": "janaadhaar", "claims": {"name": "Salma Sharma"}}},
    )
    settings.HAZRI_OIDC_ISSUER = provider.issuer
    settings.HAZRI_OIDC_CLIENT_ID = "hazri"
    settings.HAZRI_OIDC_CLIENT_SECRET = SECRET
    settings.HAZRI_OIDC_CLIENT_AUTH = "client_secret_basic"
    settings.HAZRI_OIDC_NAME = "Jan Aadhaar"
    settings.HAZRI_PASSWORDS_FOR_GUARDIANS = False
    flow.forget_providers()
    try:
        # The head prints 5 A's slips for the parents.
        head = open_page(browser, {"width": 1200, "height": 900})
        log_in(head, base, "ravi")
        head.goto(f"{base}/schools/{world.school.pk}/invitations/")
        with head.context.expect_page() as printed:
            head.locator(
                f'form[action="/sections/{world.section.pk}/invitations/"] button[value=guardian]'
            ).click()
        slips = printed.value
        slips.wait_for_load_state()
        slip = slips.locator("section.slip")
        assert slip.count() == 1 and "Salma Sharma" in slip.inner_text()
        assert "Aarav Sharma" in slip.inner_text() and "Jan Aadhaar" in slip.inner_text()
        code = slip.get_attribute("data-code") or ""
        assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code)
        screenshot(slips, "invitation-slips.png")

        # At home, on her phone: the login page, the slip's code typed in lower case.
        page = open_page(browser, PHONE, phone=True)
        page.goto(f"{base}/accounts/login/")
        assert page.locator("[data-sso]").inner_text().strip() == "Sign in with Jan Aadhaar"
        page.locator("[data-invite]").click()
        page.locator("#id_code").fill(code.lower().replace("-", " "))
        page.locator("button[type=submit].primary").click()
        page.wait_for_url(f"{base}/invite/{code}/")
        assert "Salma Sharma" in page.content() and sideways(page) == []
        page.get_by_role("button", name="Sign in with Jan Aadhaar").click()
        # The provider's own log-in page.
        page.wait_for_url(f"{provider.issuer}/interaction/**")
        page.locator("input[name=login]").fill("salma.sharma")
        page.locator("input[name=password]").fill("janaadhaar")
        page.locator("button[type=submit]").click()
        page.wait_for_url(f"{base}/family/")
        assert "Aarav Sharma" in page.locator("main").inner_text()
        assert "Zoya Khan" not in page.locator("main").inner_text()
        screenshot(page, "family-after-sign-on.png")
        salma.refresh_from_db()
        assert salma.user is not None
        assert SsoIdentity.objects.get().user == salma.user
    finally:
        flow.forget_providers()
