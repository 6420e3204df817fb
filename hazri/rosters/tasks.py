"""The background work of roster imports (django-tasks, DatabaseBackend worker)."""

from django_tasks import task


@task()
def preview_roster_job(job_id: int) -> str:
    from hazri.rosters.services import import_preview

    return str(import_preview(job_id).status)


@task()
def run_roster_job(job_id: int) -> str:
    from hazri.rosters.services import import_run

    return str(import_run(job_id).status)
