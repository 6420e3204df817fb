"""India's DLT rules for every SMS template: registered id, at most two variables of at
most 30 characters, a 6-letter sender header, English and Hindi
(Persian and Russian readers get the English SMS: docs/languages.md)."""

import re

from django.conf import settings

from hazri.notify.models import Kind
from hazri.notify.texts import (
    DLT_LANGUAGES,
    MAX_VARIABLE_CHARS,
    SENDER_HEADER,
    SMS_TEMPLATES,
    VAR,
    fit,
    sms_of,
)


def test_every_template_obeys_the_rules():
    ids = [t.template_id for t in SMS_TEMPLATES.values()]
    assert len(set(ids)) == len(ids)
    for (kind, language), template in SMS_TEMPLATES.items():
        assert re.fullmatch(r"[0-9]{19}", template.template_id), (kind, language)
        assert template.text.count(VAR) == len(template.variables) <= 2, (kind, language)
        # Nothing in a template looks like a variable but the registered marker.
        assert "{" not in template.text.replace(VAR, ""), (kind, language)
    for kind in Kind:
        for language in DLT_LANGUAGES:
            assert (kind, language) in SMS_TEMPLATES
    # The other languages of the pages have no registered SMS: they get the English one.
    assert {language for _kind, language in SMS_TEMPLATES} == set(DLT_LANGUAGES)


def test_the_sender_header_is_six_letters():
    assert SENDER_HEADER.fullmatch(settings.HAZRI_SMS_GATEWAY["SENDER"])
    assert not SENDER_HEADER.fullmatch("HAZRI") and not SENDER_HEADER.fullmatch("HAZRI1")


def test_variables_are_cut_to_thirty_characters():
    long = "Aarav Sharma Ramesh Kumar Verma Singh Chauhan"
    assert len(fit(long)) == MAX_VARIABLE_CHARS
    sms = sms_of(Kind.ABSENCE, "en", {"child": long, "day": "18-11-2026"})
    assert all(len(v) <= MAX_VARIABLE_CHARS for v in sms.values)
    assert VAR not in sms.text and sms.values[0] in sms.text
    assert fit("a\nb\tc") == "a b c"
