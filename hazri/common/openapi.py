"""The committed OpenAPI document (docs/openapi.json) and how to render it from code."""

import json
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

SNAPSHOT = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def openapi_text() -> str:
    # The API is put together above every app (settings.HAZRI_API names it, as
    # ROOT_URLCONF names the URLs), so common finds it by name, not by import.
    api = import_string(settings.HAZRI_API)

    return json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
