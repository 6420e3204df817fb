"""Compression on the API: answers out in brotli or gzip, bodies in as gzip.

Only answers under /api/ are compressed, never pages. BREACH recovers a secret from a
compressed answer's length when the same body also reflects what an attacker chose;
a page has both (its form's CSRF token, the signed-in user's data beside a search
box). The API's answers carry no CSRF token and no session, and the one that carries
a credential (POST /api/v1/auth/token, the device token) is left out by its path.
The app's own files (/app/static/...) are gzipped by hazri.sync.views; the site's
static files by WhiteNoise (precompressed at collectstatic in production).
docs/deployment.md says the same for operators.

A request body sent with `Content-Encoding: gzip` is decompressed by the API's JSON
reader (hazri.common.jsonio) with `gunzip_limited`: piece by piece, stopping at the
body limit, so a small body that would unpack to gigabytes costs no more memory than
the limit.
"""

import zlib
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

try:
    import brotli
except ImportError:  # pragma: no cover - brotli is a dependency; gzip alone still works
    brotli = None

API_PREFIX = "/api/"
# Answers under /api/ that carry a credential: never compressed (see above).
NOT_COMPRESSED = ("/api/v1/auth/token",)
# Smaller answers gain little or nothing (gzip's header and trailer are 18 bytes, and
# a few hundred bytes go in one packet either way) and cost a compressor's setup.
MIN_SIZE = 500
# The API's text types; an XLSX is a zip already and a PDF compresses its own streams.
COMPRESSIBLE = ("application/json", "text/csv", "text/plain")
# gzip's 6 (zlib's and Django's default) and brotli's 5. The first full pull of the
# largest demo school (GHSS Khatpura, 426 children: 524 kB of JSON, ~40 ms of CPU to
# build) is 53 kB in gzip 6 and 32 kB in brotli 5, each for ~5 ms of CPU; gzip 9 is
# 50 kB for 20 ms, brotli 11 26 kB for 600 ms (docs/deployment.md, "Compression").
GZIP_LEVEL = 6
BROTLI_QUALITY = 5
_PIECE = 64 * 1024

_CODING = _lazy_re_compile(r"^\s*([A-Za-z0-9*_-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def accepted_codings(header: str) -> set[str]:
    """The content codings an Accept-Encoding header takes (q > 0), lower-cased."""
    found = set()
    for part in header.split(","):
        match = _CODING.match(part)
        if match is None:
            continue
        try:
            weight = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if weight > 0:
            found.add(match.group(1).lower())
    return found


def choose_coding(header: str) -> str | None:
    """brotli where offered and installed, else gzip where offered, else None."""
    offered = accepted_codings(header)
    if brotli is not None and "br" in offered:
        return "br"
    if offered & {"gzip", "x-gzip", "*"}:
        return "gzip"
    return None


def compress(body: bytes, coding: str) -> bytes:
    if coding == "br":
        assert brotli is not None
        compressed: bytes = brotli.compress(body, quality=BROTLI_QUALITY)
        return compressed
    # mtime=0: the same answer compresses to the same bytes.
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    return compressor.compress(body) + compressor.flush()


def _compressible(request: HttpRequest, response: HttpResponse) -> bool:
    if not request.path.startswith(API_PREFIX) or request.path in NOT_COMPRESSED:
        return False
    if response.streaming or response.has_header("Content-Encoding"):
        # No API answer streams (exports are built whole); one that did would go as is.
        return False
    if response.status_code < 200 or response.status_code in (204, 206, 304):
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type in COMPRESSIBLE and len(response.content) >= MIN_SIZE


class ApiCompressionMiddleware:
    """Compresses the API's answers for clients that take it (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _compressible(request, response):
            return response
        # The answer depends on Accept-Encoding from here on, compressed or not: a
        # cache must not hand a gzipped copy to a client that did not ask for one.
        patch_vary_headers(response, ("Accept-Encoding",))
        coding = choose_coding(request.headers.get("Accept-Encoding", ""))
        if coding is None:
            return response
        compressed = compress(response.content, coding)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response["Content-Length"] = str(len(compressed))
        response["Content-Encoding"] = coding
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            # A strong ETag names these exact bytes; the compressed ones are others.
            response["ETag"] = "W/" + etag
        return response


class CorruptBody(ValueError):
    """The body said gzip and is not (truncated, or not gzip at all)."""


def gunzip_limited(data: bytes, limit: int | None = None) -> bytes:
    """`data` (one or more gzip members) decompressed, or RequestDataTooBig as soon as
    it passes `limit` bytes (DATA_UPLOAD_MAX_MEMORY_SIZE): memory stays within the
    limit and one piece, however far the body would unpack."""
    if limit is None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    out = bytearray()
    rest = data
    while True:
        reader = zlib.decompressobj(31)
        pending = rest
        try:
            while not reader.eof:
                # Never more than what is left under the limit, plus one byte to see it
                # passed; the input not yet read waits in unconsumed_tail.
                room = _PIECE if limit is None else min(_PIECE, limit - len(out) + 1)
                piece = reader.decompress(pending, room)
                out += piece
                if limit is not None and len(out) > limit:
                    raise RequestDataTooBig("The decompressed body is over the limit.")
                pending = reader.unconsumed_tail
                if not pending and not piece:
                    break  # the input ran out before the end of the gzip data
        except zlib.error as error:
            raise CorruptBody(str(error)) from None
        if not reader.eof:
            raise CorruptBody("the gzip data ends before its end")
        rest = reader.unused_data
        if not rest:
            return bytes(out)
