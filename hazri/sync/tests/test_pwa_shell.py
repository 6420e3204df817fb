"""The offline app's shell as the server sends it: page, service worker, manifest,
files, and its size on the wire (no browser)."""

import gzip
import json
import re
from pathlib import Path

import pytest
from django.test import Client

from hazri.sync import views

SHELL_BUDGET = 150 * 1024  # gzip bytes of all the app's JS and CSS


@pytest.fixture
def client() -> Client:
    return Client()


def test_the_page_links_the_manifest_and_registers_the_worker(client: Client) -> None:
    response = client.get("/app/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<link rel="manifest" href="/app/manifest.webmanifest">' in html
    assert 'data-sw="/app/sw.js"' in html
    assert "serviceWorker.register" in views.shell().assets["js/app.js"].body.decode()
    assert re.search(r'<html lang="(en|hi)" dir="ltr">', html)
    assert response["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    # No user data and no login: the same page for everybody, cacheable offline.
    assert "csrfmiddlewaretoken" not in html


def test_the_page_carries_the_strings_in_both_languages(client: Client) -> None:
    html = client.get("/app/").content.decode()
    found = re.search(r'<script id="hazri-strings" type="application/json">(.*?)</script>', html)
    assert found is not None
    strings = json.loads(found.group(1))
    assert strings["hi"]["Save attendance"] == "उपस्थिति सहेजें"
    # Every t("…") in the app's code is in the list that makemessages reads.
    used = set()
    for path in (views.PWA_DIR / "js").glob("*.js"):
        used |= set(re.findall(r'\bt\("((?:[^"\\]|\\.)*)"', path.read_text()))
    assert used <= set(views.UI_STRINGS), sorted(used - set(views.UI_STRINGS))
    untranslated = [key for key in views.UI_STRINGS if key not in strings["hi"]]
    assert not untranslated, untranslated


def test_counts_come_in_plural_forms_in_both_languages(client: Client) -> None:
    html = client.get("/app/").content.decode()
    found = re.search(r'<script id="hazri-strings" type="application/json">(.*?)</script>', html)
    assert found is not None
    plurals = json.loads(found.group(1))["plurals"]
    assert plurals["en"]["%(count)s photo"] == {
        "one": "%(count)s photo",
        "other": "%(count)s photos",
    }
    assert plurals["hi"]["%(count)s photo chosen"]["other"] == "%(count)s फ़ोटो चुनी गईं"
    # Every I.n("…", "…", count) in the app's code is a pair the catalogue knows.
    used = set()
    for path in (views.PWA_DIR / "js").glob("*.js"):
        pairs = re.findall(r'\bn\(\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"', path.read_text())
        used |= set(pairs)
    assert used, "the app counts something"
    known = {(forms["one"], forms["other"]) for forms in plurals["en"].values()}
    assert used <= known, sorted(used - known)
    untranslated = [key for key, forms in plurals["hi"].items() if forms == plurals["en"][key]]
    assert not untranslated, untranslated


def test_the_service_worker_is_javascript_and_never_stale(client: Client) -> None:
    response = client.get("/app/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    config = json.loads(re.match(r"const HAZRI = (.*);\n", body).group(1))  # type: ignore[union-attr]
    version = views.shell().version
    assert config["version"] == version
    assert config["shell"][:2] == ["/app/", "/app/manifest.webmanifest"]
    assert f"/app/static/{version}/js/app.js" in config["shell"]
    assert f"/app/static/{version}/app.css" in config["shell"]
    for url in config["shell"][2:] + config["scripts"]:
        assert client.get(url).status_code == 200, url


def test_the_manifest(client: Client) -> None:
    response = client.get("/app/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/app/"
    assert manifest["scope"] == "/app/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"]: icon for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= set(sizes)
    for size, icon in sizes.items():
        got = client.get(icon["src"])
        assert got.status_code == 200
        assert got["Content-Type"] == "image/png"
        png = got.content
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert f"{width}x{height}" == size


def test_files_are_versioned_gzipped_and_cached(client: Client) -> None:
    version = views.shell().version
    url = f"/app/static/{version}/js/app.js"
    plain = client.get(url)
    assert plain["Content-Type"].startswith("application/javascript")
    assert "immutable" in plain["Cache-Control"]
    squeezed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert squeezed["Content-Encoding"] == "gzip"
    assert gzip.decompress(squeezed.content) == plain.content
    again = client.get(url, HTTP_IF_NONE_MATCH=plain["ETag"])
    assert again.status_code == 304
    # An old version's address still answers (with today's file), but is not pinned.
    old = client.get("/app/static/0123456789ab/js/app.js")
    assert old.status_code == 200
    assert old["Cache-Control"] == "no-cache"


@pytest.mark.parametrize(
    "path",
    [
        "js/../../manage.py",
        "../config/settings/base.py",
        "..%2f..%2fmanage.py",
        "icons/render.py",
        "sw.js",
        "js/missing.js",
        "/etc/passwd",
        "js/app.js.map",
    ],
)
def test_nothing_outside_the_app_is_served(client: Client, path: str) -> None:
    version = views.shell().version
    assert client.get(f"/app/static/{version}/{path}").status_code == 404


def test_only_get_and_head(client: Client) -> None:
    assert client.post("/app/").status_code == 405
    assert client.head("/app/sw.js").status_code == 200


def test_the_shell_is_small(client: Client) -> None:
    """All the app's JS and CSS, gzipped, under 150 KB: it must load on 2G once."""
    version = views.shell().version
    total_raw = total_gzip = 0
    names = [*views.SCRIPTS, *views.STYLES]
    for name in names:
        body = client.get(f"/app/static/{version}/{name}").content
        total_raw += len(body)
        total_gzip += len(gzip.compress(body, 9))
    worker = client.get("/app/sw.js").content
    page = client.get("/app/").content
    total_raw += len(worker) + len(page)
    total_gzip += len(gzip.compress(worker, 9)) + len(gzip.compress(page, 9))
    print(  # noqa: T201 - the figure the issue asks for
        f"\napp shell: {len(names) + 2} files, {total_raw / 1024:.1f} KB raw, "
        f"{total_gzip / 1024:.1f} KB gzip (budget {SHELL_BUDGET // 1024} KB)"
    )
    assert total_gzip < SHELL_BUDGET


def test_every_module_stays_small() -> None:
    for path in [*Path(views.PWA_DIR).rglob("*.js"), *Path(views.PWA_DIR).rglob("*.css")]:
        assert len(path.read_text().splitlines()) < 500, path
