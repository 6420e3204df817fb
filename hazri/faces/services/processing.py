"""Processing a set of daily photos: every face found and embedded, then matched to
the section's roll of that day (one face, one student), and the proposal stored."""

import logging
import time

import numpy as np
from django.db import transaction
from django.utils import timezone

from hazri.faces import storage
from hazri.faces.models import Photo, PhotoSet, Proposed, Reference, SeenFace
from hazri.faces.recognition import images
from hazri.faces.recognition.base import Embedding, Recognizer, Thresholds
from hazri.faces.recognition.matching import propose
from hazri.faces.recognizer import recognizer, thresholds
from hazri.people import selectors as people

log = logging.getLogger(__name__)


def gallery_of(
    school_id: int, student_ids: list[int], engine: Recognizer
) -> dict[int, list[Embedding]]:
    """The reference embeddings of these students under the engine's model (a
    reference of another model version cannot be compared and is left out)."""
    gallery: dict[int, list[Embedding]] = {}
    rows = Reference.objects.filter(
        school_id=school_id,
        student_id__in=student_ids,
        model_version=engine.info.version,
        consent__withdrawn_at__isnull=True,
    ).values_list("student_id", "embeddings", "dimensions")
    for student_id, blob, dimensions in rows:
        matrix = np.frombuffer(bytes(blob), dtype=np.float32).reshape(-1, dimensions)
        gallery.setdefault(student_id, []).extend(matrix)
    return gallery


def process(set_id: int, school_id: int, *, engine: Recognizer | None = None) -> PhotoSet:
    engine = engine or recognizer()
    chosen = thresholds()
    with transaction.atomic():
        photo_set = PhotoSet.objects.select_for_update().get(pk=set_id, school_id=school_id)
        if photo_set.status not in (PhotoSet.Status.QUEUED, PhotoSet.Status.PROCESSING):
            return photo_set  # processed already, or not complete
        photo_set.status = PhotoSet.Status.PROCESSING
        photo_set.save(update_fields=["status"])
    try:
        return _process(photo_set, engine, chosen)
    except Exception as error:  # a model failure must not leave the set "processing"
        log.exception("photo set %s failed", set_id)
        PhotoSet.objects.filter(pk=set_id, school_id=school_id).update(
            status=PhotoSet.Status.FAILED, error=str(error)[:500], processed_at=timezone.now()
        )
        photo_set.refresh_from_db()
        return photo_set


def _process(photo_set: PhotoSet, engine: Recognizer, chosen: Thresholds) -> PhotoSet:
    school_id = photo_set.school_id
    SeenFace.objects.filter(school_id=school_id, photo__photo_set=photo_set).delete()
    photos = list(photo_set.photos.order_by("index"))
    found: list[list[SeenFace]] = []
    spent = 0.0
    for photo in photos:
        started = time.process_time()
        faces = _faces_of(photo, engine)
        photo.cpu_seconds = time.process_time() - started
        spent += photo.cpu_seconds
        photo.save(
            update_fields=["status", "width", "height", "faces_found", "cpu_seconds", "error"]
        )
        found.append(faces)
        PhotoSet.objects.filter(pk=photo_set.pk, school_id=school_id).update(
            processed=photo.index + 1
        )
    roll = people.section_roll(photo_set.section, photo_set.day)
    gallery = gallery_of(school_id, [member.id for member in roll], engine)
    proposal = propose(
        [
            [np.frombuffer(bytes(face.embedding), dtype=np.float32) for face in faces]
            for faces in found
        ],
        gallery,
        chosen,
    )
    proposed = {line.student: line for line in proposal.students}
    rows = []
    with transaction.atomic():
        for member in roll:
            line = proposed.get(member.id)
            if line is None:  # no reference face (no consent yet): the teacher marks by sight
                rows.append(
                    Proposed(
                        school_id=school_id,
                        photo_set=photo_set,
                        student_id=member.id,
                        band=Proposed.Band.UNSEEN,
                        scores=[None] * len(photos),
                        has_reference=member.id in gallery,
                    )
                )
                continue
            best = found[line.best.photo][line.best.face] if line.best is not None else None
            rows.append(
                Proposed(
                    school_id=school_id,
                    photo_set=photo_set,
                    student_id=member.id,
                    band=line.band.value,
                    best_score=line.best.score if line.best is not None else None,
                    second_score=line.second_score if line.best is not None else None,
                    best_face=best,
                    scores=[
                        None if np.isnan(score) else round(float(score), 4) for score in line.scores
                    ],
                    has_reference=True,
                )
            )
            for sighting in line.sightings:
                face = found[sighting.photo][sighting.face]
                face.student_id = member.id
                face.score = sighting.score
        for faces in found:
            changed = [face for face in faces if face.student_id is not None]
            SeenFace.objects.bulk_update(changed, ["student", "score"])
        Proposed.objects.filter(school_id=school_id, photo_set=photo_set).delete()
        Proposed.objects.bulk_create(rows)
        photo_set.status = PhotoSet.Status.PROPOSED
        photo_set.processed = len(photos)
        photo_set.processed_at = timezone.now()
        photo_set.model_name = engine.info.name
        photo_set.model_version = engine.info.version
        photo_set.thresholds = {
            "present": chosen.present,
            "check": chosen.check,
            "margin": chosen.margin,
        }
        photo_set.cpu_seconds = spent
        photo_set.error = ""
        photo_set.save()
    return photo_set


def _faces_of(photo: Photo, engine: Recognizer) -> list[SeenFace]:
    path = storage.photo_path(photo.school_id, photo.pk)
    try:
        image = images.decode(path.read_bytes())
    except (images.BadImage, OSError) as error:
        photo.status = Photo.Status.FAILED
        photo.error = str(error)[:500]
        return []
    photo.height, photo.width = image.shape[:2]
    faces = engine.faces(image)
    rows = [
        SeenFace(
            school_id=photo.school_id,
            photo=photo,
            index=index,
            box=list(face.box),
            width=face.width,
            detector_score=float(face.detector_score),
            crop=images.encode_jpeg(face.crop) if face.crop is not None else b"",
            embedding=np.asarray(face.embedding, dtype=np.float32).tobytes(),
        )
        for index, face in enumerate(faces)
    ]
    SeenFace.objects.bulk_create(rows)
    photo.faces_found = len(rows)
    photo.status = Photo.Status.PROCESSED
    photo.error = ""
    return rows
