"""A family with no account proves its phone number with a code sent by SMS (through
notify): the code expires, allows a few tries, and an address that keeps guessing is
locked."""

import datetime as dt
import logging
import re

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from hazri.admissions.models import PhoneCheck
from hazri.admissions.services import phone_code_check, phone_code_send, phone_of_token
from hazri.admissions.services.phone import CODE_MINUTES, MAX_ATTEMPTS, MAX_CODES_PER_HOUR
from hazri.common.errors import Invalid, TooManyRequests
from hazri.notify.tests.helpers import gateway  # noqa: F401

from .adm_world import PHONE, code_from_log

pytestmark = pytest.mark.django_db
CONSOLE = override_settings(HAZRI_NOTIFY_DEFAULT_CHANNELS=["console"])


def _code_from_log(caplog: pytest.LogCaptureFixture) -> str:
    return code_from_log(caplog.text)


@CONSOLE
def test_code_sent_through_the_console_then_verified(
    caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks
) -> None:
    caplog.set_level(logging.INFO, logger="hazri.notify")
    with django_capture_on_commit_callbacks(execute=True):
        sent = phone_code_send(phone="98765 43210")
    assert sent.phone == PHONE
    code = _code_from_log(caplog)
    # Only the digest is stored.
    assert code not in PhoneCheck.objects.get().code_digest
    verified = phone_code_check(phone=PHONE, code=code)
    assert phone_of_token(verified.token) == PHONE
    assert phone_of_token("not-a-token") is None
    # Used once: the same code does not verify again.
    with pytest.raises(Invalid) as again:
        phone_code_check(phone=PHONE, code=code)
    assert again.value.code == "code_expired"


@override_settings(HAZRI_NOTIFY_DEFAULT_CHANNELS=["sms"])
def test_code_sent_by_sms(gateway, django_capture_on_commit_callbacks) -> None:  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        phone_code_send(phone=PHONE)
    (sms,) = gateway.sent
    assert sms["to"] == PHONE and sms["template_id"] == "1107170000000000202"
    assert re.search(r"[0-9]{6}", sms["text"])


@CONSOLE
def test_a_code_expires(caplog, django_capture_on_commit_callbacks) -> None:
    caplog.set_level(logging.INFO, logger="hazri.notify")
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        phone_code_send(phone=PHONE, now=start)
    code = _code_from_log(caplog)
    late = start + dt.timedelta(minutes=CODE_MINUTES, seconds=1)
    with pytest.raises(Invalid) as refused:
        phone_code_check(phone=PHONE, code=code, now=late)
    assert refused.value.code == "code_expired" and refused.value.field == "code"


@CONSOLE
def test_tries_are_limited(caplog, django_capture_on_commit_callbacks) -> None:
    caplog.set_level(logging.INFO, logger="hazri.notify")
    with django_capture_on_commit_callbacks(execute=True):
        phone_code_send(phone=PHONE)
    code = _code_from_log(caplog)
    wrong = "000000" if code != "000000" else "111111"
    for _n in range(MAX_ATTEMPTS):
        with pytest.raises(Invalid) as refused:
            phone_code_check(phone=PHONE, code=wrong)
        assert refused.value.code == "wrong_code"
    assert PhoneCheck.objects.get().attempts == MAX_ATTEMPTS
    # Even the right code is refused now: a new one must be asked for.
    with pytest.raises(Invalid) as refused:
        phone_code_check(phone=PHONE, code=code)
    assert refused.value.code == "too_many_tries"


def test_a_new_code_replaces_the_old(caplog, django_capture_on_commit_callbacks) -> None:
    caplog.set_level(logging.INFO, logger="hazri.notify")
    with CONSOLE, django_capture_on_commit_callbacks(execute=True):
        phone_code_send(phone=PHONE)
    first = _code_from_log(caplog)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):
        with CONSOLE, django_capture_on_commit_callbacks(execute=True):
            phone_code_send(phone=PHONE)
        second = _code_from_log(caplog)
        if first != second:
            with pytest.raises(Invalid):
                phone_code_check(phone=PHONE, code=first)
        assert phone_code_check(phone=PHONE, code=second).phone == PHONE


@CONSOLE
def test_codes_per_hour_are_limited() -> None:
    for _n in range(MAX_CODES_PER_HOUR):
        phone_code_send(phone=PHONE)
    with pytest.raises(TooManyRequests) as refused:
        phone_code_send(phone=PHONE)
    assert refused.value.field == "phone"
    # Another number is not held back.
    phone_code_send(phone="9123456780")


def test_a_bad_number_is_refused() -> None:
    for bad in ("", "12345", "98765abcde", "+" + "9" * 16, "98765\x0043210"):
        with pytest.raises(Invalid) as refused:
            phone_code_send(phone=bad)
        assert refused.value.field == "phone"
    assert not PhoneCheck.objects.exists()
