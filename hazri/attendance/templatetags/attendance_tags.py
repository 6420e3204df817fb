"""Template helpers of the attendance pages."""

from django import template

from hazri.attendance.views.base import MARK_CHOICES, MARK_WORDS

register = template.Library()


@register.filter
def mark_word(code: str) -> str:
    """P -> Present (उपस्थित): the code stays the same in every language, the word follows."""
    word = MARK_WORDS.get(code)
    return str(word) if word is not None else ""


@register.simple_tag
def mark_choices() -> list[tuple[str, str]]:
    """The four marks with their words, in the order the chips show them."""
    return [(code, str(word)) for code, word in MARK_CHOICES]
