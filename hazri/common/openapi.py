"""The committed OpenAPI document (docs/openapi.json) and how to render it from code."""

import json
from pathlib import Path

from django.conf import settings

SNAPSHOT = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def openapi_text() -> str:
    from config.api import api

    return json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
