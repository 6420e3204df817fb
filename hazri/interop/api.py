"""The interop app's JSON API."""

from ninja import Router

router = Router(tags=["interop"])
