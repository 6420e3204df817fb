"""Days, months, moments and numbers as the active language writes them (docs/languages.md).

- en, hi: the Gregorian calendar (Hindi month and weekday names from our catalogue,
  hazri/common/l10n.py), Latin digits, Indian grouping: 1,00,000.
- ru: Russian dates ("7 декабря 2026": the month in the genitive after a day), grouping
  by a (no-break) space: 100 000, a decimal comma.
- fa: the Jalali (solar hijri) calendar with Persian month and weekday names, Persian
  digits (۰۱۲۳۴۵۶۷۸۹), ٬ between thousands and ٫ before decimals.

For what people read only: never for a URL, a form value, a data- attribute or JSON
(those keep ISO dates and plain digits). Formats are Django's date format letters; the
Jalali formatter knows the ones Hazri uses (d j D l F M N E Y y m n H i G).
"""

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from fractions import Fraction

import jdatetime
from django.utils import translation
from django.utils.formats import date_format

from hazri.common.figures import round_half_up

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
# Grouping and decimal separators by language; any other: Indian grouping, 1,00,000.
_SEPARATORS = {"fa": ("٬", "٫"), "ru": ("\u00a0", ",")}
# The Jalali weekday names start on Saturday (jdatetime's weekday() 0).
_JALALI_WEEKDAY_SHORT = ("ش", "ی", "د", "س", "چ", "پ", "ج")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def persian() -> bool:
    return language() == "fa"


# The script a language writes names in, by the Unicode names of its letters.
_SCRIPT = {"hi": "DEVANAGARI", "fa": "ARABIC", "ru": "CYRILLIC"}


def local_name(name: str, name_local: str) -> str:
    """`name_local` (a name as written in the local script) where the page's language
    writes that script (Devanagari on a Hindi page, Persian on a Persian one), else `name`."""
    script = _SCRIPT.get(language())
    if name_local and script:
        letters = [c for c in name_local if c.isalpha()]
        if letters and unicodedata.name(letters[0], "").startswith(script):
            return name_local
    return name


def digits(text: str) -> str:
    """Latin digits written the active language's way (Persian digits in fa)."""
    return text.translate(PERSIAN_DIGITS) if persian() else text


def _group(whole: str, indian: bool, separator: str) -> str:
    if len(whole) <= 3:
        return whole
    head, tail = whole[:-3], whole[-3:]
    size = 2 if indian else 3
    groups: list[str] = []
    while head:
        groups.insert(0, head[-size:])
        head = head[:-size]
    return separator.join([*groups, tail])


def number(value: int | float | Decimal | Fraction | str | None, places: int | None = None) -> str:
    """A number for reading: 1,00,000 (en, hi), 100 000 (ru), ۱۰۰٬۰۰۰ (fa).

    `places` fixes the decimals; without it a float or Decimal keeps the digits it has
    (93.3 stays 93.3). Anything that is not a number comes back as it was ("–", "A")."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if places is not None and not isinstance(value, str):
        # Rounded by the house's one rule (half up, common.figures); a float as it reads.
        exact = Decimal(repr(value)) if isinstance(value, float) else value
        text = str(round_half_up(exact, places))
    elif isinstance(value, Fraction):
        text = str(Decimal(value.numerator) / Decimal(value.denominator))
    else:
        text = str(value)
    if not _NUMBER.fullmatch(text):
        return text
    sign = "-" if text.startswith("-") else ""
    whole, _, decimals = text.lstrip("-").partition(".")
    lang = language()
    grouping, point = _SEPARATORS.get(lang, (",", "."))
    out = sign + _group(whole, lang not in _SEPARATORS, grouping)
    if decimals:
        out += point + decimals
    return digits(out)


def percent(value: float | Decimal | None, places: int = 1) -> str:
    """80.0 -> "80.0%" ("۸۰٫۰٪" in Persian)."""
    if value is None:
        return ""
    return number(value, places) + ("٪" if persian() else "%")


def _jalali(value: dt.date | dt.datetime, fmt: str) -> str:
    moment = value if isinstance(value, dt.datetime) else None
    day = jdatetime.date.fromgregorian(date=moment.date() if moment is not None else value)
    months = jdatetime.date.j_months_fa
    weekdays = jdatetime.date.j_weekdays_fa
    parts = []
    escaped = False
    for letter in fmt:
        if escaped:
            parts.append(letter)
            escaped = False
        elif letter == "\\":
            escaped = True
        elif letter == "d":
            parts.append(f"{day.day:02d}")
        elif letter == "j":
            parts.append(str(day.day))
        elif letter == "D":
            parts.append(_JALALI_WEEKDAY_SHORT[day.weekday()])
        elif letter == "l":
            parts.append(weekdays[day.weekday()])
        elif letter in "FMNE":
            parts.append(months[day.month - 1])
        elif letter == "Y":
            parts.append(str(day.year))
        elif letter == "y":
            parts.append(f"{day.year % 100:02d}")
        elif letter == "m":
            parts.append(f"{day.month:02d}")
        elif letter == "n":
            parts.append(str(day.month))
        elif letter == ",":
            parts.append("،")  # the Persian comma
        elif letter in "HGi" and moment is not None:
            parts.append(
                {"H": f"{moment.hour:02d}", "G": str(moment.hour), "i": f"{moment.minute:02d}"}[
                    letter
                ]
            )
        else:
            parts.append(letter)
    return digits("".join(parts))


def day(value: dt.date | dt.datetime | None, fmt: str = "j F Y") -> str:
    """A day (or a moment, with H and i in `fmt`) in the active language's calendar."""
    if value is None:
        return ""
    lang = language()
    if lang == "fa":
        return _jalali(value, fmt)
    if lang == "ru" and "F" in fmt and ("j" in fmt or "d" in fmt):
        fmt = fmt.replace("F", "E")  # "7 декабря": the genitive after a day
    return date_format(value, fmt)


def moment(value: dt.datetime | None, fmt: str = "j F Y, H:i") -> str:
    """A moment, already in the zone it is read in."""
    return day(value, fmt)


def month(value: dt.date | None) -> str:
    """A (Gregorian) month, as a register covers it: "December 2026"; in Persian, the
    Jalali months it spans and the Gregorian month: "آذر–دی ۱۴۰۵ (دسامبر ۲۰۲۶)"."""
    if value is None:
        return ""
    if not persian():
        return date_format(value, "F Y")
    first = value.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    start = jdatetime.date.fromgregorian(date=first)
    end = jdatetime.date.fromgregorian(date=last)
    names = jdatetime.date.j_months_fa
    if start.year == end.year:
        span = f"{names[start.month - 1]}–{names[end.month - 1]} {end.year}"
    else:
        span = f"{names[start.month - 1]} {start.year} – {names[end.month - 1]} {end.year}"
    return digits(f"{span} ({date_format(first, 'F Y')})")
