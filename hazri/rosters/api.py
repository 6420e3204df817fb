"""The rosters app's JSON API: saved mappings of a state's layout, an upload and its
preview, a job's progress and lines (paged), confirming and resuming an import."""

import base64
import binascii
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Status

from hazri.common.api import ErrorOut, PathId, request_user
from hazri.common.errors import Invalid
from hazri.common.files import Upload
from hazri.rosters import presenters, selectors, services
from hazri.rosters.schemas import (
    RosterImportIn,
    RosterJobOut,
    RosterLinesOut,
    RosterMappingIn,
    RosterMappingOut,
)

router = Router(tags=["rosters"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 413, 422), ErrorOut)
LineAction = Literal["create", "change", "end", "refused"]


def _decoded(name: str, text: str) -> Upload:
    try:
        return Upload(name, base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        raise Invalid("This is not base64.", field="file.data", code="bad_base64") from None


@router.get(
    "/rosters/mappings",
    response={200: list[RosterMappingOut], **ERRORS},
    summary="The saved mappings of the areas whose schools you may import for",
)
def get_mappings(request: HttpRequest) -> list[dict[str, Any]]:
    selectors.require_exchange(request_user(request))
    return [presenters.mapping_out(m) for m in selectors.mappings_usable(request.user)]


@router.post(
    "/rosters/mappings",
    response={201: RosterMappingOut, **ERRORS},
    summary="Save a mapping of an area's own layout: their column for each of ours",
)
def post_mapping(request: HttpRequest, payload: RosterMappingIn) -> Status[dict[str, Any]]:
    user = request_user(request)
    unit = selectors.unit_for_mapping(user, payload.unit)
    mapping = services.mapping_save(
        user=user,
        unit=unit,
        name=payload.name,
        kind=payload.kind,
        columns={c.ours: c.theirs for c in payload.columns},
        date_formats=payload.date_formats,
    )
    return Status(201, presenters.mapping_out(mapping))


@router.put(
    "/rosters/mappings/{mapping_id}",
    response={200: RosterMappingOut, **ERRORS},
    summary="Edit a mapping (a new version; the old one is kept in the audit trail)",
)
def put_mapping(
    request: HttpRequest, mapping_id: PathId, payload: RosterMappingIn
) -> dict[str, Any]:
    user = request_user(request)
    mapping = selectors.mapping_visible(user, mapping_id)
    unit = selectors.unit_for_mapping(user, payload.unit)
    mapping = services.mapping_save(
        user=user,
        unit=unit,
        name=payload.name,
        kind=payload.kind,
        columns={c.ours: c.theirs for c in payload.columns},
        date_formats=payload.date_formats,
        mapping=mapping,
    )
    return presenters.mapping_out(mapping)


@router.post(
    "/rosters/imports",
    response={201: RosterJobOut, **ERRORS},
    summary="Upload a roster file (CSV or XLSX): stored, its preview per school worked out by a task (status previewing, then previewed); nothing else written",
)
def post_import(request: HttpRequest, payload: RosterImportIn) -> Status[dict[str, Any]]:
    user = request_user(request)
    selectors.require_exchange(user)
    mapping = selectors.mapping_visible(user, payload.mapping) if payload.mapping else None
    job = services.import_upload(
        user=user,
        kind=payload.kind,
        upload=_decoded(payload.file.name, payload.file.data),
        mapping=mapping,
        on=payload.on,
    )
    return Status(201, presenters.job_out(job))


@router.get(
    "/rosters/imports/{job_id}",
    response={200: RosterJobOut, **ERRORS},
    summary="An import: its preview's counts per school, its progress",
)
def get_import(request: HttpRequest, job_id: PathId) -> dict[str, Any]:
    return presenters.job_out(selectors.job_visible(request_user(request), job_id))


@router.get(
    "/rosters/imports/{job_id}/lines",
    response={200: RosterLinesOut, **ERRORS},
    summary="An import's lines that create, change, end or are refused (50 a page)",
)
def get_import_lines(
    request: HttpRequest,
    job_id: PathId,
    action: Annotated[LineAction | None, Query(None)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> dict[str, Any]:
    job = selectors.job_visible(request_user(request), job_id)
    lines, total = selectors.job_lines(job, action=action or "", page=page)
    return {
        "page": page,
        "pages": max(1, -(-total // selectors.PAGE_SIZE)),
        "total": total,
        "lines": [presenters.line_out(line) for line in lines],
    }


@router.post(
    "/rosters/imports/{job_id}/confirm",
    response={202: RosterJobOut, **ERRORS},
    summary="Import a previewed file with no refused row (one transaction per school)",
)
def post_confirm(request: HttpRequest, job_id: PathId) -> Status[dict[str, Any]]:
    user = request_user(request)
    job = services.import_confirm(job=selectors.job_visible(user, job_id), user=user)
    return Status(202, presenters.job_out(job))


@router.post(
    "/rosters/imports/{job_id}/resume",
    response={202: RosterJobOut, **ERRORS},
    summary="Resume a stopped import from the schools not done",
)
def post_resume(request: HttpRequest, job_id: PathId) -> Status[dict[str, Any]]:
    user = request_user(request)
    job = services.import_resume(job=selectors.job_visible(user, job_id), user=user)
    return Status(202, presenters.job_out(job))
