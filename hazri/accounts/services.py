"""Writes about users: device tokens and the chosen language."""

import hashlib
import secrets

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone

from hazri.accounts.backends import refusal_of
from hazri.accounts.models import DeviceToken, User
from hazri.accounts.signins import signin_audit
from hazri.common.errors import Forbidden


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def device_token_issue(
    *, request: HttpRequest | None, username: str, password: str, device_name: str
) -> tuple[DeviceToken, str]:
    """Log a device in; returns the stored token and the key, shown this once only. A
    locked username or address is a 429 (TooManyRequests, with its retry_after), a role
    that signs in with single sign-on only a 403 (hazri/accounts/backends.py)."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        refusal = refusal_of(request)
        if refusal is not None:
            raise refusal
        raise Forbidden("Wrong username or password.", field="password", code="bad_credentials")
    key = secrets.token_urlsafe(32)
    token = DeviceToken.objects.create(
        user=user, name=device_name[:100], key_digest=token_digest(key)
    )
    signin_audit(request=request, action="signin.token", user=user)
    return token, key


def device_token_revoke(*, token: DeviceToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


def user_set_language(*, user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
