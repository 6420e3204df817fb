"""Text a person typed into a form or a request, checked once for every app."""

import re

from django.utils.translation import gettext as _

from hazri.common.api import NO_CONTROLS
from hazri.common.errors import Invalid


def clean_text(value: str, *, field: str, limit: int, required: bool = True) -> str:
    """Text as typed, trimmed; Invalid naming the field when empty, too long or holding
    a control character (the API's Text refuses them too; a form reaches here)."""
    value = value.strip()
    if required and not value:
        raise Invalid(_("Write something here."), field=field, code="required")
    if len(value) > limit:
        raise Invalid(
            _("This is longer than %(limit)s characters.") % {"limit": limit},
            field=field,
            code="too_long",
        )
    if not re.fullmatch(NO_CONTROLS, value):
        raise Invalid(_("This holds a control character."), field=field, code="control_character")
    return value
