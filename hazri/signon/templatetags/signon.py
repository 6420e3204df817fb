"""{% sso_name %}: the state's sign-on's name for the login button, or "" when off."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sso_name() -> str:
    return settings.HAZRI_OIDC_NAME if settings.HAZRI_OIDC_ISSUER else ""
