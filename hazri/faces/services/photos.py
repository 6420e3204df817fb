"""A section's daily photos: announced with their sizes and digests, received in
chunks that resume where a cut connection stopped (or all at once from a page), then
handed to the processing task."""

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hazri.accounts.models import DeviceToken
from hazri.attendance import rules
from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Invalid
from hazri.faces import storage
from hazri.faces.common import MAX_CHUNK, MAX_PHOTO_BYTES, MAX_PHOTOS
from hazri.faces.models import Photo, PhotoSet
from hazri.faces.recognition import images
from hazri.org.models import Section


@dataclass(frozen=True)
class Announced:
    size: int
    sha256: str
    captured_at: dt.datetime


def _check_photos(photos: Sequence[Announced]) -> None:
    if not 1 <= len(photos) <= MAX_PHOTOS:
        raise Invalid(
            f"A set holds 1 to {MAX_PHOTOS} photos, not {len(photos)}.",
            field="photos",
            code="count",
        )
    for index, photo in enumerate(photos):
        if not 0 < photo.size <= MAX_PHOTO_BYTES:
            raise Invalid(
                f"Photo {index + 1} is {photo.size:,} bytes; a photo is at most {MAX_PHOTO_BYTES:,}.",
                field=f"photos[{index}].size",
                code="too_large",
            )
        digest = photo.sha256.lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise Invalid(
                "Give the photo's SHA-256 as 64 hexadecimal digits.",
                field=f"photos[{index}].sha256",
                code="bad_digest",
            )


def photoset_announce(
    *,
    section: Section,
    day: dt.date,
    meeting: int,
    client_uuid: uuid.UUID,
    photos: Sequence[Announced],
    device_clock: dt.datetime | None,
    by: Any,
    device: DeviceToken | None = None,
    now: dt.datetime | None = None,
) -> tuple[PhotoSet, bool]:
    """The set, made or (the same UUID sent again) found; True when made."""
    now = now or timezone.now()
    existing = PhotoSet.objects.filter(school_id=section.school_id, client_uuid=client_uuid).first()
    if existing is not None:
        return _same_set(existing, section, day, meeting, len(photos)), False
    _check_photos(photos)
    first = min(photo.captured_at for photo in photos)
    _, skew = rules.corrected_capture(first, device_clock=device_clock, server_clock=now)
    try:
        with transaction.atomic():
            photo_set = PhotoSet.objects.create(
                school_id=section.school_id,
                section=section,
                day=day,
                meeting=meeting,
                client_uuid=client_uuid,
                taken_by=by,
                device=device,
                expected=len(photos),
                device_captured_at=first,
                clock_skew_seconds=round(skew.total_seconds()),
                created_at=now,
            )
            Photo.objects.bulk_create(
                Photo(
                    school_id=section.school_id,
                    photo_set=photo_set,
                    index=index,
                    size=photo.size,
                    sha256=photo.sha256.lower(),
                    captured_at=photo.captured_at,
                )
                for index, photo in enumerate(photos)
            )
            audit_record(
                user=by,
                action="faces.photos_announced",
                obj=photo_set,
                school_id=section.school_id,
                detail={"photos": len(photos), "day": day.isoformat(), "meeting": meeting},
            )
    except IntegrityError:  # the same UUID from another request at once
        existing = PhotoSet.objects.get(school_id=section.school_id, client_uuid=client_uuid)
        return _same_set(existing, section, day, meeting, len(photos)), False
    return photo_set, True


def _same_set(
    found: PhotoSet, section: Section, day: dt.date, meeting: int, count: int
) -> PhotoSet:
    if (found.section_id, found.day, found.meeting, found.expected) != (
        section.pk,
        day,
        meeting,
        count,
    ):
        raise Conflict(
            f"client_uuid {found.client_uuid} was already used for other photos.",
            field="client_uuid",
            code="uuid_reused",
        )
    return found


