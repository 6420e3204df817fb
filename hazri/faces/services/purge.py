"""Daily photos and the faces found in them are kept for the retention period
(HAZRI_FACES_RETENTION_DAYS), long enough to answer a question about a roll call;
then the files and crops go. The proposal's scores and the roll call stay."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from hazri.faces import storage
from hazri.faces.models import Photo, PhotoSet, Proposed, SeenFace


def purge_expired(now: dt.datetime | None = None) -> int:
    """Purge the sets older than the retention period; returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.HAZRI_FACES_RETENTION_DAYS)
    expired = list(
        PhotoSet.objects.filter(created_at__lt=cutoff, purged_at__isnull=True).values_list(
            "pk", "school_id"
        )
    )
    for set_id, school_id in expired:
        purge_set(set_id, school_id, now)
    return len(expired)


def purge_set(set_id: int, school_id: int, now: dt.datetime) -> None:
    photos = list(
        Photo.objects.filter(school_id=school_id, photo_set_id=set_id).values_list("pk", flat=True)
    )
    for photo_id in photos:
        storage.remove(storage.photo_path(school_id, photo_id))
        storage.remove(storage.part_path(school_id, photo_id))
    Proposed.objects.filter(school_id=school_id, photo_set_id=set_id).update(best_face=None)
    SeenFace.objects.filter(school_id=school_id, photo_id__in=photos).delete()
    PhotoSet.objects.filter(pk=set_id, school_id=school_id).update(purged_at=now)
