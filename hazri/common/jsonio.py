"""The API's JSON: out through orjson, in through the standard library (JSONParser).

The standard library's encoder called Django's `default()` for every date, datetime
and UUID of an answer: six a roll call, 600 for a batch of 100, and rendering took
about a twelfth of a batch's time. orjson writes those types itself:
datetimes as RFC 3339 with their microseconds and `Z` for UTC
(`2026-11-21T03:31:07.218544Z`; Django's encoder cut them to milliseconds), dates
and UUIDs as before. Anything else it cannot write (a Decimal, a lazy translation)
still goes through ninja's encoder.
"""

import json
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from ninja.parser import Parser
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.types import DictStrAny

from hazri.common.compression import CorruptBody, gunzip_limited
from hazri.common.errors import ServiceError

_FALLBACK = NinjaJSONEncoder().default


def dumps(data: Any) -> bytes:
    return orjson.dumps(data, default=_FALLBACK, option=orjson.OPT_UTC_Z)


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return dumps(data)


def answer(data: Any, status: int = 200) -> HttpResponse:
    """An answer sent as it is, where ninja would first validate it against the
    endpoint's response schema and dump it again: for the roll-call submits, whose
    answers the presenters build to the schema exactly (their tests hold every answer
    to `Schema.model_validate(answer).model_dump(mode="json") == answer`). That check
    took ~9 % of a batch's time. The OpenAPI document still names the schema."""
    return HttpResponse(dumps(data), status=status, content_type="application/json")


class UnsupportedMediaType(ServiceError):
    status = 415


class CorruptGzip(ServiceError):
    """A body that says Content-Encoding: gzip and is not (a 400)."""


def decoded_body(request: HttpRequest) -> bytes:
    """The body as sent, or decompressed where it says `Content-Encoding: gzip`: the
    app gzips its batches (docs/sync.md). The body limit holds for what it unpacks
    to (compression.gunzip_limited); any other coding is a 415."""
    coding = request.META.get("HTTP_CONTENT_ENCODING", "").strip().lower()
    if coding in ("", "identity"):
        return request.body
    if coding not in ("gzip", "x-gzip"):
        message = _(
            "Send the body as it is or gzipped, with Content-Encoding: gzip "
            "(this request said: %(sent)s)."
        ) % {"sent": request.META["HTTP_CONTENT_ENCODING"]}
        raise UnsupportedMediaType(message, field="body", code="unsupported_content_encoding")
    try:
        return gunzip_limited(request.body)
    except CorruptBody:
        message = _("The request body says Content-Encoding: gzip but is not valid gzip.")
        raise CorruptGzip(message, field="body", code="malformed_gzip") from None


class DuplicateKey(ServiceError):
    """Sent twice in one object, a key's meaning depends on the reader: Python's and
    orjson take the last, others the first (a roll call could land in the section the
    client did not mean). It is refused."""


class _Twice(dict[str, Any]):
    """An object that had `key` twice: what the second reading of a refused body makes,
    to find where it was."""

    key = ""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise DuplicateKey("")
    return found


def _marked(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    twice, seen = _Twice(found), set()
    for key, _value in pairs:
        if key in seen:
            twice.key = key
            break
        seen.add(key)
    return twice


def _path_of_twice(data: Any, path: str = "") -> str | None:
    """The path (`rollcalls[3].section`) of the first key sent twice, or None."""
    if isinstance(data, _Twice):
        return f"{path}.{data.key}" if path else data.key
    if isinstance(data, dict):
        inner = [(f"{path}.{key}" if path else key, value) for key, value in data.items()]
    elif isinstance(data, list):
        inner = [(f"{path}[{index}]", value) for index, value in enumerate(data)]
    else:
        return None
    for where, value in inner:
        found = _path_of_twice(value, where)
        if found is not None:
            return found
    return None


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _loads(text: str, hook: Any) -> Any:
    return json.loads(text, object_pairs_hook=hook, parse_constant=_constant)


class JSONParser(Parser):
    """The body of every request the API reads: JSON, by its Content-Type, in UTF-8.

    A body that is not JSON raises here and ninja answers 400 (so do NaN and Infinity,
    which are not JSON though the standard library would take them). A key sent twice
    in one object is a 400 that names it. Any other Content-Type is a 415: a form or a
    text/plain body is not read as JSON, so a page on another site cannot send one
    through a browser without a CORS preflight. A UTF-8 byte order mark, which some
    Windows tools write, is skipped. A gzipped body is unpacked first (decoded_body).

    The standard library's parser, not orjson: only it lets us see each object's keys
    before they become a dict (object_pairs_hook). For the app's compact batches the
    two take the same time (0.3 ms for 100 roll calls of 40); the largest batch in the
    objects form (200 roll calls of 400 marks, 2.4 MB) takes ~65 ms against ~30 ms.
    """

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        charset = (request.content_params or {}).get("charset", "utf-8").lower()
        if request.content_type != "application/json" or charset not in ("utf-8", "utf8"):
            sent = request.META.get("CONTENT_TYPE") or pgettext("content type", "none")
            message = _(
                "Send the body as JSON in UTF-8, with Content-Type: application/json "
                "(this request said: %(sent)s)."
            ) % {"sent": sent}
            raise UnsupportedMediaType(message, field="body", code="unsupported_media_type")
        text = decoded_body(request).decode("utf-8")
        if text.startswith("\ufeff"):
            text = text[1:]
        try:
            data: DictStrAny = _loads(text, _unique)
        except DuplicateKey:
            where = _path_of_twice(_loads(text, _marked)) or "body"
            message = _("The key %(key)s is sent twice in one object: send it once.") % {
                "key": where
            }
            raise DuplicateKey(message, field=where, code="duplicate_key") from None
        return data
