"""The API's error shape: every 4xx says what is wrong and where.

{"detail": "…", "errors": [{"field": "marks[3].code", "message": "…", "code": "…"}]}
"""

import datetime as dt
import logging
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Path, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Strict
from pydantic_core import PydanticCustomError

from hazri.common.errors import ServiceError

if TYPE_CHECKING:
    from hazri.accounts.models import User

logger = logging.getLogger(__name__)


def request_user(request: HttpRequest) -> "User":
    """The authenticated caller: every endpoint but log-in requires authentication."""
    if not request.user.is_authenticated:
        raise AuthenticationError()
    return cast("User", request.user)


# Dates a request may name: a year like 0001 or 9999 is a typo, and a day either side
# of the extremes would overflow Python's date arithmetic.
FIRST_DAY, LAST_DAY = dt.date(1950, 1, 1), dt.date(2199, 12, 31)


# Pydantic would read a number, or a string of digits, as seconds since 1970: "day=0"
# would be 1 January 1970 and "day=20261204" an error about times. A date must be
# written out, and a time must have its date and its hours and minutes.
_WRITTEN_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WRITTEN_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}.*", re.DOTALL)


def _written_day(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _WRITTEN_DAY.fullmatch(value):
        return value
    raise ValueError("must be a date written YYYY-MM-DD, as 2026-12-04")


def _written_moment(value: Any) -> Any:
    if isinstance(value, dt.datetime) or (
        isinstance(value, str) and _WRITTEN_MOMENT.fullmatch(value)
    ):
        return value
    raise ValueError("must be a date and time in ISO 8601, as 2026-12-04T09:30:00+05:30")


def _plausible(day: dt.date) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"must be between {FIRST_DAY} and {LAST_DAY}")
    return day


Day = Annotated[dt.date, BeforeValidator(_written_day), AfterValidator(_plausible)]


def _plausible_moment(moment: dt.datetime) -> dt.datetime:
    _plausible(moment.date())
    return moment


# A time a device reports (when marks were taken): within the same years as a Day.
Moment = Annotated[
    AwareDatetime, BeforeValidator(_written_moment), AfterValidator(_plausible_moment)
]

# A device's clock is kept as its skew from the server's, in seconds, in a 32-bit column
# (a roll call's clock_skew_seconds, a pull's): one further off cannot be stored. A phone
# whose battery ran flat may come back at 1 January 1970 and is still taken (its marks
# are moved by the skew), until 2038.
MAX_CLOCK_SKEW = dt.timedelta(seconds=2**31 - 1)


def _plausible_clock(clock: dt.datetime) -> dt.datetime:
    if abs(timezone.now() - clock) > MAX_CLOCK_SKEW:
        raise ValueError(
            "is more than 68 years from the server's clock: set the device's date and time"
        )
    return clock


DeviceClock = Annotated[
    AwareDatetime, BeforeValidator(_written_moment), AfterValidator(_plausible_clock)
]


# Database ids are 64-bit: a bigger number is bad input, not a database error. In a JSON
# body an id is a JSON integer: "6" and 6.0 are refused, not read as 6 (a client that
# sends them has lost track of its types, and a float beyond 2**53 is not the id it
# meant). Query strings and paths are text: QueryId and PathId read "6" as 6.
Id = Annotated[int, Strict(), Field(ge=1, le=2**63 - 1)]
QueryId = Annotated[int, Field(ge=1, le=2**63 - 1)]
PathId = Annotated[int, Path(ge=1, le=2**63 - 1)]


# A text column cannot hold a NUL (PostgreSQL refuses it: a 500; SQLite keeps it, and
# every page and export after it), nor can UTF-8 carry a lone surrogate; the other C0
# controls are never typed, only injected or pasted from a binary. Tab, newline and
# carriage return are text. Every string a request carries is Text, or a pattern or a
# list of values that leaves these out (hazri/common/tests/test_openapi.py holds it).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# The same rule, for the OpenAPI document (so generated clients and fuzzers know it).
NO_CONTROLS = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F]*$"


def _no_controls(text: str) -> str:
    found = _CONTROL.search(text)
    if found is None:
        return text
    raise PydanticCustomError(
        "control_character",
        "must not contain control characters: U+{char} at character {position}",
        {"char": f"{ord(found.group()):04X}", "position": found.start() + 1},
    )


Text = Annotated[
    str, AfterValidator(_no_controls), Field(json_schema_extra={"pattern": NO_CONTROLS})
]


class FieldError(Schema):
    field: str
    message: str
    code: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class UnavailableOut(Schema):
    """503: the database cannot be reached now. Nothing was judged: send the same
    request again after Retry-After seconds (a batch with the same client_uuids)."""

    detail: str
    code: Literal["unavailable"]
    errors: list[FieldError] = []


# The database's errors that say it cannot be reached or used now (down, restarting,
# the connection cut, a lock or serialization failure), as opposed to a judgement on
# the request: a client sends the same request again later.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def field_path(loc: list[Any] | tuple[Any, ...]) -> str:
    """('body', 'payload', 'marks', 3, 'code') -> 'marks[3].code'"""
    parts = [part for part in loc if part not in ("body", "payload", "query", "path")]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def error_body(message: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"detail": message, "errors": errors or []}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ServiceError)
    def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        errors = [{"field": exc.field, "message": exc.message, "code": exc.code}]
        response = api.create_response(request, error_body(exc.message, errors), status=exc.status)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            response["Retry-After"] = str(retry_after)
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = []
        for error in exc.errors:
            loc = error.get("loc", ())
            message = str(error.get("msg", "invalid"))
            code = str(error.get("type", "invalid"))
            errors.append({"field": field_path(loc), "message": message, "code": code})
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "Invalid input."
        return api.create_response(request, error_body(summary, errors), status=422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = str(exc)
        if message in ("", "Unauthorized"):
            message = "Log in first: send 'Authorization: Bearer <token>' or a session cookie."
        response = api.create_response(request, error_body(message), status=401)
        # RFC 6750: a 401 names the scheme it wants; a token that was sent and refused
        # is an invalid_token.
        sent = request.headers.get("Authorization", "")
        challenge = 'Bearer realm="hazri"'
        if sent.lower().startswith("bearer "):
            challenge += ', error="invalid_token"'
        response["WWW-Authenticate"] = challenge
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, ServiceError):
            # The JSON reader's refusals (jsonio: a Content-Type, a key sent twice),
            # which ninja wraps in its "Cannot parse" 400.
            return service_error(request, exc.__cause__)
        if isinstance(exc.__cause__, RequestDataTooBig):
            # A gzipped body that unpacks past the limit (jsonio.decoded_body).
            return too_big(request, exc.__cause__)
        if str(exc).startswith("Cannot parse request body"):
            message = "The request body is not valid JSON."
            errors = [{"field": "body", "message": message, "code": "malformed_json"}]
            return api.create_response(request, error_body(message, errors), status=400)
        return api.create_response(request, error_body(str(exc)), status=exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        message = _(
            "The request body is larger than this server takes: at most %(limit)s bytes "
            "(%(mib)s MiB). Send fewer roll calls in one batch."
        ) % {"limit": limit, "mib": round(limit / 2**20, 1)}
        errors = [{"field": "body", "message": message, "code": "too_large"}]
        return api.create_response(request, error_body(message, errors), status=413)

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.warning("database unavailable on %s %s: %s", request.method, request.path, exc)
        message = _("The server cannot reach its database just now: send this again later.")
        body = {"detail": message, "code": "unavailable", "errors": []}
        response = api.create_response(request, body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
