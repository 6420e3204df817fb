"""API authentication: a device's bearer token, or the browser's session."""

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from hazri.accounts.models import DeviceToken
from hazri.accounts.services import token_digest


class DeviceTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):  # type: ignore[no-untyped-def]
        found = (
            DeviceToken.objects.select_related("user")
            .filter(key_digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        # A bearer token that is wrong, revoked or expired is a 401 at once: falling
        # through to the session check would answer with a confusing CSRF 403.
        if found is None:
            raise AuthenticationError(401, "This device's login is not valid: log in again.")
        now = timezone.now()
        idle = dt.timedelta(days=settings.HAZRI_DEVICE_TOKEN_IDLE_DAYS)
        last = found.last_used_at or found.created_at
        if now - last > idle:
            raise AuthenticationError(401, "This device's login has expired: log in again.")
        # One write an hour at most, not one per request.
        if found.last_used_at is None or now - found.last_used_at > dt.timedelta(hours=1):
            found.last_used_at = now
            found.save(update_fields=["last_used_at"])
        request.device = found  # type: ignore[attr-defined]
        request.user = found.user
        return found.user


api_auth = [DeviceTokenAuth(), SessionAuth()]
