"""The interop app's JSON API."""

from ninja import Router

router = Router(tags=["interop"])

# OneRoster 1.2 CSV (hazri.interop.oneroster).
from hazri.interop.oneroster.api import router as oneroster_router  # noqa: E402

router.add_router("", oneroster_router)
