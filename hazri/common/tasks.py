"""Housekeeping of the task queue itself."""

import datetime as dt

from django.utils import timezone
from django_tasks import task


@task()
def prune_task_results(keep_days: int = 7) -> int:
    """Every night: drop finished task results older than `keep_days` (the minutely
    rollup refresh alone leaves 1,440 a day)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - dt.timedelta(days=keep_days)
    deleted, _ = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=cutoff,
    ).delete()
    return deleted
