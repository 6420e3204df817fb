"""On a 360 px phone, in a real Chromium (Playwright): the father of two children in
two schools opens both diaries and signs Zoya's week; the class teacher then sees his
signature. Set HAZRI_SCREENSHOTS to a folder to keep screenshots."""

import os

import pytest
from playwright.sync_api import Browser

from hazri.journal.tests.diary_world import build_diary
from hazri.registers.tests.test_browser import PHONE, log_in, open_page, screenshot
from hazri.testing.browser import sideways
from hazri.testing.world import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WEEK = "2026-11-16"


def test_a_parent_signs_and_the_class_teacher_sees_it(live_server, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    diary = build_diary(build_world())
    base = live_server.url
    page = open_page(browser, PHONE, phone=True)
    log_in(page, base, "imran")
    # A family lands on its page; the diary is one tap away, in the header too.
    assert page.locator("[data-nav=diary]").is_visible()
    page.locator("[data-diary-link]").click()
    page.wait_for_url(f"{base}/diary/")
    page.goto(f"{base}/diary/?week={WEEK}")
    cards = page.locator("section.diary-child")
    assert cards.count() == 2
    assert sideways(page) == []
    screenshot(page, "diary-family.png")
    # Gopal's diary at Khedi, then Zoya's at Rampur.
    page.locator(f'[data-student="{diary.gopal.pk}"] h2 a').click()
    page.wait_for_url(f"**/diary/students/{diary.gopal.pk}/**")
    assert "Environment" in page.locator(".lessons").first.inner_text()
    assert sideways(page) == []
    page.goto(f"{base}/diary/?week={WEEK}")
    page.locator(f'[data-student="{diary.zoya.pk}"] h2 a').click()
    page.wait_for_url(f"**/diary/students/{diary.zoya.pk}/**")
    wednesday = page.locator('[data-day="2026-11-18"]')
    assert "Fractions: halves and quarters" in wednesday.locator("[data-topic]").inner_text()
    assert "Fever" in wednesday.locator("[data-absence]").inner_text()
    assert page.locator("[data-grade='5']").is_visible()
    assert "Talked through the lesson" not in page.content()
    assert page.locator("canvas[data-chart]").is_visible()
    assert sideways(page) == []
    screenshot(page, "diary-child.png")
    page.locator("[data-acknowledge]").click()
    page.wait_for_selector("[data-signed]")
    assert page.locator("[data-acknowledge]").count() == 0
    page.context.close()

    teacher = open_page(browser, PHONE, phone=True)
    log_in(teacher, base, "asha")
    teacher.goto(f"{base}/journal/sections/{diary.world.section.pk}/acknowledgements/?week={WEEK}")
    row = teacher.locator(f'tr[data-student="{diary.zoya.pk}"]')
    assert row.get_attribute("data-acknowledged") == "yes"
    assert "Imran Khan" in row.inner_text()
    other = teacher.locator(f'tr[data-student="{diary.aarav.pk}"]')
    assert other.get_attribute("data-acknowledged") == "no"
    assert teacher.locator("[data-signed-count]").get_attribute("data-signed-count") == "1"
    assert sideways(teacher) == []
    screenshot(teacher, "diary-signatures.png")
