"""The background work of the interop app (django-tasks, DatabaseBackend worker)."""

from django_tasks import task


@task()
def oneroster_export(exchange_id: int) -> str:
    from hazri.interop.oneroster.services import run_export

    return run_export(exchange_id)


@task()
def oneroster_import(exchange_id: int) -> str:
    from hazri.interop.oneroster.services import run_import

    return run_import(exchange_id)


@task()
def prune_exchange_files() -> int:
    """Every night: the zips of OneRoster exchanges finished long ago (services.files_prune)."""
    from hazri.interop.oneroster.services import files_prune

    return files_prune()
