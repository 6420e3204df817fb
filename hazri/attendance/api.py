"""Attendance endpoints: validate, fetch through the access selectors, delegate to services."""

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of, require
from hazri.accounts.models import User
from hazri.attendance import seams, selectors, services
from hazri.attendance.models import RollCall, StaffRollCall
from hazri.attendance.presenters import (
    counts_out,
    current_version_out,
    replaced_by_out,
    rollcall_out,
    staff_rollcall_out,
)
from hazri.attendance.schemas import (
    BatchIn,
    BatchOut,
    RollCallHistoryOut,
    RollCallIn,
    RostersOut,
    SchoolDayOut,
    SingleRollCallIn,
    StaffHistoryOut,
    StaffRollCallIn,
    StaffRollCallItemIn,
    StaffRollCallOut,
    SubmittedRollCallOut,
)
from hazri.audit.services import audit_record
from hazri.common.api import (
    UNAVAILABLE,
    Day,
    ErrorOut,
    PathId,
    UnavailableOut,
    field_path,
    request_user,
)
from hazri.common.errors import NotFound, ServiceError
from hazri.common.jsonio import answer
from hazri.org import selectors as org
from hazri.people import selectors as people

logger = logging.getLogger(__name__)
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


def _capture(
    request: HttpRequest, item: RollCallIn | StaffRollCallItemIn, clock: dt.datetime | None
) -> services.Capture:
    return services.Capture(
        client_uuid=item.client_uuid,
        captured_at=item.captured_at,
        device_clock=clock,
        device=getattr(request, "device", None),
        note=item.note,
    )


def _not_found(section_id: int) -> NotFound:
    return NotFound(f"No section {section_id} in your area.", field="section")


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
        raise _not_found(payload.section)
    submitted = services.rollcall_submit(
        section=section,
        day=payload.day,
        meeting=payload.meeting,
        marks=payload.pairs(),
        capture=_capture(request, payload, payload.device_clock),
        by=user,
        postings=postings,
        ids_field=payload.ids_field(),
    )
    return answer(
        {**rollcall_out(submitted.sheet), "waits_for": submitted.waits_for},
        status=201 if submitted.created else 200,
    )


def _parse(raw: Any, schema: type[BaseModel], key: str) -> tuple[Any, dict[str, Any] | None]:
    """A batch item as the schema, or the rejection of one that does not parse."""
    try:
        return (raw if isinstance(raw, schema) else schema.model_validate(raw)), None
    except PydanticValidationError as invalid:
        sent = raw.get("client_uuid") if isinstance(raw, dict) else None
        try:
            client_uuid = uuid.UUID(str(sent))
        except ValueError:
            client_uuid = None
        errors = [
            {"field": field_path(e["loc"]), "message": e["msg"], "code": e["type"]}
            for e in invalid.errors()
        ]
        return None, _rejected(client_uuid, 422, errors, key)


def _rejected(
    client_uuid: uuid.UUID | None, status: int, errors: list[dict[str, str]], key: str
) -> dict[str, Any]:
    # Every field of BatchItemOut / StaffBatchItemOut, in order: the answer goes out as
    # built (jsonio.answer).
    return {
        "client_uuid": client_uuid,
        "status": "rejected",
        "http_status": status,
        key: None,
        "errors": errors,
        "waits_for": "",
        "replaced_by": None,
    }


def _answer(
    client_uuid: uuid.UUID,
    outcome: services.Submitted | ServiceError,
    out: Callable[[Any], dict[str, Any]],
    key: str,
) -> dict[str, Any]:
    if isinstance(outcome, ServiceError):
        error = {"field": outcome.field, "message": outcome.message, "code": outcome.code}
        return _rejected(client_uuid, outcome.status, [error], key)
    return {
        "client_uuid": client_uuid,
        "status": "created" if outcome.created else "duplicate",
        "http_status": 201 if outcome.created else 200,
        key: out(outcome.sheet),
        "errors": [],
        "waits_for": outcome.waits_for,
        "replaced_by": None,  # filled in by _tell_replaced
    }


def _tell_replaced(results: list[dict[str, Any]], key: str, by: User) -> list[dict[str, Any]]:
    """A version stored but not current (another device's later capture counts): the
    device is told by whom and when. The current version is most often in the batch
    itself; else one query finds the others (and their takers, `by` most often)."""

    def same(v: dict[str, Any]) -> tuple[Any, ...]:
        if key == "rollcall":
            return (v["school"], v["section"], v["day"], v["meeting"])
        return (v["school"], v["day"])

    shown = [r[key] for r in results if r[key] is not None]
    stale = [v for v in shown if not v["is_current"]]
    if not stale:
        return results
    # The highest version wins: a staff item stored later in the batch may have
    # replaced one whose answer was already written.
    current = {
        same(v): v
        for v in sorted((v for v in shown if v["is_current"]), key=lambda v: v["version"])
    }
    missing: set[Any] = {same(v) for v in stale} - set(current)
    if missing:
        model = RollCall if key == "rollcall" else StaffRollCall
        found = selectors.current_versions(model=model, keys=missing, known=[by])
        current |= {k: current_version_out(version) for k, version in found.items()}
    for result in results:
        version = result[key]
        if version is not None and not version["is_current"]:
            result["replaced_by"] = replaced_by_out(version, current.get(same(version)))
    return results


