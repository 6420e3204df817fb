"""In a real Chromium: the head issues 5 A's term cards on the page; the parent
downloads his daughter's card; its first page, printed (rasterised at 150 dpi), is
shown to someone with no login on the public verify page: genuine, with her grades.
After the head reissues the cards, the same printed page says revoked."""

import os
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from hazri.credentials.testing import install_signing_key
from hazri.registers.tests.test_browser import PHONE, log_in, open_page, screenshot
from hazri.registers.tests.test_exports import poppler
from hazri.reportcards.tests.rc_world import card_world
from hazri.testing.world import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def printed_page(pdf: Path, folder: Path) -> Path:
    """The PDF's first page as a printer's scan would give it."""
    subprocess.run(
        [poppler("pdftoppm"), "-r", "150", "-f", "1", "-l", "1", "-png", pdf, folder / "scan"],
        check=True,
    )
    return next(folder.glob("scan*.png"))


def verify(visitor: Page, base: str, image: Path) -> str:
    visitor.goto(f"{base}/verify/")
    visitor.set_input_files("#image", str(image))
    visitor.locator("[data-verify]").click()
    visitor.wait_for_selector("[data-verdict]")
    return visitor.locator("[data-verdict]").get_attribute("data-verdict") or ""


def test_anyone_verifies_a_printed_report_card(  # type: ignore[no-untyped-def]
    live_server, browser: Browser, settings, tmp_path
) -> None:
    world = build_world()
    install_signing_key(settings, tmp_path)
    made = card_world(world)
    term = made.journal.term1
    base = live_server.url

    head = open_page(browser, {"width": 1000, "height": 900})
    log_in(head, base, "ravi")
    head.goto(f"{base}/sections/{world.section.pk}/report-cards/?term={term.pk}")
    head.locator("[data-issue] button").click()
    head.wait_for_selector("[data-cards]")
    assert head.locator("[data-card]").count() == 5

    parent = open_page(browser, PHONE, phone=True)
    log_in(parent, base, "imran")
    parent.goto(f"{base}/students/{made.zoya.pk}/report-cards/")
    with parent.expect_download() as download:
        parent.locator("[data-download]").first.click()
    pdf = tmp_path / "card.pdf"
    download.value.save_as(pdf)
    scan = printed_page(pdf, tmp_path)

    visitor = open_page(browser, PHONE, phone=True)  # nobody logged in
    assert verify(visitor, base, scan) == "genuine"
    verdict = visitor.locator("[data-verdict]").inner_text()
    assert "Zoya Khan" in verdict and "MATH" in verdict
    screenshot(visitor, "report-card-verified.png")

    head.goto(f"{base}/sections/{world.section.pk}/report-cards/?term={term.pk}")
    head.locator("[data-issue] button").click()
    head.wait_for_selector("[data-cards]")
    assert verify(visitor, base, scan) == "revoked"  # the old print, after a reissue
