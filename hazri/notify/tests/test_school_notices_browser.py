"""In a real Chromium: the class teacher posts a notice to 5 A and a parent reads it;
the head sends the class's invitations by SMS, sees who could not be sent one, and
finds every notice with its delivery state in the school's notice log."""

import os

import pytest
from django.utils import timezone
from playwright.sync_api import Browser

from hazri.messaging.tests.msg_world import build_messaging
from hazri.notify import channels, queue
from hazri.notify.models import Kind, Notice
from hazri.people.models import Guardian, Guardianship
from hazri.registers.tests.test_browser import DESKTOP, PHONE, log_in, open_page
from hazri.testing.browser import sideways
from hazri.testing.world import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_class_notice_and_the_invitations_reach_the_school_log(  # type: ignore[no-untyped-def]
    live_server, browser: Browser, settings
) -> None:
    world = build_world()
    build_messaging(world)
    # Two parents of 5 A with no login: one with a phone, one with neither phone nor e-mail.
    rekha = Guardian.objects.create(name="Rekha Meena", phone="+919800000055")
    Guardianship.objects.create(guardian=rekha, student=world.students[2], relation="mother")
    nobody = Guardian.objects.create(name="Mohan Singh")
    Guardianship.objects.create(guardian=nobody, student=world.students[3], relation="father")
    settings.HAZRI_NOTIFY_DEFAULT_CHANNELS = ["console"]
    channels.reset()
    base = live_server.url
    try:
        teacher = open_page(browser, PHONE, phone=True)
        log_in(teacher, base, "asha")
        teacher.goto(f"{base}/messages/notices/")
        teacher.locator(f'[data-notice-new="{world.section.pk}"]').click()
        teacher.fill("#title", "Sports day")
        teacher.fill("#body", "Friday at 9; white uniform.")
        assert sideways(teacher) == []
        teacher.locator("[data-notice-form] button[type=submit]").click()
        teacher.wait_for_selector("[data-class-notice]")
        assert "Sports day" in teacher.locator("[data-class-notice]").inner_text()

        father = open_page(browser, PHONE, phone=True)
        log_in(father, base, "imran")
        father.goto(f"{base}/messages/notices/")
        father.locator("[data-mark-notice-read]").click()
        father.wait_for_selector("[data-read]")
        teacher.reload()
        receipts = teacher.locator("[data-receipts]").get_attribute("data-receipts") or ""
        assert receipts.startswith("1/")
        told = Notice.objects.filter(kind=Kind.CLASS_NOTICE)
        assert told.filter(guardian__user=world.imran).count() == 1

        head = open_page(browser, DESKTOP)
        log_in(head, base, "ravi")
        head.goto(f"{base}/schools/{world.school.pk}/invitations/")
        head.locator(f'[data-send="{world.section.pk}"]').click()
        head.wait_for_selector("[data-queued]")
        queued = int(head.locator("[data-queued]").get_attribute("data-queued") or "0")
        assert queued >= 1
        not_sent = head.locator("[data-not-sent] [data-guardian]")
        assert not_sent.get_attribute("data-guardian") == str(nobody.pk)
        assert not_sent.get_attribute("data-reason") == "no_address"

        # The worker's run, then the school's log shows every notice as sent.
        queue.deliver_due(now=timezone.now())
        head.goto(f"{base}/schools/{world.school.pk}/notices/")
        rows = head.locator("[data-table=notices] tr[data-notice]")
        assert rows.count() == Notice.objects.filter(school_id=world.school.pk).count()
        statuses = {rows.nth(i).get_attribute("data-status") for i in range(rows.count())}
        assert statuses == {"sent"}
        assert "Rekha Meena" in head.locator("[data-table=notices]").inner_text()
        assert sideways(head) == []
    finally:
        channels.reset()
