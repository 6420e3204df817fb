"""A guardian's consent, and the reference faces it allows."""

import datetime as dt
import uuid
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone

from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Invalid
from hazri.faces.common import (
    MAX_CONFIRMED_REFERENCES,
    MAX_REFERENCE_BYTES,
    MAX_UPLOADED_REFERENCES,
)
from hazri.faces.models import Consent, Reference, SeenFace
from hazri.faces.recognition import images
from hazri.faces.recognition.base import EnrolmentRefused, Recognizer, Refusal
from hazri.faces.recognizer import recognizer
from hazri.org.models import School
from hazri.people.models import Student

REFUSALS = {
    Refusal.NO_FACE: "No face was found in this photo.",
    Refusal.SEVERAL_FACES: "This photo shows several faces: use a photo of the student alone.",
    Refusal.TOO_SMALL: "The face is too small: come closer, so the face fills a third of the photo.",
    Refusal.BLURRED: "The face is blurred: hold the phone still, in good light.",
    Refusal.TURNED_AWAY: "The face is turned away: the student should look at the camera.",
}


def standing_consent(school: School, student: Student) -> Consent | None:
    return Consent.objects.filter(school=school, student=student, withdrawn_at__isnull=True).first()


def consent_record(
    *,
    school: School,
    student: Student,
    given_by: str,
    method: str,
    reference: str,
    by: Any,
    now: dt.datetime | None = None,
) -> Consent:
    if method not in Consent.Method.values:
        raise Invalid(
            f"'{method}' is not a way of consenting: use one of {', '.join(Consent.Method.values)}.",
            field="method",
        )
    if not given_by.strip():
        raise Invalid("Name the guardian who consented.", field="given_by", code="required")
    if method == Consent.Method.FORM and not reference.strip():
        raise Invalid(
            "Give the consent form's number, so that the paper can be found.",
            field="reference",
            code="required",
        )
    with transaction.atomic():
        if standing_consent(school, student) is not None:
            raise Conflict(
                f"{student.name}'s consent is already recorded.", field="student", code="consented"
            )
        consent = Consent.objects.create(
            school=school,
            student=student,
            given_by=given_by.strip(),
            method=method,
            reference=reference.strip(),
            recorded_by=by,
            recorded_at=now or timezone.now(),
        )
        audit_record(
            user=by,
            action="faces.consent",
            obj=consent,
            school_id=school.pk,
            detail={"method": method},
        )
    return consent


def consent_withdraw(
    *, consent: Consent, note: str, by: Any, now: dt.datetime | None = None
) -> int:
    """End the consent and delete the student's reference faces at once; returns how
    many were deleted. The consent row stays, with who withdrew it, when and why."""
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            raise Conflict("This consent was already withdrawn.", field="consent", code="withdrawn")
        locked.withdrawn_at = now or timezone.now()
        locked.withdrawn_by = by
        locked.withdrawal_note = note.strip()
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        deleted, _ = Reference.objects.filter(
            school_id=locked.school_id, student_id=locked.student_id
        ).delete()
        # The child's faces found in daily photos go too (the rest of each photo stays
        # until the retention period ends); the proposals keep their scores.
        SeenFace.objects.filter(school_id=locked.school_id, student_id=locked.student_id).delete()
        audit_record(
            user=by,
            action="faces.consent_withdrawn",
            obj=locked,
            school_id=locked.school_id,
            detail={"references_deleted": deleted},
        )
    consent.withdrawn_at = locked.withdrawn_at
    return deleted


def _require_consent(school: School, student: Student) -> Consent:
    consent = standing_consent(school, student)
    if consent is None:
        raise Invalid(
            f"No guardian's consent is recorded for {student.name}: record it before adding "
            "reference photos.",
            field="student",
            code="no_consent",
        )
    return consent


def _keyed(school: School, student: Student, client_uuid: uuid.UUID) -> Reference | None:
    """The reference a device already stored under this Idempotency-Key, if any; a key
    of another student's reference is a conflict, never a second reference."""
    found = Reference.objects.filter(school=school, client_uuid=client_uuid).first()
    if found is not None and found.student_id != student.pk:
        raise Conflict(
            "This Idempotency-Key was used for another student's reference photo.",
            field="Idempotency-Key",
            code="key_reused",
        )
    return found


def reference_upload(
    *,
    school: School,
    student: Student,
    data: bytes,
    by: Any,
    client_uuid: uuid.UUID | None = None,
    engine: Recognizer | None = None,
) -> tuple[Reference, bool]:
    """reference_add, idempotent by the device's key: sent again (its answer was lost),
    it finds the reference stored the first time. Returns (reference, created)."""
    if client_uuid is not None:
        found = _keyed(school, student, client_uuid)
        if found is not None:
            return found, False
    try:
        added = reference_add(
            school=school, student=student, data=data, by=by, client_uuid=client_uuid, engine=engine
        )
    except IntegrityError:
        # The same key, sent twice at once: the other request stored it.
        found = _keyed(school, student, client_uuid) if client_uuid is not None else None
        if found is None:
            raise
        return found, False
    return added, True


