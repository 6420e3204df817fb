"""In a real Chromium: the head opens a report card's page with its QR code; someone
with no login pastes the QR's text on the public verify page, then uploads a picture of
the printed QR (a screenshot of the head's page): both say genuine and show the grades.
Set HAZRI_SCREENSHOTS to a folder to keep screenshots."""

import os

import pytest
from playwright.sync_api import Browser

from hazri.credentials.testing import install_signing_key, sample_credential
from hazri.registers.tests.test_browser import PHONE, log_in, open_page, screenshot
from hazri.testing.browser import sideways
from hazri.testing.world import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anyone_verifies_a_printed_qr(live_server, browser: Browser, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    install_signing_key(settings, tmp_path)
    credential = sample_credential(world.school, world.students[0], world.ravi)
    base = live_server.url

    head = open_page(browser, {"width": 1000, "height": 900})
    log_in(head, base, "ravi")
    head.goto(f"{base}/credentials/{credential.pk}/")
    printed = tmp_path / "printed-qr.png"
    head.locator("[data-qr] svg").screenshot(path=str(printed))
    qr_text = (head.locator("[data-qr-text]").text_content() or "").strip()
    assert qr_text == credential.qr

    visitor = open_page(browser, PHONE, phone=True)
    visitor.goto(f"{base}/verify/")
    visitor.fill("#qr", qr_text)
    visitor.locator("[data-verify]").click()
    visitor.wait_for_selector("[data-verdict]")
    assert visitor.locator("[data-verdict]").get_attribute("data-verdict") == "genuine"
    assert "MA:B HI:A" in visitor.locator("[data-verdict]").inner_text()
    assert sideways(visitor) == []
    screenshot(visitor, "verify-pasted.png")

    visitor.goto(f"{base}/verify/")
    visitor.set_input_files("#image", str(printed))
    visitor.locator("[data-verify]").click()
    visitor.wait_for_selector("[data-verdict]")
    assert visitor.locator("[data-verdict]").get_attribute("data-verdict") == "genuine"
    assert "Anita Verma" in visitor.locator("[data-verdict]").inner_text()
    screenshot(visitor, "verify-photo.png")

    # A forged copy (another QR text) is told apart.
    visitor.goto(f"{base}/verify/")
    visitor.fill("#qr", "HZ1:NOT-A-DOCUMENT")
    visitor.locator("[data-verify]").click()
    assert visitor.locator("[data-error-field=qr]").is_visible()
