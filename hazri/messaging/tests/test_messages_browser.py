"""On a 360 px phone, in a real Chromium (Playwright): a father writes to his
daughter's class teacher; she sees the unread thread in the header and the inbox,
answers; he sees the answer. Set HAZRI_SCREENSHOTS to a folder to keep screenshots."""

import os

import pytest
from playwright.sync_api import Browser

from hazri.registers.tests.test_browser import PHONE, log_in, open_page, screenshot
from hazri.sync.tests.test_pwa_a11y import problems
from hazri.testing.browser import sideways
from hazri.testing.world import build_world

from .msg_world import build_messaging

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_writes_and_the_class_teacher_answers(live_server, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    mw = build_messaging(build_world())
    base = live_server.url
    father = open_page(browser, PHONE, phone=True)
    log_in(father, base, "imran")
    father.goto(f"{base}/messages/")
    assert father.locator("[data-nav=messages]").is_visible()
    father.locator("[data-new-thread]").click()
    father.wait_for_url(f"{base}/messages/new/")
    father.select_option("#recipient", f"{mw.zoya.pk}:{mw.asha_staff.pk}")
    father.fill("#subject", "Zoya's homework")
    father.fill("#body", "Which pages are for Monday?")
    assert sideways(father) == []
    screenshot(father, "messages-new.png")
    found = problems(father, "new message")
    father.locator("[data-new-thread-form] button[type=submit]").click()
    father.wait_for_url("**/messages/threads/*/")
    assert "Which pages are for Monday?" in father.locator("[data-body]").inner_text()

    teacher = open_page(browser, PHONE, phone=True)
    log_in(teacher, base, "asha")
    teacher.goto(f"{base}/messages/")
    assert teacher.locator("[data-nav=messages] [data-unread]").get_attribute("data-unread") == "1"
    card = teacher.locator("[data-thread]")
    assert card.get_attribute("data-unread") == "1"
    assert "Zoya's homework" in card.inner_text()
    assert sideways(teacher) == []
    screenshot(teacher, "messages-inbox.png")
    found += problems(teacher, "inbox")
    # Opening the thread marks it read (htmx posts on load).
    with teacher.expect_response(lambda r: r.url.endswith("/read/")) as marked:
        card.click()
    assert marked.value.status == 204
    assert teacher.locator("article.letter.new").count() == 1
    teacher.fill("#body", "Pages 12 and 13.")
    teacher.locator("[data-reply-form] button[type=submit]").click()
    teacher.wait_for_selector("text=Your reply was sent.")
    assert teacher.locator("[data-nav=messages] [data-unread]").count() == 0
    assert sideways(teacher) == []
    screenshot(teacher, "messages-thread.png")
    found += problems(teacher, "thread")

    father.goto(f"{base}/messages/")
    assert father.locator("[data-thread]").get_attribute("data-unread") == "1"
    # Opening it posts /read/ on load: the test waits for that answer, or it ends (and
    # the database is flushed) while the live server is still writing it.
    with father.expect_response(lambda r: r.url.endswith("/read/")) as marked:
        father.locator("[data-thread]").click()
        father.wait_for_url("**/messages/threads/*/")
    assert marked.value.status == 204
    assert "Pages 12 and 13." in father.locator("article.letter.new [data-body]").inner_text()
    # axe-core: no serious or critical accessibility problem on the three pages.
    assert found == []