def reference_add(
    *,
    school: School,
    student: Student,
    data: bytes,
    by: Any,
    client_uuid: uuid.UUID | None = None,
    engine: Recognizer | None = None,
) -> Reference:
    """A reference photo of one student: checked for size and type before it is
    decoded, refused when it does not show one clear face turned to the camera."""
    engine = engine or recognizer()
    if len(data) > MAX_REFERENCE_BYTES:
        raise Invalid(
            f"The photo is {len(data):,} bytes; at most {MAX_REFERENCE_BYTES:,}.",
            field="photo",
            code="too_large",
        )
    if images.sniff(data[:16]) is None:
        raise Invalid(
            "The file is not a JPEG, PNG or WebP photo.", field="photo", code="not_a_photo"
        )
    consent = _require_consent(school, student)
    uploaded = Reference.objects.filter(
        school=school, student=student, source=Reference.Source.UPLOAD
    ).count()
    if uploaded >= MAX_UPLOADED_REFERENCES:
        raise Conflict(
            f"{student.name} has {MAX_UPLOADED_REFERENCES} reference photos already: delete one first.",
            field="photo",
            code="too_many",
        )
    try:
        image = images.decode(data)
    except images.BadImage as error:
        raise Invalid(
            f"The photo cannot be read: {error}.", field="photo", code="bad_photo"
        ) from None
    try:
        embeddings = engine.reference(image)
    except EnrolmentRefused as refused:
        raise Invalid(REFUSALS[refused.reason], field="photo", code=refused.reason.value) from None
    faces = engine.faces(image)
    crop = max(faces, key=lambda face: face.width) if faces else None
    return _store(
        school=school,
        student=student,
        consent=consent,
        source=Reference.Source.UPLOAD,
        crop=images.encode_jpeg(crop.crop) if crop is not None and crop.crop is not None else b"",
        embeddings=embeddings,
        width=crop.width if crop is not None else 0,
        engine=engine,
        by=by,
        client_uuid=client_uuid,
    )


def reference_from_face(
    *, face: SeenFace, by: Any, engine: Recognizer | None = None
) -> Reference | None:
    """A face the teacher confirmed in a daily photo joins the student's references
    (while consent stands), the oldest such beyond MAX_CONFIRMED_REFERENCES dropped."""
    engine = engine or recognizer()
    student = face.student
    if student is None:
        return None
    consent = standing_consent(face.school, student)
    if consent is None:
        return None
    embedding = np.frombuffer(bytes(face.embedding), dtype=np.float32)
    reference = _store(
        school=face.school,
        student=student,
        consent=consent,
        source=Reference.Source.CONFIRMED,
        crop=bytes(face.crop),
        embeddings=[embedding],
        width=face.width,
        engine=engine,
        by=by,
    )
    keep = Reference.objects.filter(
        school=face.school, student=student, source=Reference.Source.CONFIRMED
    ).order_by("-added_at", "-pk")
    stale = list(keep.values_list("pk", flat=True)[MAX_CONFIRMED_REFERENCES:])
    if stale:
        Reference.objects.filter(school=face.school, pk__in=stale).delete()
    return reference


def reference_delete(*, reference: Reference, by: Any) -> None:
    audit_record(
        user=by, action="faces.reference_deleted", obj=reference, school_id=reference.school_id
    )
    reference.delete()


def _store(
    *,
    school: School,
    student: Student,
    consent: Consent,
    source: str,
    crop: bytes,
    embeddings: list[Any],
    width: int,
    engine: Recognizer,
    by: Any,
    client_uuid: uuid.UUID | None = None,
) -> Reference:
    matrix = np.asarray(embeddings, dtype=np.float32)
    # A savepoint: a key stored meanwhile by a twin request is an IntegrityError that
    # the caller handles (reference_upload), with the outer transaction still usable.
    with transaction.atomic():
        reference = Reference.objects.create(
            school=school,
            student=student,
            consent=consent,
            source=source,
            crop=crop,
            embeddings=matrix.tobytes(),
            dimensions=matrix.shape[1],
            model_name=engine.info.name,
            model_version=engine.info.version,
            face_width=width,
            added_by=by,
            added_at=timezone.now(),
            client_uuid=client_uuid,
        )
        audit_record(
            user=by,
            action="faces.reference_added",
            obj=reference,
            school_id=school.pk,
            detail={"source": source},
        )
    return reference
