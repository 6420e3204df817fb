"""Face images, answered only to those who may see the section or the student, each
view recorded in the audit log; never from a public URL, never cached by a proxy."""

from django.http import HttpRequest, HttpResponse

from hazri.audit.services import audit_record
from hazri.common.pages import page
from hazri.faces import selectors


def _image(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@page
def seen_crop(request: HttpRequest, face_id: int) -> HttpResponse:
    face = selectors.seen_face_visible(request.user, face_id)
    audit_record(user=request.user, action="faces.view_face", obj=face, school_id=face.school_id)
    return _image(bytes(face.crop))


@page
def reference_crop(request: HttpRequest, reference_id: int) -> HttpResponse:
    reference = selectors.reference_visible(request.user, reference_id)
    audit_record(
        user=request.user,
        action="faces.view_reference",
        obj=reference,
        school_id=reference.school_id,
    )
    return _image(bytes(reference.crop))
