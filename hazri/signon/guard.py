"""Invitation codes are secrets typed by anonymous callers: an address that keeps trying
codes that do not exist is locked out for a while, as a password guesser is
(hazri.accounts.throttle; the same limits)."""

import datetime as dt
import math
from collections.abc import Callable
from typing import TypeVar

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from hazri.accounts.throttle import client_ip, guess_failed, guess_locked
from hazri.common.errors import Invalid, TooManyRequests

T = TypeVar("T")
SCOPE = "invite"


def _locked(until: dt.datetime, now: dt.datetime) -> TooManyRequests:
    seconds = max(1, math.ceil((until - now).total_seconds()))
    minutes = math.ceil(seconds / 60)
    message = ngettext(
        "Too many wrong codes. Try again in %(minutes)d minute.",
        "Too many wrong codes. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    return TooManyRequests(message, retry_after=seconds, field="code", code="locked")


def guarded(
    request: HttpRequest,
    look_up: Callable[[], T],
    *,
    scope: str = SCOPE,
    counted: str = "unknown_code",
) -> T:
    """Runs a look-up by code for this caller, refusing a locked address (429) and
    counting a code that does not exist (a refusal with code `counted`) against it.
    Another kind of code (admissions' phone codes) keeps its own `scope`."""
    ip, now = client_ip(request), timezone.now()
    until = guess_locked(scope, ip, now)
    if until is not None:
        raise _locked(until, now)
    try:
        return look_up()
    except Invalid as refused:
        if refused.code == counted:
            locked = guess_failed(scope, ip, now)
            if locked is not None:
                raise _locked(locked, now) from refused
        raise
