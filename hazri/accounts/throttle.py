"""The failed-login throttle: wrong passwords counted per username and per address.

`settings.HAZRI_LOGIN_FAILURES` wrong passwords for one username within
`HAZRI_LOGIN_WINDOW_MINUTES` lock that username for `HAZRI_LOGIN_LOCK_MINUTES`,
whether or not an account has that name (the answer must not tell). Across usernames,
`HAZRI_LOGIN_IP_FAILURES` from one address lock the address for
`HAZRI_LOGIN_IP_LOCK_MINUTES`. While either is locked even the right password is
refused; a right password resets its username's count (not its address's: one good
account must not buy an address more guesses at others).

The counts live in the database (one `LoginThrottle` row per key), so every gunicorn
worker and app server sees the same ones, on SQLite as on PostgreSQL. Each failure is a
read-modify-write of its row under SELECT … FOR UPDATE in one transaction (SQLite's
writers take the database lock at BEGIN): two workers failing at once count two.

The trade-off: anyone may lock a username by sending it wrong passwords, the head's
included. The lock is short and the username's only (a device already logged in keeps
its token, single sign-on is not affected), and the address limit caps how many
usernames one address can keep locked; each lock is in the audit trail with its address.
"""

import datetime as dt
import math

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from hazri.accounts.models import LoginThrottle
from hazri.common.errors import TooManyRequests

USERNAME_LIMIT = 150  # Django's username field; longer tries are cut to it


def client_ip(request: HttpRequest | None) -> str:
    """The caller's address: the proxy's header's last entry where one is configured
    (HAZRI_CLIENT_IP_HEADER), otherwise the connection's."""
    if request is None:
        return ""
    header = settings.HAZRI_CLIENT_IP_HEADER
    if header:
        value = request.headers.get(header, "")
        last = value.rsplit(",", 1)[-1].strip()
        if last:
            return last[:45]
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def _keys(username: str, ip: str) -> list[str]:
    keys = [f"user:{username[:USERNAME_LIMIT].casefold()}"]
    if ip:
        keys.append(f"ip:{ip}")
    return keys


class LoginLocked(TooManyRequests):
    """A username or an address locked after too many wrong passwords."""

    def __init__(self, until: dt.datetime, now: dt.datetime) -> None:
        seconds = max(1, math.ceil((until - now).total_seconds()))
        minutes = math.ceil(seconds / 60)
        message = ngettext(
            "Too many failed logins. Try again in %(minutes)d minute.",
            "Too many failed logins. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        super().__init__(message, retry_after=seconds, field="username", code="locked")
        self.until = until


def locked_until(username: str, ip: str, now: dt.datetime) -> dt.datetime | None:
    """When the later of the username's and the address's locks ends; None if neither."""
    found: dt.datetime | None = LoginThrottle.objects.filter(
        key__in=_keys(username, ip), locked_until__gt=now
    ).aggregate(until=Max("locked_until"))["until"]
    return found


def _count(key: str, limit: int, lock_minutes: int, now: dt.datetime) -> dt.datetime | None:
    """One more failure for the key; returns the end of the lock it starts, if it does."""
    window = dt.timedelta(minutes=settings.HAZRI_LOGIN_WINDOW_MINUTES)
    row, _ = LoginThrottle.objects.select_for_update().get_or_create(
        key=key, defaults={"since": now}
    )
    if now - row.since > window or (row.locked_until is not None and row.locked_until <= now):
        # A new window (or the end of a lock) starts counting again.
        row.failures, row.since, row.locked_until = 0, now, None
    row.failures += 1
    started = None
    if row.failures >= limit:
        row.locked_until = started = now + dt.timedelta(minutes=lock_minutes)
        row.failures = 0
    row.save(update_fields=["failures", "since", "locked_until"])
    return started


def login_failed(username: str, ip: str, now: dt.datetime) -> dt.datetime | None:
    """Count a wrong password for the username and the address; returns when the lock
    that this failure starts ends, if it starts one."""
    user_key, *ip_key = _keys(username, ip)
    with transaction.atomic():
        ends = [
            _count(user_key, settings.HAZRI_LOGIN_FAILURES, settings.HAZRI_LOGIN_LOCK_MINUTES, now)
        ]
        for key in ip_key:
            ends.append(
                _count(
                    key,
                    settings.HAZRI_LOGIN_IP_FAILURES,
                    settings.HAZRI_LOGIN_IP_LOCK_MINUTES,
                    now,
                )
            )
    started = [end for end in ends if end is not None]
    return max(started) if started else None


def login_succeeded(username: str) -> None:
    """A right password: the username's count starts again."""
    LoginThrottle.objects.filter(key=_keys(username, "")[0]).delete()


def throttle_prune(*, now: dt.datetime | None = None) -> int:
    """Drop the rows whose window and lock are both over (the scheduler may call it)."""
    now = now or timezone.now()
    window = dt.timedelta(minutes=settings.HAZRI_LOGIN_WINDOW_MINUTES)
    stale = LoginThrottle.objects.filter(since__lt=now - window).exclude(locked_until__gt=now)
    return stale.delete()[0]


# --- Guessing other secrets: invitation codes --------------------------------------------


def guess_locked(scope: str, ip: str, now: dt.datetime) -> dt.datetime | None:
    """When the address's lock on guessing this kind of secret ends; None if none."""
    if not ip:
        return None
    found: dt.datetime | None = LoginThrottle.objects.filter(
        key=f"{scope}:ip:{ip}", locked_until__gt=now
    ).aggregate(until=Max("locked_until"))["until"]
    return found


def guess_failed(scope: str, ip: str, now: dt.datetime) -> dt.datetime | None:
    """A wrong guess from the address (a code that does not exist): counted under the
    address's limit (HAZRI_LOGIN_IP_FAILURES), never under anyone's username."""
    if not ip:
        return None
    with transaction.atomic():
        return _count(
            f"{scope}:ip:{ip}",
            settings.HAZRI_LOGIN_IP_FAILURES,
            settings.HAZRI_LOGIN_IP_LOCK_MINUTES,
            now,
        )
