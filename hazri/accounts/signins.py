"""Every sign-in, sign-out and refused sign-in in the audit trail.

Django's own signals carry the pages' logins and logouts, whichever backend or view
logged the user in (a single sign-on login sets `session["signin_method"] = "sso"`
before `login()`), and every failed `authenticate()`; the devices' token logins are
recorded by the token service. The event's `user` is the account signed in to or tried
(None for a username no account has); its detail holds the address, the browser (cut
short), the way in (page or api) and, for a refusal, the username tried. Never the
password.

Actions: signin.password, signin.sso (signin.<method>), signin.token, signin.failed,
signin.locked, signin.refused_policy, signout (detail "reason": user, idle, expired).
"""

import re
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest
from django.utils import timezone

from hazri.accounts.backends import PasswordsOff, refusal_of
from hazri.accounts.models import User
from hazri.accounts.throttle import USERNAME_LIMIT, LoginLocked, client_ip
from hazri.audit.services import audit_record

AGENT_LIMIT = 200
SIGNOUT_REASON = "hazri_signout_reason"
# Kept in the session: when it logged in and when it was last seen (seconds since 1970).
SIGNED_IN_AT = "hazri_signed_in_at"
SEEN_AT = "hazri_seen_at"
METHOD = re.compile(r"^[a-z]{1,20}$")


class Account:
    """The audit event's object: the account, or none ("") for an unknown username."""

    def __init__(self, pk: object) -> None:
        self.pk = "" if pk is None else pk


def signin_audit(
    *,
    request: HttpRequest | None,
    action: str,
    user: Any = None,
    username: str = "",
    reason: str = "",
) -> None:
    """Record a sign-in event; with only a username, the account of that name if any."""
    detail: dict[str, Any] = {"ip": client_ip(request)}
    if reason:
        detail["reason"] = reason
    if request is not None:
        detail["agent"] = request.headers.get("User-Agent", "")[:AGENT_LIMIT]
        detail["via"] = "api" if request.path.startswith("/api/") else "page"
    if username:
        detail["username"] = username[:USERNAME_LIMIT]
        if user is None:
            user = User.objects.filter(username=username[:USERNAME_LIMIT]).first()
    audit_record(
        user=user,
        action=action,
        obj=Account(user.pk if user is not None else None),
        school_id=None,
        detail=detail,
    )


def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        signin_audit(request=request, action="signin.password", user=user)
        return
    method = str(request.session.get("signin_method") or "password")
    if not METHOD.match(method):
        method = "other"
    now = int(timezone.now().timestamp())
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    signin_audit(request=request, action=f"signin.{method}", user=user)


def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return  # logging out with no one logged in
    reason = str(getattr(request, SIGNOUT_REASON, "user"))
    signin_audit(request=request, action="signout", user=user, reason=reason)


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    refusal = refusal_of(request)
    action = "signin.failed"
    if isinstance(refusal, LoginLocked):
        action = "signin.locked"
    elif isinstance(refusal, PasswordsOff):
        action = "signin.refused_policy"
    username = str(credentials.get("username") or credentials.get(User.USERNAME_FIELD) or "")
    signin_audit(request=request, action=action, username=username)


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="hazri.signins.logged_in")
    user_logged_out.connect(_logged_out, dispatch_uid="hazri.signins.logged_out")
    user_login_failed.connect(_login_failed, dispatch_uid="hazri.signins.login_failed")
