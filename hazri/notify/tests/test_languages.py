"""Notices in Persian and Russian: the e-mail (and push, and log) in the guardian's
language, the SMS by the English DLT template, since only English and Hindi are
registered (docs/languages.md)."""

import pytest
from django.core import mail
from django.test import override_settings

from hazri.notify import kinds, queue
from hazri.notify.models import Kind
from hazri.notify.tests.helpers import at, codes_with, gateway, mark  # noqa: F401
from hazri.notify.texts import SMS_TEMPLATES, message_of
from hazri.people.models import Guardian

ABSENCE = {"child": "Zoya Khan", "school": "GPS Rampur", "day": "2026-11-18"}


def test_a_persian_notice_has_the_jalali_day_and_persian_words_its_sms_is_english():
    message = message_of(Kind.ABSENCE, "fa", ABSENCE)
    english = message_of(Kind.ABSENCE, "en", ABSENCE)
    assert "۱۴۰۵/۰۸/۲۷" in message.body  # 18 November 2026 is 27 Aban 1405
    assert "2026" not in message.body and message.body != english.body
    assert any("\u0600" <= char <= "\u06ff" for char in message.subject)
    assert message.sms == english.sms  # the registered English template, plain digits
    assert message.sms.template_id == SMS_TEMPLATES[(Kind.ABSENCE, "en")].template_id
    assert "18-11-2026" in message.sms.text


def test_a_russian_notice_has_a_russian_day_and_figures():
    message = message_of(Kind.ABSENCE, "ru", ABSENCE)
    assert "18.11.2026" in message.body
    assert any("\u0400" <= char <= "\u04ff" for char in message.body)
    low = message_of(
        Kind.LOW_ATTENDANCE,
        "ru",
        {**ABSENCE, "percent": "62.5%", "month": "2026-10", "threshold": 75},
    )
    assert "62,5" in low.body and "Октябрь 2026" in low.body
    assert "62.5%" in low.sms.text  # the SMS keeps its registered English shape


def test_a_persian_name_written_by_the_school_is_used_on_a_persian_notice():
    params = {**ABSENCE, "child_local": "زهرا محمدی"}
    assert "زهرا محمدی" in message_of(Kind.ABSENCE, "fa", params).body
    # Not on a Russian one (another script), nor in the English SMS.
    assert "Zoya Khan" in message_of(Kind.ABSENCE, "ru", params).body
    assert "Zoya Khan" in message_of(Kind.ABSENCE, "fa", params).sms.text


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_the_email_goes_out_in_the_guardians_language(world, gateway):  # noqa: F811
    from hazri.notify.preferences import preference_set

    guardian = Guardian.objects.get(user=world.imran)
    guardian.email = "imran@example.org"
    guardian.save(update_fields=["email"])
    preference_set(
        guardian=guardian,
        channels=["email", "sms"],
        language="ru",
        quiet_start=None,
        quiet_end=None,
    )
    mark(world, codes_with(world, {world.students[1].pk}))
    kinds.absence_sweep(now=at(17, 0))
    assert queue.deliver_due(now=at(17, 1)).sent == 1
    (letter,) = mail.outbox
    assert letter.to == ["imran@example.org"]
    assert "18.11.2026" in letter.body
    assert any("\u0400" <= char <= "\u04ff" for char in letter.subject + letter.body)
