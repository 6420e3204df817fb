"""Proving a phone number with a one-time code sent by SMS, for a family applying where
no sign-in is available.

A code is six digits, lives `CODE_MINUTES`, and allows `MAX_ATTEMPTS` tries; only its
digest is kept. A number may ask for `MAX_CODES_PER_HOUR` codes an hour. A wrong code
also counts against the caller's address, which is then locked as a guesser of
invitation codes is (signon.guard, same limits): six digits are guessable only by many
tries, and both limits stop them. The verified caller holds a token (its digest kept)
for `TOKEN_HOURS`, with which they apply and follow their applications.
"""

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazri.admissions.models import PhoneCheck
from hazri.admissions.rules import normal_phone
from hazri.admissions.signals import phone_code_sent
from hazri.common.errors import Invalid, TooManyRequests

CODE_DIGITS = 6
CODE_MINUTES = 10
MAX_ATTEMPTS = 5
MAX_CODES_PER_HOUR = 5
TOKEN_HOURS = 2
# The code counted against the caller's address by signon.guard.
WRONG_CODE = "wrong_code"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def phone_valid(text: str, field: str = "phone") -> str:
    phone = normal_phone(text)
    if phone is None:
        raise Invalid(
            _("Write the mobile number with 10 to 15 digits."), field=field, code="bad_phone"
        )
    return phone


@dataclass(frozen=True)
class CodeSent:
    phone: str
    expires_at: dt.datetime


@transaction.atomic(durable=True)
def phone_code_send(*, phone: str, now: dt.datetime | None = None) -> CodeSent:
    """A new code to the number (an older one still waiting stops working)."""
    now = now or timezone.now()
    phone = phone_valid(phone)
    recent = PhoneCheck.objects.filter(phone=phone, created_at__gte=now - dt.timedelta(hours=1))
    if recent.count() >= MAX_CODES_PER_HOUR:
        raise TooManyRequests(
            _("Too many codes were sent to this number. Try again in an hour."),
            retry_after=3600,
            field="phone",
            code="too_many_codes",
        )
    PhoneCheck.objects.filter(phone=phone, verified_at__isnull=True).update(
        expires_at=now  # the older codes: no longer good
    )
    code = "".join(secrets.choice("0123456789") for _n in range(CODE_DIGITS))
    check = PhoneCheck.objects.create(
        phone=phone,
        code_digest=_digest(code),
        expires_at=now + dt.timedelta(minutes=CODE_MINUTES),
    )
    transaction.on_commit(
        lambda: phone_code_sent.send(
            sender=PhoneCheck, phone=phone, code=code, minutes=CODE_MINUTES
        )
    )
    return CodeSent(phone=phone, expires_at=check.expires_at)


@dataclass(frozen=True)
class Verified:
    phone: str
    token: str
    expires_at: dt.datetime


def phone_code_check(*, phone: str, code: str, now: dt.datetime | None = None) -> Verified:
    """The token for the number, when `code` is the code last sent to it and still good.

    A wrong code is counted (and committed) before the refusal is raised, so a refusal
    cannot roll the count back."""
    now = now or timezone.now()
    phone = phone_valid(phone)
    code = "".join(code.split())
    with transaction.atomic(durable=True):
        check = (
            PhoneCheck.objects.select_for_update()
            .filter(phone=phone, verified_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at", "-pk")
            .first()
        )
        if check is None:
            refusal = Invalid(
                _("No code is waiting for this number, or it expired: ask for a new one."),
                field="code",
                code="code_expired",
            )
        elif check.attempts >= MAX_ATTEMPTS:
            refusal = Invalid(
                _("Too many wrong tries for this code: ask for a new one."),
                field="code",
                code="too_many_tries",
            )
        elif not hmac.compare_digest(check.code_digest, _digest(code)):
            check.attempts += 1
            check.save(update_fields=["attempts"])
            refusal = Invalid(_("That code is not right."), field="code", code=WRONG_CODE)
        else:
            token = secrets.token_urlsafe(32)
            check.verified_at = now
            check.token_digest = _digest(token)
            check.token_expires_at = now + dt.timedelta(hours=TOKEN_HOURS)
            check.save(update_fields=["verified_at", "token_digest", "token_expires_at"])
            return Verified(phone=phone, token=token, expires_at=check.token_expires_at)
    raise refusal


def phone_of_token(token: str, now: dt.datetime | None = None) -> str | None:
    """The verified number a token stands for, while it is good."""
    if not token or len(token) > 100:
        return None
    check = (
        PhoneCheck.objects.filter(
            token_digest=_digest(token), token_expires_at__gt=now or timezone.now()
        )
        .only("phone")
        .first()
    )
    return check.phone if check is not None else None
