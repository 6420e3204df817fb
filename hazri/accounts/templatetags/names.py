"""`{{ user|person_name }}`: the one way a template names someone (hazri.accounts.names)."""

from typing import Any

from django import template

from hazri.accounts.names import person_name as _person_name

register = template.Library()


@register.filter
def person_name(user: Any) -> str:
    return _person_name(user)
