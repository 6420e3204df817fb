"""What every server-rendered page shares: login, the user's language, and turning a
service's refusal into a readable 4xx page instead of a 500."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hazri.common.errors import ServiceError

# Service messages are written for developers and logs; pages show these instead,
# in the user's language. A code not listed here falls back to the service's message.
FRIENDLY_ERRORS = {
    "not_found": _("This page does not exist, or it is not in your area."),
    "not_marker": _(
        "You are not allowed to do this: only the head and the teachers posted to this "
        "school can mark its attendance."
    ),
    "bad_code": _("Every mark must be P, A, L or D."),
    "missing": _("Everyone on the list needs a mark: choose P, A, L or D for each one."),
    "not_on_roll": _("Someone in this form is not on the list for this day. Reload the page."),
    "duplicate": _("Someone was marked twice. Reload the page and mark again."),
    "future_day": _("This day has not come yet: attendance cannot be marked in advance."),
    "capture_in_future": _("The time on this device is wrong. Check the clock and try again."),
    "captured_before_day": _("Attendance cannot be marked before the day itself."),
    "after_cutoff": _("Attendance for this day is closed: it was not marked before the cutoff."),
    "correction_needs_head": _("After the cutoff only the head of school can correct attendance."),
    "reason_required": _("A correction after the cutoff needs a reason: write it in the note."),
    "not_school_day": _("This day is not a school day (weekly off or holiday)."),
    "outside_session": _("This day is outside the school session."),
    "empty_roll": _("There is nobody on the list for this day."),
    "bad_meeting": _("This school takes attendance once a day."),
    "uuid_reused": _("This form was already used for another attendance. Reload the page."),
    "bad_day": _("That is not a valid date."),
    "bad_form": _("The form was incomplete. Reload the page and try again."),
    "not_built": _(
        "The list of students of an area this large is made every night, and has not "
        "been made yet: choose a cluster or a school."
    ),
    "not_kept": _(
        "The list of students of an area this large is kept for last night only: "
        "choose a cluster or a school for an earlier day."
    ),
    "threshold_too_high": _(
        "For an area this large the threshold may be at most the highest one of any "
        "policy: choose a cluster or a school for a higher one."
    ),
}


def plain_int(value: str | None, *, max_digits: int = 18) -> int | None:
    """A non-negative integer typed in a form or query, or None. Only ASCII digits:
    str.isdigit() accepts "²", which int() then refuses."""
    if value and value.isascii() and value.isdigit() and len(value) <= max_digits:
        return int(value)
    return None


def error_text(error: ServiceError) -> str:
    friendly = FRIENDLY_ERRORS.get(error.code)
    return str(friendly) if friendly is not None else error.message


def form_failed(error: ServiceError, posted: Any = None) -> dict[str, Any]:
    """What a page shows beside a refused form: the error, its text and what was typed."""
    shown: dict[str, Any] = {"error": error, "error_text": error_text(error)}
    if posted is not None:
        shown["posted"] = posted
    return shown


def use_language_of(request: HttpRequest) -> None:
    """A logged-in user's saved language wins over the cookie and the browser."""
    language = getattr(request.user, "language", "")
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]


def error_page(request: HttpRequest, error: ServiceError) -> HttpResponse:
    return render(
        request, "error.html", {"error": error, "message": error_text(error)}, status=error.status
    )


def page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required, the user's language, and a ServiceError shown as a 4xx page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        use_language_of(request)
        try:
            return view(request, *args, **kwargs)
        except ServiceError as error:
            return error_page(request, error)

    return wrapper
