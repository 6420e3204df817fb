"""A batch of roll calls as the API takes it: each item parsed, stored or judged on its
own, and answered (created, duplicate, rejected for what it says, or retry when the
server failed on it); a stored version another phone's later capture replaced says by
whom. The router in api.py validates the request and hands the items here."""

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import HttpRequest
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from hazri.accounts import selectors as access
from hazri.accounts.models import User
from hazri.attendance import selectors, services
from hazri.attendance.models import RollCall, StaffRollCall
from hazri.attendance.presenters import (
    current_version_out,
    replaced_by_out,
    rollcall_out,
    staff_rollcall_out,
)
from hazri.attendance.schemas import (
    RollCallIn,
    StaffRollCallItemIn,
)
from hazri.common.api import (
    UNAVAILABLE,
    field_path,
    request_user,
)
from hazri.common.errors import NotFound, ServiceError

logger = logging.getLogger(__name__)


def capture_of(
    request: HttpRequest, item: RollCallIn | StaffRollCallItemIn, clock: dt.datetime | None
) -> services.Capture:
    return services.Capture(
        client_uuid=item.client_uuid,
        captured_at=item.captured_at,
        device_clock=clock,
        device=getattr(request, "device", None),
        note=item.note,
    )


def section_not_found(section_id: int) -> NotFound:
    return NotFound(f"No section {section_id} in your area.", field="section")


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
        "replaced_by": None,  # filled in by tell_replaced
    }


def tell_replaced(results: list[dict[str, Any]], key: str, by: User) -> list[dict[str, Any]]:
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


def rollcalls_batch(
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
                item.client_uuid, section_not_found(item.section), rollcall_out, "rollcall"
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
                    capture=capture_of(request, item, clock),
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


def staff_batch(
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
            outcome: services.Submitted | ServiceError = submit_staff(request, item, clock)
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


def submit_staff(
    request: HttpRequest, item: StaffRollCallItemIn, device_clock: dt.datetime | None
) -> services.Submitted:
    school = access.school_visible(request.user, item.school)
    return services.staff_rollcall_submit(
        school=school,
        day=item.day,
        marks=item.pairs(),
        capture=capture_of(request, item, device_clock),
        by=request_user(request),
        ids_field=item.ids_field(),
    )
