"""The API's JSON in and out through orjson.

The standard library's encoder called Django's `default()` for every date, datetime
and UUID of an answer: six a roll call, 600 for a batch of 100, and rendering took
about a twelfth of a batch's time. orjson writes those types itself:
datetimes as RFC 3339 with their microseconds and `Z` for UTC
(`2026-11-21T03:31:07.218544Z`; Django's encoder cut them to milliseconds), dates
and UUIDs as before. Anything else it cannot write (a Decimal, a lazy translation)
still goes through ninja's encoder.
"""

from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from ninja.parser import Parser
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.types import DictStrAny

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


_BOM = b"\xef\xbb\xbf"


class ORJSONParser(Parser):
    """A body that is not JSON raises here and ninja answers 400 (so do NaN and
    Infinity, which are not JSON though the standard library took them). A UTF-8 byte
    order mark, which some Windows tools write, is skipped, as the standard library
    skipped it."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        body = request.body
        data: DictStrAny = orjson.loads(body[3:] if body.startswith(_BOM) else body)
        return data
