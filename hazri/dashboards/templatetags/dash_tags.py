"""Figures on the dashboard pages: a percentage, or a dash where there is none."""

from typing import Any

from django import template

from hazri.common import localize

register = template.Library()


@register.filter
def pct(value: Any) -> str:
    """80.0 -> "80.0%"; None (nothing marked) -> "—"."""
    if value is None or value == "":
        return "—"
    return localize.percent(float(value))


@register.filter
def sortvalue(value: Any) -> str:
    """The value a table column sorts by, unlocalised: "" for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


@register.filter
def per100(value: Any) -> str:
    """A rate per 100 (already rounded by hazri.common.figures): 2.5 -> "2.5"; None -> "—"."""
    if value is None or value == "":
        return "—"
    return localize.number(float(value), 1)
