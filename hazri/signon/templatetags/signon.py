"""{% sso_name %}: the state's sign-on's name for the login button, or "" when off;
{% may_invite school %}: whether the user issues the school's invitations;
{% may "issue" school section %}: whether the user may do an action there (links shown
only to who may follow them)."""

from typing import Any

from django import template
from django.conf import settings

from hazri.accounts.access import Action, actor_of
from hazri.org.models import School, Section

register = template.Library()


@register.simple_tag
def sso_name() -> str:
    return settings.HAZRI_OIDC_NAME if settings.HAZRI_OIDC_ISSUER else ""


@register.simple_tag(takes_context=True)
def may_invite(context: dict[str, Any], school: School) -> bool:
    """{% may_invite school as can %}: whether the page's user issues the school's
    invitations (its head, its administrator, the superuser)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    return actor_of(request).may(Action.ADMIT, school) is not None


@register.simple_tag(takes_context=True)
def may(
    context: dict[str, Any], action: str, school: School, section: Section | None = None
) -> bool:
    """{% may "admit" school as can %} (or with a section): whether the page's user may
    do the action (an access.Action's value) at the school, or in the section."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    return actor_of(request).may(Action(action), school, section=section) is not None
