"""API authentication: a device's bearer token, or the browser's session."""

import datetime as dt
import functools

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from hazri.accounts.models import DeviceToken, User
from hazri.accounts.services import token_digest
from hazri.common import sql


@functools.cache
def _token_query() -> tuple[str, list[object], int]:
    # Every request of a device runs this: the token and its user in one plain query.
    fields = sql.model_fields(DeviceToken) + sql.model_fields(User)
    query = (
        f"SELECT {sql.columns(DeviceToken, 't')}, {sql.columns(User, 'u')} "
        "FROM accounts_devicetoken t JOIN accounts_user u ON u.id = t.user_id "
        "WHERE t.key_digest = %s AND t.revoked_at IS NULL AND u.is_active = %s"
    )
    return query, fields, len(sql.model_fields(DeviceToken))


def device_token(token: str) -> DeviceToken | None:
    """The live (not revoked, active user) device token with this key, its user loaded."""
    query, fields, split = _token_query()
    rows = sql.select(query, [token_digest(token), True], fields)
    if not rows:
        return None
    found = sql.instance(DeviceToken, rows[0][:split])
    found.user = sql.instance(User, rows[0][split:])
    return found


class DeviceTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):  # type: ignore[no-untyped-def]
        found = device_token(token)
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


class BrowserSessionAuth(SessionAuth):
    """A page's session cookie, CSRF-checked as ninja checks it, but only where the
    session has logged someone in. A request with no session and no token carries no
    authority a forged request could borrow: it gets the 401 and the bearer challenge
    (a device that lost its token must be told to log in, not "CSRF check Failed")."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


api_auth = [DeviceTokenAuth(), BrowserSessionAuth()]
