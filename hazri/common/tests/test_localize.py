"""Days, months, moments and numbers per language (common.localize, the hazri_tags filters)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from hazri.common import localize


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["0", "999", "1,000", "1,00,000", "12,34,567", "-5,00,000", "93.3"]),
        ("hi", ["0", "999", "1,000", "1,00,000", "12,34,567", "-5,00,000", "93.3"]),
        ("ru", ["0", "999", "1\xa0000", "100\xa0000", "1\xa0234\xa0567", "-500\xa0000", "93,3"]),
        ("fa", ["۰", "۹۹۹", "۱٬۰۰۰", "۱۰۰٬۰۰۰", "۱٬۲۳۴٬۵۶۷", "-۵۰۰٬۰۰۰", "۹۳٫۳"]),
    ],
)
def test_numbers_are_grouped_and_written_per_language(language, expected) -> None:
    with translation.override(language):
        got = [localize.number(n) for n in (0, 999, 1000, 100000, 1234567, -500000, 93.3)]
    assert got == expected


def test_decimals_and_what_is_no_number() -> None:
    with translation.override("fa"):
        # Half up, as every figure is rounded (common.figures): 6.25 is 6.3, not 6.2.
        assert localize.number(Decimal("6.25"), 1) == localize.number(6.25, 1) == "۶٫۳"
        assert localize.number(80.0, 1) == "۸۰٫۰"
        assert localize.percent(62.5) == "۶۲٫۵٪"
        assert localize.number("A") == "A" and localize.number("–") == "–"
        assert localize.number(None) == ""
    with translation.override("en"):
        assert localize.number(1234567.25, 2) == "12,34,567.25"
        assert localize.percent(62.5) == "62.5%"


def test_persian_days_are_jalali_with_persian_names_and_digits() -> None:
    with translation.override("fa"):
        assert localize.day(dt.date(2026, 3, 21)) == "۱ فروردین ۱۴۰۵"  # Nowruz
        assert localize.day(dt.date(2026, 12, 7), "l، j F Y") == "دوشنبه، ۱۶ آذر ۱۴۰۵"
        assert localize.day(dt.date(2026, 11, 18), "Y/m/d") == "۱۴۰۵/۰۸/۲۷"
        assert localize.day(dt.date(2026, 11, 21), "D") == "ش"  # Saturday starts the week
        moment = dt.datetime(2026, 10, 1, 9, 5)
        assert localize.moment(moment, "j M, H:i") == "۹ مهر، ۰۹:۰۵"


def test_a_gregorian_month_in_persian_names_the_jalali_months_it_spans() -> None:
    with translation.override("fa"):
        october = localize.month(dt.date(2026, 10, 1))
        march = localize.month(dt.date(2026, 3, 1))
    assert october.startswith("مهر–آبان ۱۴۰۵ (") and "۲۰۲۶" in october
    assert march.startswith("اسفند ۱۴۰۴ – فروردین ۱۴۰۵")


def test_russian_days_put_the_month_in_the_genitive_after_a_day() -> None:
    with translation.override("ru"):
        assert localize.day(dt.date(2026, 12, 7)) == "7 декабря 2026"
        assert localize.month(dt.date(2026, 12, 1)) != localize.day(dt.date(2026, 12, 1), "j F Y")
    with translation.override("en"):
        assert localize.day(dt.date(2026, 12, 7)) == "7 December 2026"
        assert localize.month(dt.date(2026, 12, 1)) == "December 2026"


def test_a_local_name_is_shown_where_the_language_writes_its_script() -> None:
    for language, local, shown in [
        ("hi", "ज़ोया ख़ान", "ज़ोया ख़ान"),
        ("fa", "ज़ोया ख़ान", "Zoya Khan"),
        ("fa", "زهرا محمدی", "زهرا محمدی"),
        ("hi", "زهرا محمدی", "Zoya Khan"),
        ("ru", "Зоя Хан", "Зоя Хан"),
        ("en", "ज़ोया ख़ान", "Zoya Khan"),
        ("hi", "", "Zoya Khan"),
    ]:
        with translation.override(language):
            assert localize.local_name("Zoya Khan", local) == shown, (language, local)


def test_the_filters_show_a_moment_in_the_current_time_zone() -> None:
    template = Template('{% load hazri_tags %}{{ at|day:"j F Y, H:i" }}|{{ n|num }}|{{ x|day }}')
    at = dt.datetime(2026, 10, 1, 20, 0, tzinfo=dt.UTC)  # 01:30 the next day in India
    with timezone.override(ZoneInfo("Asia/Kolkata")), translation.override("fa"):
        text = template.render(Context({"at": at, "n": 250000, "x": "not a day"}))
    assert text == "۱۰ مهر ۱۴۰۵، ۰۱:۳۰|۲۵۰٬۰۰۰|"
