"""In a real Chromium on a 360 px phone: the head picks Русский and marks a class's
roll call (the school day, the class, a child absent, saved), every step in Russian.
Set HAZRI_SCREENSHOTS to a folder to keep screenshots."""

import os
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page

from hazri.accounts.models import User
from hazri.attendance.models import RollCall
from hazri.attendance.tests.test_browser import morning_world, phone, screenshot  # noqa: F401
from hazri.common import localize
from hazri.org.selectors import school_today
from hazri.people.selectors import section_roll
from hazri.testing.browser import sideways
from hazri.testing.world import PASSWORD, World

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def russian(text: str) -> str:
    with translation.override("ru"):
        said = gettext(text)
    assert said != text and any("а" <= c.lower() <= "я" for c in said), text
    return said


def test_the_head_marks_a_class_in_russian(  # type: ignore[no-untyped-def]
    live_server,
    morning_world: World,  # noqa: F811
    phone: Page,  # noqa: F811
) -> None:
    world = morning_world
    today = school_today(world.school)
    absent = section_roll(world.section, today)[1]

    phone.goto(f"{live_server.url}/")
    phone.fill("#id_username", "ravi")
    phone.fill("#id_password", PASSWORD)
    phone.locator("button[type=submit]", has_text="Log in").tap()
    phone.wait_for_url(f"**/schools/{world.school.pk}/")

    phone.locator(".lang-switch button[value=ru]").tap()
    phone.wait_for_selector("html[lang=ru][dir=ltr]")
    assert User.objects.get(username="ravi").language == "ru"
    with translation.override("ru"):
        day = localize.day(today, "l, j F Y")
    assert day in phone.locator(".day-label").inner_text()  # "среда, 18 ноября 2026"
    forenoon = phone.locator(f'[data-section="{world.section.pk}"] [data-meeting="1"]')
    assert forenoon.get_attribute("data-status") == "not-marked"
    assert russian("Not marked") in forenoon.inner_text()
    assert sideways(phone) == []
    screenshot(phone, "day-ru.png")

    forenoon.locator("a.mark-button").tap()
    phone.wait_for_url(f"**/sections/{world.section.pk}/mark/**")
    save = phone.locator("button[type=submit]", has_text=russian("Save attendance"))
    phone.locator(f'li[data-member="{absent.id}"] label.chip-A').tap()
    assert phone.locator('[data-count="A"]').inner_text() == "1"
    assert sideways(phone) == []
    screenshot(phone, "mark-ru.png")
    save.tap()

    phone.wait_for_url(f"**/schools/{world.school.pk}/?day={today.isoformat()}")
    forenoon = phone.locator(f'[data-section="{world.section.pk}"] [data-meeting="1"]')
    assert forenoon.get_attribute("data-status") == "marked"
    saved = phone.locator(".messages").inner_text()
    with translation.override("ru"):
        said = gettext(
            "Attendance of %(what)s saved: %(present)s present, %(absent)s absent, "
            "%(leave)s on leave, %(duty)s on duty."
        )
    # The message in Russian: each of its words between the figures.
    words = [w.strip(" ,.:") for w in re.split(r"%\(\w+\)s", said)]
    assert all(w in saved for w in words if w) and any("а" <= c <= "я" for c in saved)
    assert sideways(phone) == []
    rollcall = RollCall.objects.get(section=world.section, day=today, meeting=1)
    assert (rollcall.present, rollcall.absent) == (4, 1)
