"""Launching Debian's Chromium for the browser tests (Playwright cannot download one)."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

CHROMIUM = "/usr/bin/chromium"
# Headless, no sandbox (root in CI), and none of Chromium's own network chatter:
# this machine's closed network refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch(playwright: Playwright) -> Browser:
    if not Path(CHROMIUM).exists():
        # CI installs it (make test, as root): there a missing browser is a failure.
        if os.environ.get("CI"):
            pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for a test module (hazri/conftest.py offers it to every test): each
    test opens its own contexts, whose cookies and storage are theirs alone."""
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


# The elements whose right edge lies past the viewport, the furthest out first: null
# for a page that fits, and for one that scrolls sideways what pushes it.
_SIDEWAYS = """() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const out = [];
    for (const el of document.body.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        if (box.right > width + 0.5 && box.width > 0) {
            let inScroller = false;
            for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                const style = getComputedStyle(up);
                if (style.overflowX === "auto" || style.overflowX === "scroll"
                    || style.overflowX === "hidden" || style.overflowX === "clip") {
                    inScroller = true;
                    break;
                }
            }
            if (inScroller) continue;
            const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                + (el.className && typeof el.className === "string"
                    ? "." + el.className.trim().split(/\\s+/).join(".") : "");
            const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
            out.push([box.right, `${name} ends at ${Math.round(box.right)} px of ${width}: "${text}"`]);
        }
    }
    out.sort((a, b) => b[0] - a[0]);
    return out.slice(0, 5).map((pair) => pair[1]);
}"""


def sideways(page: Page) -> list[str]:
    """What makes the page scroll sideways once it has loaded: empty when it fits.

    A page still settling (a stylesheet, a font, a script that has yet to run) may be
    wider for a moment; the user sees it settled, so this waits up to three seconds
    for it to fit before it names what sticks out."""
    page.wait_for_load_state("load")
    try:
        page.wait_for_function(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth",
            timeout=3_000,
        )
    except PlaywrightTimeoutError:
        found: list[str] | None = page.evaluate(_SIDEWAYS)
        if found is None:  # it came to fit just after the wait
            return []
        return found or ["the page scrolls sideways (no single element found past the edge)"]
    return []