def _server_error(client_uuid: uuid.UUID, key: str) -> dict[str, Any]:
    """A failure that is no judgement on the roll call: the device keeps it and sends it
    again, with the same client_uuid, until it is stored (docs/sync.md)."""
    error = {
        "field": "",
        "message": "The server failed on this roll call; send it again later.",
        "code": "server_error",
    }
    return {**_rejected(client_uuid, 500, [error], key), "status": "retry"}


def _batch_rollcalls(
    request: HttpRequest, raws: list[Any], clock: dt.datetime | None, brief: bool
) -> list[dict[str, Any]]:
    """Every roll call of a batch, stored together where they pass and answered one by one."""
    user = request_user(request)
    out = partial(rollcall_out, marks=not brief)
    results: list[dict[str, Any] | None] = []
    parsed: list[tuple[int, RollCallIn]] = []
    for raw in raws:
        item, rejected = _parse(raw, RollCallIn, "rollcall")
        results.append(rejected)
        if item is not None:
            parsed.append((len(results) - 1, item))
    postings = access.postings_of(user)
    sections = access.sections_visible(user, [i.section for _, i in parsed], postings=postings)
    todo: list[tuple[int, RollCallIn, services.RollCallItem]] = []
    for index, item in parsed:
        section = sections.get(item.section)
        if section is None:
            results[index] = _answer(
                item.client_uuid, _not_found(item.section), rollcall_out, "rollcall"
            )
            continue
        todo.append(
            (
                index,
                item,
                services.RollCallItem(
                    section=section,
                    day=item.day,
                    meeting=item.meeting,
                    marks=item.pairs(),
                    capture=_capture(request, item, clock),
                    ids_field=item.ids_field(),
                ),
            )
        )

    def submit(items: list[services.RollCallItem]) -> list[services.Submitted | ServiceError]:
        return services.rollcalls_submit(items=items, by=user, postings=postings)

    try:
        outcomes = submit([t[2] for t in todo])
    except UNAVAILABLE:
        # The database is down or the connection was cut: the whole batch is a 503
        # (common.api) and the device sends it again; what was stored answers duplicate.
        raise
    except Exception:
        # A bug must not jam a device's queue: the items go one by one, and only the
        # one that fails is answered "retry".
        logger.exception("batch failed; storing its roll calls one by one")
        for index, item, one in todo:
            try:
                [outcome] = submit([one])
            except UNAVAILABLE:
                raise
            except Exception:
                logger.exception("batch item %s failed", item.client_uuid)
                results[index] = _server_error(item.client_uuid, "rollcall")
            else:
                results[index] = _answer(item.client_uuid, outcome, out, "rollcall")
    else:
        for (index, item, _), outcome in zip(todo, outcomes, strict=True):
            results[index] = _answer(item.client_uuid, outcome, out, "rollcall")
    return [r for r in results if r is not None]


def _batch_staff(
    request: HttpRequest, raws: list[Any], clock: dt.datetime | None, brief: bool
) -> list[dict[str, Any]]:
    """Staff roll calls of a batch, each stored or rejected in its own transaction."""
    results: list[dict[str, Any]] = []
    out = partial(staff_rollcall_out, marks=not brief)
    for raw in raws:
        item, rejected = _parse(raw, StaffRollCallItemIn, "staff_rollcall")
        if rejected is not None:
            results.append(rejected)
            continue
        try:
            # The service is the transaction (durable): each item commits on its own.
            outcome: services.Submitted | ServiceError = _submit_staff(request, item, clock)
        except ServiceError as error:
            outcome = error
        except UNAVAILABLE:
            raise
        except Exception:
            logger.exception("batch item %s failed", item.client_uuid)
            results.append(_server_error(item.client_uuid, "staff_rollcall"))
            continue
        results.append(_answer(item.client_uuid, outcome, out, "staff_rollcall"))
    return results


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
            "results": _tell_replaced(
                _batch_rollcalls(request, payload.rollcalls, clock, brief), "rollcall", user
            ),
            "staff_results": _tell_replaced(
                _batch_staff(request, payload.staff_rollcalls, clock, brief),
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
    submitted = _submit_staff(request, payload, payload.device_clock)
    return Status(201 if submitted.created else 200, staff_rollcall_out(submitted.sheet))


def _submit_staff(
    request: HttpRequest, item: StaffRollCallItemIn, device_clock: dt.datetime | None
) -> services.Submitted:
    school = access.school_visible(request.user, item.school)
    return services.staff_rollcall_submit(
        school=school,
        day=item.day,
        marks=item.pairs(),
        capture=_capture(request, item, device_clock),
        by=request_user(request),
        ids_field=item.ids_field(),
    )


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
