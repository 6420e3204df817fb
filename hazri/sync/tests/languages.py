"""The offline app's languages in tests: a few strings in Persian and Russian (tests/
data/locale, put first in LOCALE_PATHS, so the tests do not wait for the whole
catalogues), the CLDR plural rules for whole numbers, and the Jalali calendar."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hazri.sync import views

TEST_LOCALE = Path(__file__).resolve().parent / "data" / "locale"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
JALALI_MONTHS = [
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
]  # fmt: skip


@pytest.fixture
def app_languages(settings: Any) -> Iterator[None]:
    """The test catalogues first, and Persian and Russian among the site's languages."""
    settings.LOCALE_PATHS = [TEST_LOCALE, *settings.LOCALE_PATHS]
    known = dict(settings.LANGUAGES)
    settings.LANGUAGES = [*known.items()] + [
        (code, name) for code, name in [("fa", "Persian"), ("ru", "Russian")] if code not in known
    ]
    views.strings_json.cache_clear()
    yield
    views.strings_json.cache_clear()


def cldr_category(language: str, n: int) -> str:
    """CLDR's plural category of a whole number n ≥ 0 (the rules Intl.PluralRules uses)."""
    if language == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    if language in ("hi", "fa"):
        return "one" if n in (0, 1) else "other"
    return "one" if n == 1 else "other"


def persian_digits(number: int) -> str:
    return "".join(PERSIAN_DIGITS[int(d)] for d in str(number))


def jalali(year: int, month: int, day: int) -> tuple[int, int, int]:
    """The Jalali (Persian) date of a Gregorian one (the jalaali-js arithmetic)."""
    before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
    leap_year = year + 1 if month > 2 else year
    days = (
        355666 + 365 * year + (leap_year + 3) // 4 - (leap_year + 99) // 100
        + (leap_year + 399) // 400 + day + before[month - 1]
    )  # fmt: skip
    jy = -1595 + 33 * (days // 12053)
    days %= 12053
    jy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        jy += (days - 1) // 365
        days = (days - 1) % 365
    if days < 186:
        return jy, 1 + days // 31, 1 + days % 31
    return jy, 7 + (days - 186) // 30, 1 + (days - 186) % 30
