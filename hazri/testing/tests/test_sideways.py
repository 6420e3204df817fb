"""The browser tests' check that a page never scrolls sideways can fail, and says why."""

import pytest
from playwright.sync_api import sync_playwright

from hazri.testing.browser import launch, sideways

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html><head><meta name="viewport" content="width=device-width">
<style>body {{ margin: 0; }} .scroll {{ overflow-x: auto; }}</style></head>
<body><p>Short.</p><div class="scroll"><table><tr><td style="width: 900px">in its own box</td></tr></table></div>
{extra}</body></html>"""


def test_sideways_names_what_sticks_out_and_passes_what_fits() -> None:
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 360, "height": 640})
            # A wide table inside a scrolling box is fine: the page itself fits.
            page.set_content(PAGE.format(extra=""))
            assert sideways(page) == []
            page.set_content(
                PAGE.format(extra='<div id="banner" style="width: 500px">Too wide</div>')
            )
            found = sideways(page)
            assert found and found[0].startswith("div#banner ends at 500 px of 360")
        finally:
            browser.close()
