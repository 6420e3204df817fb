"""A state data centre may have no internet: every page, the API's own docs included,
loads its scripts, styles and icons from our server, never from a CDN."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from config.settings import base

pytestmark = pytest.mark.django_db

ASSET = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


def test_the_api_docs_load_swagger_ui_from_our_static_files() -> None:
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    assets = ASSET.findall(page.content.decode())
    scripts = [a for a in assets if a.endswith(".js")]
    assert any("swagger-ui-bundle" in a for a in scripts), assets
    for asset in assets:
        assert not asset.startswith(("http:", "https:", "//")), asset
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a static file"


def test_the_site_answers_favicon_ico(settings, tmp_path) -> None:
    # The test settings leave WhiteNoise out (nothing is collected); it serves root files.
    settings.MIDDLEWARE = base.MIDDLEWARE
    settings.STATIC_ROOT = tmp_path
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"\x00\x00\x01\x00")  # the ICO header
