"""Template helpers shared by every page."""

from typing import Any

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def local_name(obj: Any) -> str:
    """`name_local` (the name in Devanagari) on Hindi pages when there is one, else `name`."""
    name = getattr(obj, "name", "") or ""
    local = getattr(obj, "name_local", "") or ""
    if local and (translation.get_language() or "").startswith("hi"):
        return str(local)
    return str(name)
