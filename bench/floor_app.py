"""The WSGI app that bench/floor.py loads into gunicorn: the production settings and
middleware, with this module as the URLconf. Its endpoints do less and less of what a
roll-call submit does, so the ingest figures can be read against what the framework
alone costs a request on the same machine."""

from typing import Any

from django.conf import settings
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()  # django.setup(): the apps are loaded below
settings.ROOT_URLCONF = __name__  # read again at each request

from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from ninja import NinjaAPI  # noqa: E402

from hazri.accounts.auth import DeviceTokenAuth  # noqa: E402
from hazri.attendance.schemas import SingleRollCallIn  # noqa: E402

api = NinjaAPI(urls_namespace="floor", docs_url=None, openapi_url=None)


@csrf_exempt
def plain(request: HttpRequest) -> JsonResponse:
    """Django alone: the middleware, the URL resolver and a JSON answer."""
    return JsonResponse({"ok": True})


@api.post("/ninja")
def ninja(request: HttpRequest) -> dict[str, Any]:
    """Django Ninja around it, with no authentication and no body read."""
    return {"ok": True}


@api.post("/token", auth=DeviceTokenAuth())
def token(request: HttpRequest) -> dict[str, Any]:
    """The device's bearer token checked, as every API call does (one query)."""
    return {"user": request.user.pk}


@api.post("/parse", auth=DeviceTokenAuth())
def parse(request: HttpRequest, body: SingleRollCallIn) -> dict[str, Any]:
    """The token and the real roll-call schema: what a submit does before the rules."""
    return {"user": request.user.pk, "marks": len(body.codes or "")}


urlpatterns = [path("plain", plain), path("api/", api.urls)]
