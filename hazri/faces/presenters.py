"""Photo attendance as the API answers it."""

from typing import Any

from django.urls import reverse

from hazri.faces import selectors
from hazri.faces.models import Consent, PhotoSet, Reference


def consent_out(consent: Consent) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "student": consent.student_id,
        "school": consent.school_id,
        "given_by": consent.given_by,
        "method": consent.method,
        "reference": consent.reference,
        "recorded_at": consent.recorded_at,
        "withdrawn_at": consent.withdrawn_at,
        "withdrawal_note": consent.withdrawal_note,
    }


def reference_out(reference: Reference) -> dict[str, Any]:
    return {
        "id": reference.pk,
        "student": reference.student_id,
        "source": reference.source,
        "face_width": reference.face_width,
        "model_name": reference.model_name,
        "model_version": reference.model_version,
        "added_at": reference.added_at,
        "crop_url": reference_url(reference.pk),
    }


def reference_url(reference_id: int | None) -> str:
    return reverse("faces_reference_crop", args=[reference_id]) if reference_id else ""


def face_url(face_id: int | None) -> str:
    return reverse("faces_seen_crop", args=[face_id]) if face_id else ""


def photo_set_out(photo_set: PhotoSet) -> dict[str, Any]:
    return {
        "id": photo_set.pk,
        "client_uuid": photo_set.client_uuid,
        "school": photo_set.school_id,
        "section": photo_set.section_id,
        "day": photo_set.day,
        "meeting": photo_set.meeting,
        "status": photo_set.status,
        "expected": photo_set.expected,
        "processed": photo_set.processed,
        "error": photo_set.error,
        "photos": [
            {
                "index": photo.index,
                "size": photo.size,
                "received": photo.received,
                "status": photo.status,
                "faces_found": photo.faces_found,
            }
            for photo in photo_set.photos.order_by("index")
        ],
        "rollcall": photo_set.rollcall_id,
        "review_url": reverse("faces_review", args=[photo_set.pk]),
    }


def proposal_out(photo_set: PhotoSet) -> dict[str, Any]:
    return {
        "photo_set": photo_set_out(photo_set),
        "model_name": photo_set.model_name,
        "model_version": photo_set.model_version,
        "thresholds": photo_set.thresholds,
        "students": [
            {
                "student": line.proposed.student_id,
                "name": line.name,
                "roll_no": line.roll_no,
                "band": line.proposed.band,
                "best_score": line.proposed.best_score,
                "second_score": line.proposed.second_score,
                "scores": line.proposed.scores,
                "has_reference": line.proposed.has_reference,
                "face": line.proposed.best_face_id,
                "face_url": face_url(line.proposed.best_face_id),
                "reference_url": reference_url(line.reference_id),
                "final": line.proposed.final,
            }
            for line in selectors.review_lines(photo_set)
        ],
        "unknown": [
            {"face": face.pk, "photo": face.photo.index, "box": face.box, "url": face_url(face.pk)}
            for face in selectors.unknown_faces(photo_set)
        ],
    }
