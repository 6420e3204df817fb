"""Background jobs of the sync protocol (enqueued by `hazri scheduler`)."""

from django_tasks import task

from hazri.sync.services import synclogs_prune


@task()
def prune_sync_logs(keep_days: int = 30) -> int:
    """Every night: drop old sync tokens (each device keeps its newest)."""
    return synclogs_prune(keep_days=keep_days)
