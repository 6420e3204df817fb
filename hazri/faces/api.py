"""Photo attendance endpoints: consent and reference faces, daily photos uploaded in
resumable chunks, the proposal, and the teacher's review."""

import uuid
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Header, Path, Router, Status

from hazri.accounts import selectors as access
from hazri.accounts.names import person_name
from hazri.common.api import ErrorOut, PathId, request_user
from hazri.common.errors import Invalid
from hazri.faces import presenters, selectors
from hazri.faces.common import (
    MAX_PHOTO_BYTES,
    MAX_PHOTOS,
    require_consent_giver,
    require_face_manager,
)
from hazri.faces.schemas import (
    ConsentIn,
    ConsentOut,
    PhotoSetIn,
    PhotoSetOut,
    ProposalOut,
    ReferenceOut,
    ReviewIn,
    ReviewOut,
    StudentFacesOut,
    WithdrawIn,
)
from hazri.faces.services import consent as consents
from hazri.faces.services import photos, review
from hazri.org import selectors as org

router = Router(tags=["photo attendance"])
MAX_BODY = 8 * 1024 * 1024  # settings.DATA_UPLOAD_MAX_MEMORY_SIZE: larger is a JSON 413
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 413, 415, 422), ErrorOut)
RAW_IMAGE = {
    "requestBody": {
        "required": True,
        "content": {
            media: {"schema": {"type": "string", "format": "binary", "maxLength": MAX_BODY}}
            for media in ("image/jpeg", "image/png", "image/webp", "application/octet-stream")
        },
    }
}


def _faces_out(user: Any, student_id: int) -> dict[str, Any]:
    faces = selectors.student_faces(user, student_id)
    return {
        "student": faces.student.pk,
        "school": faces.school.pk,
        "consent": presenters.consent_out(faces.consent) if faces.consent else None,
        "references": [presenters.reference_out(r) for r in faces.references],
    }


def _managed(request: HttpRequest, student_id: int) -> selectors.StudentFaces:
    faces = selectors.student_faces(request.user, student_id)
    require_face_manager(request.user, faces.school, faces.section, org.school_today(faces.school))
    return faces


@router.get(
    "/students/{student_id}/faces",
    response={200: StudentFacesOut, **ERRORS},
    summary="A student's consent and reference faces",
)
def get_student_faces(request: HttpRequest, student_id: PathId) -> dict[str, Any]:
    return _faces_out(request.user, student_id)


@router.post(
    "/faces/consents",
    response={201: ConsentOut, **ERRORS},
    summary="Record a guardian's consent to photo attendance (a guardian: their own, online)",
)
def post_consent(request: HttpRequest, payload: ConsentIn) -> Status[dict[str, Any]]:
    faces = selectors.student_faces(request.user, payload.student)
    user = request_user(request)
    as_parent = require_consent_giver(
        user, faces.school, faces.section, faces.student.pk, org.school_today(faces.school)
    )
    consent = consents.consent_record(
        school=faces.school,
        student=faces.student,
        # A guardian consents in their own name, online.
        given_by=person_name(user) if as_parent else payload.given_by,
        method="parent" if as_parent else payload.method,
        reference="" if as_parent else payload.reference,
        by=user,
    )
    return Status(201, presenters.consent_out(consent))


@router.post(
    "/faces/consents/{consent_id}/withdraw",
    response={200: ConsentOut, **ERRORS},
    summary="Withdraw consent: the student's reference faces are deleted at once",
)
def post_withdraw(request: HttpRequest, consent_id: PathId, payload: WithdrawIn) -> dict[str, Any]:
    consent = selectors.consent_visible(request.user, consent_id)
    require_consent_giver(
        request.user,
        consent.school,
        selectors.student_faces(request.user, consent.student_id).section,
        consent.student_id,
        org.school_today(consent.school),
    )
    consents.consent_withdraw(consent=consent, note=payload.note, by=request_user(request))
    consent.refresh_from_db()
    return presenters.consent_out(consent)


@router.post(
    "/students/{student_id}/references",
    response={200: ReferenceOut, 201: ReferenceOut, **ERRORS},
    summary="Add a reference photo of a student (the body is the photo)",
    description=(
        "With an Idempotency-Key (a UUID the device made for this photo), sending it "
        "again finds the reference stored the first time: 200 with it, not a second one."
    ),
    openapi_extra=RAW_IMAGE,
)
def post_reference(
    request: HttpRequest,
    student_id: PathId,
    idempotency_key: Annotated[uuid.UUID | None, Header(alias="Idempotency-Key")] = None,
) -> Status[dict[str, Any]]:
    data = request.body  # a body over the limit is a 413 before anything else
    faces = _managed(request, student_id)
    reference, created = consents.reference_upload(
        school=faces.school,
        student=faces.student,
        data=data,
        by=request_user(request),
        client_uuid=idempotency_key,
    )
    return Status(201 if created else 200, presenters.reference_out(reference))