def photo_chunk(*, photo: Photo, offset: int, chunk: bytes) -> Photo:
    """Append a chunk at `offset` (what the server said it holds). A chunk sent again
    after its answer was lost is taken as received; any other offset is a Conflict
    that tells where to resume. The type is checked on the first bytes, the digest
    when the last arrive, before anything decodes the photo."""
    if len(chunk) > MAX_CHUNK:
        raise Invalid(
            f"Send at most {MAX_CHUNK:,} bytes at a time.", field="body", code="too_large"
        )
    with transaction.atomic():
        photo = Photo.objects.select_for_update().get(pk=photo.pk, school_id=photo.school_id)
        if photo.status != Photo.Status.UPLOADING:
            return photo  # complete already: a repeat
        if offset + len(chunk) <= photo.received and offset < photo.received:
            return photo  # a repeat of a chunk already taken
        if offset != photo.received:
            raise Conflict(
                f"The server holds {photo.received} bytes of this photo: send from there.",
                field="Upload-Offset",
                code="offset_mismatch",
            )
        if not chunk:
            raise Invalid("The chunk is empty.", field="body", code="empty")
        if offset + len(chunk) > photo.size:
            raise Invalid(
                f"The photo was announced as {photo.size:,} bytes; this chunk goes past that.",
                field="body",
                code="too_large",
            )
        if offset == 0:
            media_type = images.sniff(chunk[:16])
            if media_type is None:
                raise Invalid(
                    "The file is not a JPEG, PNG or WebP photo.", field="body", code="not_a_photo"
                )
            photo.media_type = media_type
        part = storage.part_path(photo.school_id, photo.pk)
        storage.truncate(part, photo.received)
        storage.append(part, chunk)
        photo.received += len(chunk)
        intact = photo.received < photo.size or _complete(photo, part)
        photo.save(update_fields=["received", "media_type", "status", "error"])
    if not intact:
        raise Conflict(
            "The photo's bytes do not match its SHA-256: send it again from the start.",
            field="sha256",
            code="digest_mismatch",
        )
    if photo.status == Photo.Status.RECEIVED:
        _queue_when_complete(photo.photo_set_id, photo.school_id)
    return photo


def _complete(photo: Photo, part: Any) -> bool:
    """Whether the received bytes are the photo announced: then it is kept; if not,
    it starts again from nothing."""
    digest = hashlib.sha256(part.read_bytes()).hexdigest()
    if digest != photo.sha256:
        storage.remove(part)
        photo.received = 0
        photo.media_type = ""
        return False
    part.replace(storage.photo_path(photo.school_id, photo.pk))
    photo.status = Photo.Status.RECEIVED
    return True


def photos_upload(*, photo_set: PhotoSet, files: Sequence[bytes]) -> PhotoSet:
    """All the photos of a set at once (the page's form): each as one chunk."""
    photos = list(photo_set.photos.order_by("index"))
    for photo, data in zip(photos, files, strict=True):
        offset = 0
        while offset < len(data):
            chunk = data[offset : offset + MAX_CHUNK]
            photo = photo_chunk(photo=photo, offset=offset, chunk=chunk)
            offset += len(chunk)
    photo_set.refresh_from_db()
    return photo_set


def _queue_when_complete(set_id: int, school_id: int) -> None:
    """Once every photo of the set is in, the set waits for the processing task."""
    with transaction.atomic():
        photo_set = PhotoSet.objects.select_for_update().get(pk=set_id, school_id=school_id)
        waiting = photo_set.photos.exclude(status=Photo.Status.RECEIVED).exists()
        if waiting or photo_set.status != PhotoSet.Status.UPLOADING:
            return
        photo_set.status = PhotoSet.Status.QUEUED
        photo_set.save(update_fields=["status"])
    from hazri.faces.tasks import process_photo_set

    process_photo_set.enqueue(set_id, school_id)
