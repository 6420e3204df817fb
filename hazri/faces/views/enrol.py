"""Enrolment of faces: a section's students with their consent, and one student's
consent and reference photos."""

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from hazri.accounts import selectors as access
from hazri.accounts.access import actor_of
from hazri.accounts.names import person_name
from hazri.common.errors import Invalid, ServiceError
from hazri.common.pages import error_text, page, plain_int
from hazri.faces import selectors
from hazri.faces.common import (
    MAX_REFERENCE_BYTES,
    is_guardian_of,
    may_manage_faces,
    require_consent_giver,
    require_face_manager,
)
from hazri.faces.models import Consent, Reference
from hazri.faces.services import consent as consents
from hazri.org import selectors as org
from hazri.people import selectors as people


@page
def section_faces(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access.section_visible(request.user, section_id)
    today = org.school_today(section.school)
    roll = people.section_roll(section, today)
    ids = [member.id for member in roll]
    consented = set(
        Consent.objects.filter(
            school_id=section.school_id, student_id__in=ids, withdrawn_at__isnull=True
        ).values_list("student_id", flat=True)
    )
    counts: dict[int, int] = {}
    for student_id in Reference.objects.filter(
        school_id=section.school_id, student_id__in=ids
    ).values_list("student_id", flat=True):
        counts[student_id] = counts.get(student_id, 0) + 1
    return render(
        request,
        "faces/section_faces.html",
        {
            "school": section.school,
            "section": section,
            "rows": [
                {"member": m, "consent": m.id in consented, "references": counts.get(m.id, 0)}
                for m in roll
            ],
            "ready": sum(1 for m in roll if counts.get(m.id)),
        },
    )


def _act(request: HttpRequest, faces: selectors.StudentFaces, today: dt.date) -> str:
    """Carry out the posted action; returns the message to show."""
    action = request.POST.get("action", "")
    by = request.user
    if action in ("consent", "withdraw"):
        as_parent = require_consent_giver(by, faces.school, faces.section, faces.student.pk, today)
    else:
        require_face_manager(by, faces.school, faces.section, today)
    if action == "consent":
        consents.consent_record(
            school=faces.school,
            student=faces.student,
            given_by=person_name(by) if as_parent else request.POST.get("given_by", "")[:200],
            method="parent" if as_parent else request.POST.get("method", ""),
            reference="" if as_parent else request.POST.get("reference", "")[:100],
            by=by,
        )
        return gettext("Consent recorded.")
    if action == "withdraw":
        if faces.consent is None:
            raise Invalid(gettext("There is no consent to withdraw."), field="consent")
        deleted = consents.consent_withdraw(
            consent=faces.consent, note=request.POST.get("note", "")[:500], by=by
        )
        return gettext("Consent withdrawn: %(count)d reference faces deleted.") % {"count": deleted}
    if action == "reference":
        upload = request.FILES.get("photo")
        if upload is None:
            raise Invalid(gettext("Choose a photo."), field="photo", code="required")
        if upload.size is None or upload.size > MAX_REFERENCE_BYTES:
            raise Invalid(
                gettext("The photo is larger than %(most)d MB.")
                % {"most": MAX_REFERENCE_BYTES // (1024 * 1024)},
                field="photo",
                code="too_large",
            )
        consents.reference_add(
            school=faces.school, student=faces.student, data=upload.read(), by=by
        )
        return gettext("Reference photo added.")
    if action == "delete":
        reference_id = plain_int(request.POST.get("reference")) or 0
        reference = selectors.reference_visible(request.user, reference_id)
        if reference.student_id != faces.student.pk:
            raise Invalid(gettext("That reference is another student's."), field="reference")
        consents.reference_delete(reference=reference, by=by)
        return gettext("Reference photo deleted.")
    raise Invalid(gettext("Unknown action."), field="action")


@page
def student_faces(request: HttpRequest, student_id: int) -> HttpResponse:
    faces = selectors.student_faces(request.user, student_id)
    today = org.school_today(faces.school)
    actor = actor_of(request)
    can_manage = may_manage_faces(actor, faces.school, faces.section, today)
    as_parent = is_guardian_of(actor, faces.student.pk)
    error = None
    if request.method == "POST":
        try:
            messages.success(request, _act(request, faces, today))
            return redirect("faces_student", student_id)
        except ServiceError as refused:
            error = refused
            faces = selectors.student_faces(request.user, student_id)
    return render(
        request,
        "faces/student_faces.html",
        {
            "faces": faces,
            "school": faces.school,
            "can_manage": can_manage,
            "as_parent": as_parent,
            "error": error,
            "error_text": error_text(error) if error else "",
            "methods": Consent.Method.choices,
            "posted": request.POST if error else {},
        },
        status=error.status if error else 200,
    )
