"""Attendance endpoints: validate, fetch through the access selectors, delegate to services."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of, require
from hazri.accounts.models import User
from hazri.attendance import seams, selectors, services
from hazri.attendance.batch import (
    capture_of,
    rollcalls_batch,
    section_not_found,
    staff_batch,
    submit_staff,
    tell_replaced,
)
from hazri.attendance.models import RollCall
from hazri.attendance.presenters import (
    counts_out,
    rollcall_out,
    staff_rollcall_out,
)
from hazri.attendance.schemas import (
    BatchIn,
    BatchOut,
    RollCallHistoryOut,
    RostersOut,
    SchoolDayOut,
    SingleRollCallIn,
    StaffHistoryOut,
    StaffRollCallIn,
    StaffRollCallOut,
    SubmittedRollCallOut,
)
from hazri.audit.services import audit_record
from hazri.common.api import (
    Day,
    ErrorOut,
    PathId,
    UnavailableOut,
    request_user,
)
from hazri.common.jsonio import answer
from hazri.org import selectors as org
from hazri.people import selectors as people

router = Router(tags=["attendance"])
ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    503: UnavailableOut,
}


@router.post(
    "/rollcalls",
    response={200: SubmittedRollCallOut, 201: SubmittedRollCallOut, **ERRORS},
    summary="Submit one roll call",
)
def submit_rollcall(request: HttpRequest, payload: SingleRollCallIn) -> HttpResponse:
    """Store a roll call. Sending the same `client_uuid` again returns the stored
    roll call with 200 and changes nothing; a new one answers 201."""
    user = request_user(request)
    postings = access.postings_of(user)
    section = access.sections_visible(user, [payload.section], postings=postings).get(
        payload.section
    )
    if section is None:
        raise section_not_found(payload.section)
    submitted = services.rollcall_submit(
        section=section,
        day=payload.day,
        meeting=payload.meeting,
        marks=payload.pairs(),
        capture=capture_of(request, payload, payload.device_clock),
        by=user,
        postings=postings,
        ids_field=payload.ids_field(),
    )
    return answer(
        {**rollcall_out(submitted.sheet), "waits_for": submitted.waits_for},
        status=201 if submitted.created else 200,
    )


@router.post(
    "/rollcalls/batch",
    response={200: BatchOut, **ERRORS},
    summary="Submit many roll calls and staff roll calls (offline sync)",
)
def submit_batch(request: HttpRequest, payload: BatchIn) -> HttpResponse:
    """Each roll call is stored or rejected on its own: one bad roll call, even one
    that does not parse, does not block the others. Results come back in the order
    sent. See docs/sync.md."""
    clock, brief = payload.device_clock, payload.answer == "brief"
    user = request_user(request)
    skew = (timezone.now() - clock) if clock else dt.timedelta(0)
    return answer(
        {
            "results": tell_replaced(
                rollcalls_batch(request, payload.rollcalls, clock, brief), "rollcall", user
            ),
            "staff_results": tell_replaced(
                staff_batch(request, payload.staff_rollcalls, clock, brief),
                "staff_rollcall",
                user,
            ),
            "clock_skew_seconds": round(skew.total_seconds()),
            # Asked after the batch is stored (the dict is built in order): its own roll
            # calls are no news to the device.
            "changed_since_pull": _changed_since_pull(request, user),
        }
    )


def _changed_since_pull(request: HttpRequest, user: User) -> bool:
    """Whether the device's next pull would bring it anything (sync answers, through
    the seam); without sync, or when it cannot tell, the device should pull."""
    pulls = seams.device_pulls
    if pulls is None or pulls.changed_since is None:
        return True
    device = getattr(request, "device", None)
    return pulls.changed_since(user, device.pk if device is not None else None)


def _history(
    section_id: PathId, day: dt.date, meeting: int, request: HttpRequest
) -> dict[str, Any]:
    section = access.section_visible(request.user, section_id)
    versions = list(selectors.rollcall_versions(section=section, day=day, meeting=meeting))
    current = next((v for v in versions if v.is_current), None)
    if current is not None:
        audit_record(
            user=request.user, action="rollcall.view", obj=current, school_id=section.school_id
        )
    return {
        "section": section.pk,
        "day": day,
        "meeting": meeting,
        "current": rollcall_out(current) if current else None,
        "versions": [rollcall_out(v) for v in versions],
    }


@router.get(
    "/rollcalls/{rollcall_id}",
    response={200: RollCallHistoryOut, **ERRORS},
    summary="A roll call with its whole history",
)
def get_rollcall(request: HttpRequest, rollcall_id: PathId) -> dict[str, Any]:
    found = require(
        RollCall.objects.all(),
        actor_of(request),
        Action.VIEW,
        rollcall_id,
        field="rollcall_id",
        noun="roll call",
    )
    return _history(found.section_id, found.day, found.meeting, request)


class HistoryQuery(Schema):
    day: Day
    meeting: int = Field(
        1, ge=1, le=2, description="1 forenoon (or the daily meeting), 2 afternoon"
    )


@router.get(
    "/sections/{section_id}/rollcall",
    response={200: RollCallHistoryOut, **ERRORS},
    summary="The roll call of a section for a day and meeting, with history",
)
def section_rollcall(
    request: HttpRequest, section_id: PathId, query: Query[HistoryQuery]
) -> dict[str, Any]:
    return _history(section_id, query.day, query.meeting, request)


class DayQuery(Schema):
    day: Day | None = None


@router.get(
    "/schools/{school_id}/day",
    response={200: SchoolDayOut, **ERRORS},
    summary="A school's sections on a day, marked or not",
)
def school_day(request: HttpRequest, school_id: PathId, query: Query[DayQuery]) -> dict[str, Any]:
    school = access.school_visible(request.user, school_id)
    day = query.day or org.school_today(school)
    overview = selectors.school_day(school=school, day=day)
    return {
        "school": school.pk,
        "day": day,
        "school_day": overview.is_school_day,
        "day_kind": overview.status_kind,
        "day_name": overview.status_name,
        "meetings_per_day": len(overview.meetings),
        "staff_marked": overview.staff_current is not None,
        "sections": [
            {
                "id": s.section.pk,
                "grade": s.section.grade,
                "name": s.section.name,
                "on_roll": s.on_roll,
                "meetings": [
                    {
                        "meeting": m,
                        "marked": s.marked(m),
                        "counts": counts_out(s.current[m]) if s.marked(m) else None,
                        "timing": s.current[m].timing if s.marked(m) else None,
                        "version": s.current[m].version if s.marked(m) else None,
                    }
                    for m in overview.meetings
                ],
            }
            for s in overview.sections
        ],
    }


@router.get(
    "/schools/{school_id}/rosters",
    response={200: RostersOut, **ERRORS},
    summary="Every section's roll and the staff list for a day (for devices)",
)
def school_rosters(
    request: HttpRequest, school_id: PathId, query: Query[DayQuery]
) -> dict[str, Any]:
    school = access.school_visible(request.user, school_id)
    day = query.day or org.school_today(school)
    year = org.academic_year_for(school, day)
    sections = list(school.sections.filter(academic_year=year)) if year else []
    rolls = people.sections_rolls(sections, day)
    audit_record(
        user=request.user,
        action="roster.download",
        obj=school,
        school_id=school.pk,
        detail={"day": day.isoformat()},
    )
    return {
        "school": school.pk,
        "day": day,
        "sections": [
            {
                "id": s.pk,
                "grade": s.grade,
                "name": s.name,
                "students": [member.__dict__ for member in rolls[s.pk]],
            }
            for s in sections
        ],
        "staff": [member.__dict__ for member in people.school_staff_roll(school, day)],
    }


@router.post(
    "/staff-rollcalls",
    response={200: StaffRollCallOut, 201: StaffRollCallOut, **ERRORS},
    summary="Submit the staff attendance of a school for a day",
)
def submit_staff_rollcall(request: HttpRequest, payload: StaffRollCallIn) -> Status:
    submitted = submit_staff(request, payload, payload.device_clock)
    return Status(201 if submitted.created else 200, staff_rollcall_out(submitted.sheet))


@router.get(
    "/schools/{school_id}/staff-rollcall",
    response={200: StaffHistoryOut, **ERRORS},
    summary="A school's staff attendance for a day, with history",
)
def staff_rollcall(
    request: HttpRequest, school_id: PathId, query: Query[DayQuery]
) -> dict[str, Any]:
    school = access.school_visible(request.user, school_id)
    day = query.day or org.school_today(school)
    versions = list(selectors.staff_rollcall_versions(school=school, day=day))
    current = next((v for v in versions if v.is_current), None)
    return {
        "school": school.pk,
        "day": day,
        "current": staff_rollcall_out(current) if current else None,
        "versions": [staff_rollcall_out(v) for v in versions],
    }
