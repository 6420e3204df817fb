"""A page's session ends SESSION_COOKIE_AGE after it logged in (absolute), or after
HAZRI_SESSION_IDLE_MINUTES without a request (idle): the user is logged out with a
message, and the page they asked sends them to the login page as for anyone logged out.

Django's own expiry is not enough: the session's expiry date moves on every time the
session is saved, and the last activity is saved (at most once a minute) to judge the
idle time. A device's bearer token carries no session and is not touched here; its idle
expiry is the token's own (HAZRI_DEVICE_TOKEN_IDLE_DAYS).
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from hazri.accounts.signins import SEEN_AT, SIGNED_IN_AT, SIGNOUT_REASON

SEEN_EVERY_SECONDS = 60  # the last activity is written at most this often


class SessionExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            self.check(request)
        return self.get_response(request)

    def check(self, request: HttpRequest) -> None:
        session = request.session
        now = int(timezone.now().timestamp())
        started = session.get(SIGNED_IN_AT)
        seen = session.get(SEEN_AT)
        reason = ""
        if not isinstance(started, int):
            session[SIGNED_IN_AT] = started = now  # a session from before this check
        if now - started > settings.SESSION_COOKIE_AGE:
            reason = "expired"
        elif isinstance(seen, int) and now - seen > settings.HAZRI_SESSION_IDLE_MINUTES * 60:
            reason = "idle"
        if not reason:
            if not isinstance(seen, int) or now - seen >= SEEN_EVERY_SECONDS:
                session[SEEN_AT] = now
            return
        setattr(request, SIGNOUT_REASON, reason)
        logout(request)
        if reason == "idle":
            text = _("You were logged out after a while without use. Please log in again.")
        else:
            text = _("Your login has expired. Please log in again.")
        messages.info(request, text)
