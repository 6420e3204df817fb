"""Password login, in one place for the pages, the devices' API and the admin: Django's
ModelBackend with the failed-login throttle (hazri/accounts/throttle.py) before it and
the sign-on policy after it.

A refusal other than a wrong password (a lock, a policy) cannot come out of Django's
`authenticate()`, which only answers a user or None: the backend leaves it on the
request (`refusal_of(request)`) and raises PermissionDenied, which stops the other
backends and sends `user_login_failed`. The login form and the token service read it
and show it; the admin's login shows its usual "wrong password".
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hazri.accounts import throttle
from hazri.accounts.models import User
from hazri.common.errors import Forbidden, ServiceError
from hazri.people.models import Guardian, Posting, Student

REFUSAL = "hazri_signin_refusal"


class PasswordsOff(Forbidden):
    """The user's role signs in with the state's single sign-on only."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="password", code="use_sso")


def refusal_of(request: HttpRequest | None) -> ServiceError | None:
    """Why the last password login on this request was refused, other than a wrong one."""
    found: ServiceError | None = getattr(request, REFUSAL, None)
    return found


def password_refusal(user: User) -> str | None:
    """Why this user may not log in with a password (settings HAZRI_PASSWORDS_FOR_*), or
    None. A student keeps their school password; a user who is staff (a posting or an
    officer's area) or a guardian may log in if any of their roles still may; a
    superuser and a user with none of these roles may."""
    if user.is_superuser or Student.objects.filter(user=user).exists():
        return None
    staff = (
        Posting.objects.filter(staff__user=user).exists() or user.officer_grants.exists()  # type: ignore[attr-defined]
    )
    if staff and settings.HAZRI_PASSWORDS_FOR_STAFF:
        return None
    guardian = Guardian.objects.filter(user=user).exists()
    if guardian and settings.HAZRI_PASSWORDS_FOR_GUARDIANS:
        return None
    if staff:
        return _("Staff sign in with the state's single sign-on.")
    if guardian:
        return _("Parents sign in with the state's single sign-on.")
    return None


class PasswordBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        username = str(username)
        if request is not None:
            setattr(request, REFUSAL, None)
        ip = throttle.client_ip(request)
        now = timezone.now()
        until = throttle.locked_until(username, ip, now)
        if until is not None:
            self._refuse(request, throttle.LoginLocked(until, now))
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            until = throttle.login_failed(username, ip, now)
            if until is not None:
                self._refuse(request, throttle.LoginLocked(until, now))
            return None
        throttle.login_succeeded(username)
        refusal = password_refusal(user)  # type: ignore[arg-type]
        if refusal is not None:
            self._refuse(request, PasswordsOff(refusal))
        return user  # type: ignore[return-value]

    @staticmethod
    def _refuse(request: HttpRequest | None, error: ServiceError) -> None:
        if request is not None:
            setattr(request, REFUSAL, error)
        raise PermissionDenied(error.message)
