"""The WSGI app that bench/floor.py loads into gunicorn: the production settings and
middleware, with this module as the URLconf. Its endpoints do less and less of what a
roll-call submit does, so the ingest figures can be read against what the framework
alone, and the least a stored roll call, cost a request on the same machine."""

from typing import Any

from django.conf import settings
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()  # django.setup(): the apps are loaded below
settings.ROOT_URLCONF = __name__  # read again at each request

from django.db import transaction  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from ninja import NinjaAPI  # noqa: E402

from hazri.accounts.auth import DeviceTokenAuth  # noqa: E402
from hazri.attendance import rules  # noqa: E402
from hazri.attendance.models import Approval, RollCall, Timing  # noqa: E402
from hazri.attendance.schemas import SingleRollCallIn  # noqa: E402
from hazri.attendance.services.common import rosters_for  # noqa: E402
from hazri.audit.services import audit_records  # noqa: E402
from hazri.common import sql  # noqa: E402
from hazri.dashboards.services import schooldays_refresh  # noqa: E402
from hazri.org.selectors import sections_by_id  # noqa: E402

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


@api.post("/store", auth=DeviceTokenAuth())
def store(request: HttpRequest, body: SingleRollCallIn) -> dict[str, Any]:
    """The least a stored roll call costs, with the functions a submit writes with: its
    section read (the rows name its school), then in one transaction its roster found,
    its row inserted, its school-day recounted and its audit row written. No rule is
    applied and nothing they need is read (postings, repeats, policy, calendar, roll,
    versions): the row is stored as a version that is not current, numbered from its
    UUID, so that no version is read or switched off."""
    section = sections_by_id([body.section])[body.section]
    marks = body.pairs()
    packed = "".join(code for _, code in marks)
    counts = rules.count_marks(packed)
    now = timezone.now()
    with transaction.atomic():
        [roster] = rosters_for([(section.school, [student for student, _ in marks])])
        row = {
            "school_id": section.school_id,
            "section_id": section.pk,
            "day": body.day,
            "meeting": body.meeting,
            "version": body.client_uuid.int % (2**31 - 1) + 1,
            "is_current": False,
            "client_uuid": body.client_uuid,
            "roster_id": roster.pk,
            "marks": packed,
            "present": counts.present,
            "absent": counts.absent,
            "leave": counts.leave,
            "duty": counts.duty,
            "device_captured_at": body.captured_at,
            "captured_at": body.captured_at,
            "clock_skew_seconds": 0,
            "received_at": now,
            "updated_at": now,
            "taken_by_id": request.user.pk,
            "device_id": request.device.pk,  # type: ignore[attr-defined]
            "timing": Timing.ON_TIME,
            "note": "",
            "approval": Approval.NONE,
            "decided_by_id": None,
            "decided_at": None,
            "decision_note": "",
        }
        [pk] = sql.insert_rows(RollCall, [row])
        schooldays_refresh(days=[(section.school, body.day)], staff=False)
        sheet = sql.instance(RollCall, {**row, "id": pk})
        audit_records(
            user=request.user,
            events=[("rollcall.submit", sheet, section.school_id, {"version": sheet.version})],
        )
    return {"id": pk}


urlpatterns = [path("plain", plain), path("api/", api.urls)]
