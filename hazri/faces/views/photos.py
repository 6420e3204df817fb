"""A section's daily photos: upload on a page, follow the processing, review the
proposal on a phone and submit it as the roll call."""

import hashlib
import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from hazri.accounts import selectors as access
from hazri.attendance import rules
from hazri.attendance.views.base import day_url, parse_day, parse_meeting, parse_uuid
from hazri.common.errors import Invalid, ServiceError
from hazri.common.pages import error_text, page
from hazri.faces import selectors
from hazri.faces.common import MAX_PHOTO_BYTES, MAX_PHOTOS
from hazri.faces.models import PhotoSet
from hazri.faces.recognition import images
from hazri.faces.services import photos, review
from hazri.org import selectors as org


def _read_files(request: HttpRequest) -> list[bytes]:
    files = request.FILES.getlist("photos")
    if not 1 <= len(files) <= MAX_PHOTOS:
        raise Invalid(
            gettext("Choose 1 to %(most)d photos of the class.") % {"most": MAX_PHOTOS},
            field="photos",
            code="count",
        )
    read = []
    for upload in files:
        # Size and type before anything decodes the photo.
        if upload.size is None or upload.size > MAX_PHOTO_BYTES:
            raise Invalid(
                gettext("%(name)s is larger than %(most)d MB.")
                % {"name": upload.name, "most": MAX_PHOTO_BYTES // (1024 * 1024)},
                field="photos",
                code="too_large",
            )
        data = upload.read()
        if images.sniff(data[:16]) is None:
            raise Invalid(
                gettext("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": upload.name},
                field="photos",
                code="not_a_photo",
            )
        read.append(data)
    return read


# What the review form starts with: "please check" starts empty, so that the teacher
# decides each of those children; a child is never present on a guess.
_PROPOSED_MARK = {"present": rules.PRESENT, "check": "", "unseen": rules.ABSENT}


@page
def section_photos(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access.section_visible(request.user, section_id)
    school = section.school
    params = request.POST if request.method == "POST" else request.GET
    today = org.school_today(school)
    day = parse_day(params.get("day"), today)
    policy = org.policy_for_school(school)
    meeting = parse_meeting(params.get("meeting"), policy.meetings_per_day)
    access.require_marker(
        request.user, school, day, section=section, marking_scope=policy.marking_scope
    )
    error = None
    if request.method == "POST":
        try:
            files = _read_files(request)
            now = timezone.now()
            photo_set, _ = photos.photoset_announce(
                section=section,
                day=day,
                meeting=meeting,
                client_uuid=parse_uuid(request.POST.get("client_uuid")),
                photos=[
                    photos.Announced(len(data), hashlib.sha256(data).hexdigest(), now)
                    for data in files
                ],
                device_clock=None,
                by=request.user,
                now=now,
            )
            if photo_set.status == PhotoSet.Status.UPLOADING:
                photos.photos_upload(photo_set=photo_set, files=files)
            return redirect("faces_review", photo_set.pk)
        except ServiceError as refused:
            error = refused
    return render(
        request,
        "faces/section_photos.html",
        {
            "school": school,
            "section": section,
            "day": day,
            "meeting": meeting,
            "meetings": policy.meetings_per_day,
            "client_uuid": uuid.uuid4(),
            "sets": selectors.photo_sets_of(section, day),
            "error": error,
            "error_text": error_text(error) if error else "",
            "back_url": day_url(school, day),
            "max_photos": MAX_PHOTOS,
        },
        status=error.status if error else 200,
    )


@page
def photo_set_page(request: HttpRequest, set_id: int) -> HttpResponse:
    photo_set = selectors.photo_set_visible(request.user, set_id)
    error = None
    if request.method == "POST":
        photo_set = selectors.photo_set_to_mark(request.user, set_id)
        lines = selectors.review_lines(photo_set)
        marks = {
            line.proposed.student_id: request.POST.get(f"mark-{line.proposed.student_id}", "")
            for line in lines
        }
        keep = [int(value) for value in request.POST.getlist("keep") if value.isdigit()]
        try:
            submitted = review.review_submit(
                photo_set=photo_set,
                marks={k: v for k, v in marks.items() if v},
                keep_faces=keep,
                note=request.POST.get("note", "")[:500],
                by=request.user,
            )
            sheet = submitted.sheet
            messages.success(
                request,
                gettext(
                    "Saved as the roll call (version %(version)d): %(present)d present, %(absent)d absent."
                )
                % {"version": sheet.version, "present": sheet.present, "absent": sheet.absent},
            )
            return redirect(day_url(photo_set.school, photo_set.day))
        except ServiceError as refused:
            error = refused
    context = {
        "photo_set": photo_set,
        "school": photo_set.school,
        "section": photo_set.section,
        "back_url": reverse("faces_section_photos", args=[photo_set.section_id])
        + f"?day={photo_set.day.isoformat()}&meeting={photo_set.meeting}",
        "error": error,
        "error_text": error_text(error) if error else "",
        "working": photo_set.status
        in (PhotoSet.Status.UPLOADING, PhotoSet.Status.QUEUED, PhotoSet.Status.PROCESSING),
    }
    if photo_set.status in (PhotoSet.Status.PROPOSED, PhotoSet.Status.SUBMITTED):
        lines = selectors.review_lines(photo_set)
        posted = request.POST if request.method == "POST" else {}
        context["lines"] = [
            {
                "line": line,
                "chosen": posted.get(f"mark-{line.proposed.student_id}")
                or line.proposed.final
                or _PROPOSED_MARK[line.proposed.band],
            }
            for line in lines
        ]
        context["unknown"] = selectors.unknown_faces(photo_set)
        context["counts"] = {
            band: sum(1 for line in lines if line.proposed.band == band)
            for band in ("present", "check", "unseen")
        }
    if request.headers.get("HX-Request") and context["working"]:
        return render(request, "faces/_progress.html", context)
    if request.headers.get("HX-Request"):
        response = HttpResponse()
        response["HX-Refresh"] = "true"  # processing ended: the whole page shows the review
        return response
    return render(request, "faces/review.html", context, status=error.status if error else 200)