@router.delete(
    "/faces/references/{reference_id}",
    response={204: None, **ERRORS},
    summary="Delete a reference face",
)
def delete_reference(request: HttpRequest, reference_id: PathId) -> Status[None]:
    reference = selectors.reference_visible(request.user, reference_id)
    _managed(request, reference.student_id)
    consents.reference_delete(reference=reference, by=request_user(request))
    return Status(204, None)


@router.post(
    "/photo-sets",
    response={200: PhotoSetOut, 201: PhotoSetOut, **ERRORS},
    summary="Announce a section's photos for a day and meeting (then send each in chunks)",
)
def post_photo_set(request: HttpRequest, payload: PhotoSetIn) -> Status[dict[str, Any]]:
    section = access.section_visible(request.user, payload.section)
    policy = org.policy_for_school(section.school)
    if payload.meeting > policy.meetings_per_day:
        raise Invalid(f"There is no meeting {payload.meeting} here.", field="meeting")
    access.require_marker(
        request.user,
        section.school,
        payload.day,
        section=section,
        marking_scope=policy.marking_scope,
    )
    photo_set, created = photos.photoset_announce(
        section=section,
        day=payload.day,
        meeting=payload.meeting,
        client_uuid=payload.client_uuid,
        photos=[photos.Announced(p.size, p.sha256, p.captured_at) for p in payload.photos],
        device_clock=payload.device_clock,
        by=request_user(request),
        device=getattr(request, "device", None),
    )
    return Status(201 if created else 200, presenters.photo_set_out(photo_set))


@router.get(
    "/photo-sets/{set_id}",
    response={200: PhotoSetOut, **ERRORS},
    summary="A photo set: how much of each photo the server holds, and its progress",
)
def get_photo_set(request: HttpRequest, set_id: PathId) -> dict[str, Any]:
    return presenters.photo_set_out(selectors.photo_set_visible(request.user, set_id))


@router.put(
    "/photo-sets/{set_id}/photos/{index}",
    response={200: PhotoSetOut, **ERRORS},
    summary="Send the next chunk of a photo (at most 1 MiB), from the offset the server holds",
    openapi_extra=RAW_IMAGE,
)
def put_photo_chunk(
    request: HttpRequest,
    set_id: PathId,
    index: Annotated[int, Path(ge=0, le=MAX_PHOTOS - 1)],
    upload_offset: Annotated[int, Header(ge=0, le=MAX_PHOTO_BYTES, alias="Upload-Offset")] = 0,
) -> dict[str, Any]:
    chunk = request.body  # a body over the limit is a 413 before anything else
    photo_set = selectors.photo_set_to_mark(request.user, set_id)
    photo = photo_set.photos.filter(index=index).first()
    if photo is None:
        raise Invalid(f"This set has no photo {index}.", field="index", code="no_photo")
    photos.photo_chunk(photo=photo, offset=upload_offset, chunk=chunk)
    photo_set.refresh_from_db()
    return presenters.photo_set_out(photo_set)


@router.get(
    "/photo-sets/{set_id}/proposal",
    response={200: ProposalOut, **ERRORS},
    summary="What the photos propose for each student, with every score",
)
def get_proposal(request: HttpRequest, set_id: PathId) -> dict[str, Any]:
    return presenters.proposal_out(selectors.photo_set_visible(request.user, set_id))


@router.post(
    "/photo-sets/{set_id}/review",
    response={200: ReviewOut, 201: ReviewOut, **ERRORS},
    summary="Submit the teacher's review: it is stored as the section's roll call",
)
def post_review(request: HttpRequest, set_id: PathId, payload: ReviewIn) -> Status[dict[str, Any]]:
    photo_set = selectors.photo_set_to_mark(request.user, set_id)
    marks: dict[int, str] = {}
    for position, mark in enumerate(payload.marks):
        if mark.student in marks:
            raise Invalid(
                f"Student {mark.student} is marked twice.", field=f"marks[{position}].student"
            )
        marks[mark.student] = mark.code
    submitted = review.review_submit(
        photo_set=photo_set,
        marks=marks,
        keep_faces=payload.keep_faces,
        note=payload.note,
        by=request_user(request),
    )
    photo_set.refresh_from_db()
    sheet = submitted.sheet
    return Status(
        201 if submitted.created else 200,
        {
            "photo_set": presenters.photo_set_out(photo_set),
            "rollcall": sheet.pk,
            "version": sheet.version,
            "timing": sheet.timing,
            "waits_for": submitted.waits_for,
            "created": submitted.created,
        },
    )
