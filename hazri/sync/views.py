"""The offline teacher app (a PWA) at /app/: its page, service worker, manifest and
files, served from pwa/ at the repository root. See docs/sync.md.

The page holds no user data and needs no login: the app logs in by itself with a
device token. Every file is addressed under a version (a hash of all of them, the
page's template and its strings), so a changed file is a new URL, a new service
worker and a fresh offline copy; the service worker itself is always revalidated.
"""

import gzip
import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from hazri.sync.strings import LANGUAGES, UI_STRINGS, plural_forms

PWA_DIR = Path(settings.BASE_DIR) / "pwa"
TEMPLATE = Path(__file__).resolve().parent / "templates" / "sync" / "app.html"
SCOPE = "/app/"
CONTENT_TYPES = {
    ".js": "application/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
}
# The page loads these in this order (classic scripts: the worker imports some too).
SCRIPTS = [
    "js/i18n.js",
    "js/db.js",
    "js/roll.js",
    "js/net.js",
    "js/photos.js",
    "js/refs.js",
    "js/journal.js",
    "js/sync.js",
    "js/ui.js",
    "js/screens.js",
    "js/photoui.js",
    "js/refui.js",
    "js/journalui.js",
    "js/diaryui.js",
    "js/app.js",
]
WORKER_SCRIPTS = [
    "js/db.js",
    "js/roll.js",
    "js/net.js",
    "js/photos.js",
    "js/refs.js",
    "js/journal.js",
    "js/sync.js",
]
STYLES = ["app.css"]
# Served at their own addresses (the worker's scope is where it is served from).
NOT_UNDER_STATIC = {"sw.js", "manifest.webmanifest"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Asset:
    name: str
    body: bytes
    gzipped: bytes
    content_type: str
    etag: str


@dataclass(frozen=True)
class Shell:
    version: str
    assets: dict[str, Asset] = field(default_factory=dict)

    def url(self, name: str) -> str:
        return f"{SCOPE}static/{self.version}/{name}"

    @property
    def icons(self) -> list[str]:
        return sorted(name for name in self.assets if name.startswith("icons/"))

    @property
    def precache(self) -> list[str]:
        """What the service worker keeps for offline use; the page comes first."""
        files = SCRIPTS + STYLES + self.icons
        return [SCOPE, f"{SCOPE}manifest.webmanifest", *(self.url(name) for name in files)]


def _files() -> list[tuple[str, Path]]:
    """The servable files under pwa/: known types only, no hidden files, no links."""
    found = []
    root = PWA_DIR.resolve()
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith(".") or path.suffix not in CONTENT_TYPES or path.is_symlink():
                continue
            found.append((path.relative_to(root).as_posix(), path))
    return found


@lru_cache(maxsize=2)
def strings_json() -> str:
    """The app's strings in each of its languages, from the Django catalogue."""
    tables: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        with translation.override(language):
            table = {key: gettext(key) for key in UI_STRINGS}
        # The app falls back to the key, which is the English text.
        tables[language] = {k: v for k, v in table.items() if v != k}
    payload: dict[str, Any] = {**tables, "plurals": plural_forms()}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


@lru_cache(maxsize=4)
def _load(signature: tuple[tuple[str, int, int], ...], strings: str) -> Shell:
    digest = hashlib.sha256(strings.encode())
    digest.update(TEMPLATE.read_bytes())
    assets = {}
    for name, path in _files():
        body = path.read_bytes()
        digest.update(name.encode() + b"\0" + body + b"\0")
        suffix = Path(name).suffix
        assets[name] = Asset(
            name=name,
            body=body,
            gzipped=gzip.compress(body, 9, mtime=0),
            content_type=CONTENT_TYPES[suffix],
            etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"',
        )
    return Shell(version=digest.hexdigest()[:12], assets=assets)


def shell() -> Shell:
    """The current files, reloaded whenever one of them changes on disk."""
    signature = tuple(
        (name, path.stat().st_mtime_ns, path.stat().st_size) for name, path in _files()
    ) + (("template", TEMPLATE.stat().st_mtime_ns, TEMPLATE.stat().st_size),)
    return _load(signature, strings_json())


def _send(request: HttpRequest, body: bytes, content_type: str, cache: str) -> HttpResponse:
    """A response gzipped when the client takes it (most of the shell is text)."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        accepts_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
        compressible = not content_type.startswith("image/png")
        if accepts_gzip and compressible and len(body) > 512:
            response = HttpResponse(gzip.compress(body, 6, mtime=0), content_type=content_type)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = cache
    response["Vary"] = "Accept-Encoding"
    return response


@require_safe
def app_page(request: HttpRequest) -> HttpResponse:
    current = shell()
    context: dict[str, Any] = {
        "scripts": [current.url(name) for name in SCRIPTS],
        "styles": [current.url(name) for name in STYLES],
        "icon": current.url("icons/icon.svg"),
        "touch_icon": current.url("icons/icon-192.png"),
        "strings": json.loads(strings_json()),
        "version": current.version,
        "scope": SCOPE,
    }
    response = render(request, "sync/app.html", context)
    response["Cache-Control"] = "no-cache"
    response["Content-Security-Policy"] = CSP
    return response


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    current = shell()
    config = {
        "version": current.version,
        "shell": current.precache,
        "scripts": [current.url(name) for name in WORKER_SCRIPTS],
    }
    body = f"const HAZRI = {json.dumps(config)};\n".encode() + current.assets["sw.js"].body
    return _send(request, body, CONTENT_TYPES[".js"], "no-cache")


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    current = shell()
    data = json.loads(current.assets["manifest.webmanifest"].body)
    for icon in data.get("icons", []):
        if not icon["src"].startswith("/"):
            icon["src"] = current.url(icon["src"])
    body = json.dumps(data, ensure_ascii=False, indent=1).encode()
    return _send(request, body, CONTENT_TYPES[".webmanifest"], "no-cache")


@require_safe
def asset(request: HttpRequest, version: str, name: str) -> HttpResponse:
    """A file of the app. Only names found under pwa/ are served: nothing else can be
    reached, whatever the path says. An old version's URL gets today's file, unpinned."""
    current = shell()
    found = current.assets.get(name)
    if found is None or name in NOT_UNDER_STATIC:
        raise Http404("No such file in the app.")
    cache = IMMUTABLE if version == current.version else "no-cache"
    if found.etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    elif "gzip" in request.headers.get("Accept-Encoding", "") and len(found.gzipped) < len(
        found.body
    ):
        response = HttpResponse(found.gzipped, content_type=found.content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(found.body, content_type=found.content_type)
    response["ETag"] = found.etag
    response["Cache-Control"] = cache
    response["Vary"] = "Accept-Encoding"
    return response
