"""Template helpers shared by every page."""

import datetime as dt
from typing import Any

from django import template

from hazri.common import localize

register = template.Library()


@register.filter
def local_name(obj: Any) -> str:
    """`name_local` (the name in the local script) where the page's language writes that
    script (Devanagari on Hindi pages, Persian on Persian ones), else `name`."""
    name = getattr(obj, "name", "") or ""
    local = getattr(obj, "name_local", "") or ""
    return localize.local_name(str(name), str(local))


@register.filter
def num(value: Any, places: int | None = None) -> str:
    """A number as the page's language writes it (1,00,000 · 100 000 · ۱۰۰٬۰۰۰); anything
    else unchanged. Never in a URL, a form value or a data- attribute."""
    return localize.number(value, places)


@register.filter(expects_localtime=True)
def day(value: Any, fmt: str = "j F Y") -> str:
    """A day or moment in the page's calendar (Jalali in Persian), by Django's format
    letters; a moment in the current time zone, as Django's `date` filter shows it."""
    if not isinstance(value, dt.date):
        return ""
    return localize.day(value, fmt)


@register.filter
def month(value: Any) -> str:
    """A month as a register covers it (the Jalali months it spans, in Persian)."""
    return localize.month(value) if isinstance(value, dt.date) else ""


@register.filter(expects_localtime=True)
def clock(value: Any) -> str:
    """A time of day (or a moment's, in the current time zone) as 09:05, in the page's
    digits (۰۹:۰۵ in Persian)."""
    if not isinstance(value, dt.time | dt.datetime):
        return ""
    return localize.digits(f"{value.hour:02d}:{value.minute:02d}")
