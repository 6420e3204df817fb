"""The teacher's review: the proposal confirmed or corrected, stored as an ordinary
roll call (source "photo") under every rule of the core, judged by when the photos
were taken."""

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from hazri.attendance import rules
from hazri.attendance.models import Source
from hazri.attendance.services import Capture, Submitted, rollcall_submit
from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Invalid
from hazri.faces.models import PhotoSet, Proposed, SeenFace
from hazri.faces.services.consent import reference_from_face

# The roll call a review makes has a UUID of its own, the same for every resend.
_ROLLCALL_NAMESPACE = uuid.UUID("5d0f6c1e-3a53-4f0e-9a1c-7b3f9d4e2a10")


def rollcall_uuid(photo_set: PhotoSet) -> uuid.UUID:
    return uuid.uuid5(_ROLLCALL_NAMESPACE, str(photo_set.client_uuid))


def review_submit(
    *,
    photo_set: PhotoSet,
    marks: Mapping[int, str],
    keep_faces: Sequence[int] = (),
    note: str = "",
    by: Any,
    now: dt.datetime | None = None,
) -> Submitted:
    """Store the teacher's marks for every student the photos were matched against.

    `keep_faces`: students whose matched face joins their references. A resend after
    a lost answer returns the same roll call."""
    now = now or timezone.now()
    if photo_set.status == PhotoSet.Status.SUBMITTED and photo_set.rollcall is not None:
        return Submitted(photo_set.rollcall, created=False)
    if photo_set.status != PhotoSet.Status.PROPOSED:
        raise Conflict(
            f"These photos are not ready for review ({photo_set.get_status_display()}).",
            field="photo_set",
            code="not_ready",
        )
    lines = {line.student_id: line for line in photo_set.proposed.all()}
    missing = sorted(set(lines) - set(marks))
    if missing:
        raise Invalid(
            f"Mark every student of the roll: {len(missing)} not marked (student {missing[0]}).",
            field="marks",
            code="incomplete",
        )
    for student, code in marks.items():
        if student not in lines:
            raise Invalid(
                f"Student {student} is not on this roll.",
                field=f"marks.{student}",
                code="not_on_roll",
            )
        if code not in rules.MARK_CODES:
            raise Invalid(
                f"'{code}' is not a mark; use one of {', '.join(rules.MARK_CODES)}.",
                field=f"marks.{student}",
                code="bad_code",
            )
    skew = dt.timedelta(seconds=photo_set.clock_skew_seconds)
    capture = Capture(
        client_uuid=rollcall_uuid(photo_set),
        captured_at=photo_set.device_captured_at,
        # The device's clock as it was when it announced the photos, carried to now:
        # the core corrects the capture time by the same skew.
        device_clock=now - skew,
        device=photo_set.device,
        note=note,
        source=Source.PHOTO,
    )
    # The roll call first, in the core's own transaction: its UUID comes from the set's,
    # so a resend (after a lost answer, or a failure below) finds it stored once.
    submitted = rollcall_submit(
        section=photo_set.section,
        day=photo_set.day,
        meeting=photo_set.meeting,
        marks=list(marks.items()),
        capture=capture,
        by=by,
        now=now,
    )
    with transaction.atomic():
        locked = PhotoSet.objects.select_for_update().get(
            pk=photo_set.pk, school_id=photo_set.school_id
        )
        if locked.status == PhotoSet.Status.SUBMITTED:
            return Submitted(locked.rollcall, created=False)
        to_absent = to_present = 0
        for student, line in lines.items():
            line.final = marks[student]
            attended = marks[student] in rules.ATTENDED_CODES
            to_absent += line.band == Proposed.Band.PRESENT and not attended
            to_present += line.band == Proposed.Band.UNSEEN and attended
        Proposed.objects.bulk_update(list(lines.values()), ["final"])
        locked.status = PhotoSet.Status.SUBMITTED
        locked.rollcall = submitted.sheet
        locked.submitted_at = now
        locked.children = len(lines)
        locked.to_absent = to_absent
        locked.to_present = to_present
        locked.save()
        kept = []
        for student in keep_faces:
            kept_line = lines.get(student)
            if (
                kept_line is None
                or kept_line.best_face_id is None
                or marks[student] not in rules.ATTENDED_CODES
            ):
                continue
            face = SeenFace.objects.select_related("school", "student").get(
                pk=kept_line.best_face_id, school_id=photo_set.school_id
            )
            if reference_from_face(face=face, by=by) is not None:
                kept.append(student)
        audit_record(
            user=by,
            action="faces.review_submitted",
            obj=locked,
            school_id=photo_set.school_id,
            detail={
                "rollcall": submitted.sheet.pk,
                "to_absent": to_absent,
                "to_present": to_present,
                "kept": kept,
            },
        )
    photo_set.refresh_from_db()
    return submitted
