"""The background work of photo attendance (django-tasks, DatabaseBackend worker)."""

from django_tasks import task


@task()
def process_photo_set(set_id: int, school_id: int) -> str:
    from hazri.faces.services.processing import process

    return process(set_id, school_id).status


@task()
def purge_faces() -> int:
    """Every night: daily photos and their faces past the retention period."""
    from hazri.faces.services.purge import purge_expired

    return purge_expired()
