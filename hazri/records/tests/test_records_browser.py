"""In a real Chromium, by clicking from the school's page: the head issues a child's
transfer certificate and prints it with its QR; the receiving school's head admits the
child from its number; the child's lifelong record shows both schools. And a year end:
the class promoted on its page, the supplementary child first on next year's roll, the
failed child on the same class's."""

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from hazri.credentials.testing import install_signing_key
from hazri.notify.models import Kind, Notice
from hazri.people.models import Admission
from hazri.people.selectors import section_roll
from hazri.records.models import TransferCertificate
from hazri.registers.tests.test_browser import log_in, open_page, screenshot
from hazri.testing.world import SCHOOL_DAY, build_world

from .conftest import khedi_of, next_year_of, results

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1100, "height": 900}


def test_a_tc_issued_printed_and_admitted_from(  # type: ignore[no-untyped-def]
    live_server, browser: Browser, settings, tmp_path: Path
) -> None:
    world = build_world()
    install_signing_key(settings, tmp_path)
    khedi = khedi_of(world)
    zoya = world.students[1]
    base = live_server.url

    head = open_page(browser, DESKTOP)  # type: ignore[arg-type]
    log_in(head, base, "ravi")
    head.goto(f"{base}/schools/{world.school.pk}/?day={SCHOOL_DAY.isoformat()}")
    head.locator(f'[data-section="{world.section.pk}"] [data-year-end]').click()
    head.locator(f'tr[data-student="{zoya.pk}"] [data-record-link]').click()
    head.wait_for_selector("[data-tc-issue]")
    head.locator("[data-tc-issue]").click()
    head.fill("#left_on", SCHOOL_DAY.isoformat())
    head.fill("#reason", "Family moved to Khedi")
    head.fill("#conduct", "Good")
    head.check("input[name=dues_cleared]")
    head.locator("[data-tc-form] button[type=submit]").click()
    head.wait_for_selector("[data-tc-qr] svg")
    number = head.locator("[data-tc]").get_attribute("data-tc") or ""
    assert number == TransferCertificate.objects.get(student=zoya).number
    # Printed: the certificate and its QR on paper, the cancel form not.
    head.emulate_media(media="print")
    assert head.locator("[data-tc-qr] svg").is_visible()
    assert not head.locator("[data-tc-cancel]").is_visible()
    head.pdf(path=str(tmp_path / "tc.pdf"))
    assert (tmp_path / "tc.pdf").read_bytes().startswith(b"%PDF")
    screenshot(head, "tc-printed.png")
    # The family was told (hazri/notify/records.py).
    assert Notice.objects.filter(kind=Kind.TRANSFER, student=zoya).count() == 1

    kavita = open_page(browser, DESKTOP)  # type: ignore[arg-type]
    log_in(kavita, base, "kavita")
    kavita.goto(f"{base}/schools/{world.other_school.pk}/?day={SCHOOL_DAY.isoformat()}")
    kavita.locator("[data-tc-admit]").click()
    kavita.fill("#number", number)
    kavita.locator("[data-tc-lookup] button").click()
    kavita.wait_for_selector(f'[data-tc-found="{number}"]')
    kavita.select_option("#section", str(khedi.section.pk))
    kavita.fill("#admission_no", "K-0101")
    kavita.fill("#admitted_on", (SCHOOL_DAY + dt.timedelta(days=3)).isoformat())
    kavita.locator("[data-tc-admit] button[type=submit]").click()
    kavita.wait_for_selector("[data-schools]")
    schools = kavita.locator("[data-schools]").inner_text()
    assert world.school.name in schools and world.other_school.name in schools
    assert kavita.locator(f'[data-certificates] a:has-text("{number}")').count() == 1
    assert Admission.objects.filter(student=zoya, school=world.other_school).exists()
    screenshot(kavita, "record-two-schools.png")


def test_the_year_end_promotes_the_class_on_its_page(  # type: ignore[no-untyped-def]
    live_server, browser: Browser
) -> None:
    world = build_world()
    next_year = next_year_of(world)
    # Aarav passed, Zoya failed, Bhavna sits a supplementary, Kabir and Diya passed.
    results(world, "passed", "failed", "supplementary", "passed", "passed")
    base = live_server.url

    head = open_page(browser, DESKTOP)  # type: ignore[arg-type]
    log_in(head, base, "ravi")
    head.goto(f"{base}/schools/{world.school.pk}/?day={SCHOOL_DAY.isoformat()}")
    head.locator(f'[data-section="{world.section.pk}"] [data-year-end]').click()
    placements = {
        row.get_attribute("data-student"): row.get_attribute("data-placement")
        for row in head.locator("tr[data-student]").all()
    }
    assert placements[str(world.students[1].pk)] == "repeat"
    assert placements[str(world.students[2].pk)] == "promote_first"
    head.select_option("#to", str(next_year.up.pk))
    head.select_option("#repeat_in", str(next_year.same.pk))
    head.locator("[data-promote-form] button[type=submit]").click()
    head.wait_for_load_state()
    assert "already been carried" in head.content()
    first_day = next_year.year.starts_on
    assert [m.name for m in section_roll(next_year.up, first_day)] == [
        "Bhavna Meena",
        "Aarav Sharma",
        "Diya Rajput",
        "Kabir Singh",
    ]
    assert [m.name for m in section_roll(next_year.same, first_day)] == ["Zoya Khan"]
    screenshot(head, "year-end-done.png")
