"""Render icon.svg to the PNG icons of the manifest with the Chromium the browser
tests use: `.venv/bin/python pwa/icons/render.py`."""

from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
# Served at /favicon.ico (WHITENOISE_ROOT): browsers ask for it on every page.
FAVICON = HERE.parents[1] / "hazri" / "common" / "root" / "favicon.ico"


def main() -> None:
    svg = (HERE / "icon.svg").read_text()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for size in (192, 512):
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(
                "<style>html,body{margin:0}svg{display:block;width:100vw;height:100vh}</style>"
                + svg
            )
            page.screenshot(path=str(HERE / f"icon-{size}.png"), omit_background=False)
            page.close()
        browser.close()
    with Image.open(HERE / "icon-512.png") as icon:
        icon.convert("RGBA").save(FAVICON, sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
