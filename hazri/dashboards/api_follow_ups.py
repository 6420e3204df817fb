"""The follow-ups of a student's weak attendance, as JSON: what the school and the
officers over it noted and did."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of, restrict
from hazri.accounts.names import person_name
from hazri.common.api import ErrorOut, PathId, request_user
from hazri.dashboards import schemas, services
from hazri.dashboards.models import FollowUp

router = Router(tags=["dashboards"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


def _follow_up_out(f: FollowUp) -> dict[str, Any]:
    return {
        "id": f.pk,
        "school": f.school_id,
        "reason": f.reason,
        "action": f.action,
        "note": f.note,
        "recorded_by": f.recorded_by.get_username(),
        "recorded_by_name": person_name(f.recorded_by),
        "recorded_at": f.recorded_at,
    }


@router.get(
    "/students/{student_id}/follow-ups",
    response={200: list[schemas.FollowUpOut], **ERRORS},
    summary="The follow-ups of a student's weak attendance",
    operation_id="hazri_dashboards_api_follow_ups",  # as before the module was split
)
def follow_ups(request: HttpRequest, student_id: PathId) -> Any:
    student = access.student_visible(request.user, student_id)
    # The school's notes: the staff and officers of the schools that wrote them.
    mine = restrict(FollowUp.objects.filter(student=student), actor_of(request), Action.VIEW)
    return [_follow_up_out(f) for f in mine.select_related("recorded_by").order_by("recorded_at")]


@router.post(
    "/students/{student_id}/follow-ups",
    response={201: schemas.FollowUpOut, **ERRORS},
    summary="Record the reason for weak attendance and the action taken",
    operation_id="hazri_dashboards_api_add_follow_up",
)
def add_follow_up(request: HttpRequest, student_id: PathId, payload: schemas.FollowUpIn) -> Any:
    student = access.student_visible(request.user, student_id)
    found = access.school_visible(request.user, payload.school)
    made = services.followup_add(
        student=student,
        school=found,
        reason=payload.reason,
        action=payload.action,
        note=payload.note,
        by=request_user(request),
    )
    return Status(201, _follow_up_out(made))
