"""On a 360 px phone, in a real Chromium: a mother with no account verifies her number
with the SMS code, applies for her son with his birth certificate, and follows the
status while the head reviews, asks for a photo, and admits him. Set HAZRI_SCREENSHOTS
to a folder to keep screenshots."""

import logging
import os

import pytest
from django.test import override_settings
from playwright.sync_api import Browser, Page

from hazri.admissions.models import Application
from hazri.registers.tests.test_browser import PHONE, log_in, open_page, screenshot
from hazri.sync.tests.test_pwa_a11y import problems
from hazri.testing.browser import sideways
from hazri.testing.world import build_world

from .adm_world import PDF, PNG, build_admissions, code_from_log

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NUMBER = "9876501234"


def _status(page: Page) -> str:
    return str(page.locator(".adm-status [data-status]").get_attribute("data-status"))


@override_settings(HAZRI_NOTIFY_DEFAULT_CHANNELS=["console"])
def test_a_parent_applies_from_a_phone_and_follows_the_status(  # type: ignore[no-untyped-def]
    live_server, browser: Browser, caplog
) -> None:
    caplog.set_level(logging.INFO, logger="hazri.notify")
    world = build_world()
    aw = build_admissions(world)
    base = live_server.url

    mother = open_page(browser, PHONE, phone=True)
    mother.goto(f"{base}/admissions/")
    mother.fill("#phone", NUMBER)
    mother.locator("[data-phone-form] button[type=submit]").click()
    mother.wait_for_url(f"{base}/admissions/phone/verify/")
    code = code_from_log(caplog.text)
    mother.fill("#code", code)
    mother.locator("[data-verify-form] button[type=submit]").click()
    mother.wait_for_url(f"{base}/admissions/")
    found = problems(mother, "admission start")
    mother.locator("[data-apply]").click()
    mother.wait_for_url(f"{base}/admissions/apply/")
    mother.select_option("#academic_year", str(world.year.pk))
    mother.select_option("#grade", "1")
    mother.select_option("#school_1", str(world.school.pk))
    mother.select_option("#school_2", str(world.other_school.pk))
    mother.fill("#child_name", "Aarav Sharma")
    mother.select_option("#gender", "M")
    mother.fill("#date_of_birth", "2020-06-01")
    mother.fill("#guardian_name", "Sunita Sharma")
    mother.select_option("#relation", "mother")
    mother.fill("#guardian_phone", NUMBER)
    mother.set_input_files(
        "#doc-birth_certificate",
        files=[{"name": "birth.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    assert sideways(mother) == []
    screenshot(mother, "admission-apply.png")
    found += problems(mother, "apply")
    mother.locator("[data-apply-form] button[type=submit]").click()
    mother.wait_for_url("**/admissions/applications/*/")
    assert _status(mother) == "submitted"
    application = Application.objects.get()

    head = open_page(browser, PHONE, phone=True)
    log_in(head, base, "ravi")
    head.goto(f"{base}/schools/{world.school.pk}/admissions/")
    assert head.locator(f"[data-application='{application.reference}']").is_visible()
    assert head.locator("[data-seats] tr[data-grade='1'] [data-left]").inner_text() == "2"
    assert sideways(head) == []
    screenshot(head, "admission-queue.png")
    found += problems(head, "queue")
    head.locator(f"[data-application='{application.reference}']").click()
    head.wait_for_url(f"**/admissions/applications/{application.pk}/")
    head.locator("[data-review]").click()
    head.wait_for_load_state()
    head.fill("#note", "Please add a photo of the child")
    head.locator("[data-ask-correction]").click()
    head.wait_for_load_state()

    mother.reload()
    assert _status(mother) == "correction_asked"
    assert "Please add a photo" in mother.locator(".adm-status [data-correction-note]").inner_text()
    mother.locator("[data-correct]").click()
    mother.wait_for_url("**/correct/")
    assert mother.input_value("#child_name") == "Aarav Sharma"
    mother.set_input_files(
        "#doc-photo", files=[{"name": "aarav.png", "mimeType": "image/png", "buffer": PNG}]
    )
    mother.locator("[data-correct-form] button[type=submit]").click()
    mother.wait_for_url(f"**/admissions/applications/{application.pk}/")
    assert _status(mother) == "resubmitted"

    head.reload()
    head.select_option("#section", str(aw.rampur_1.pk))
    head.locator("[data-admit]").click()
    head.wait_for_load_state()
    assert _status(head) == "admitted"

    mother.reload()
    assert _status(mother) == "admitted"
    assert mother.locator("[data-admission-no]").inner_text().strip()
    steps = mother.locator("[data-steps] [data-step]").evaluate_all(
        "items => items.map(i => i.dataset.step)"
    )
    assert steps == ["submitted", "under_review", "correction_asked", "resubmitted", "admitted"]
    assert sideways(mother) == []
    screenshot(mother, "admission-status.png")
    found += problems(mother, "status")
    assert found == []
