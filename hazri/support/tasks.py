"""The support app's scheduled work (hazri.common.schedule)."""

from django_tasks import task


@task()
def escalate_overdue_tickets() -> dict[str, int]:
    """Every few minutes: open tickets past their level's deadline go one level up;
    resolved ones past the reopening window are closed."""
    from hazri.support.services import close_resolved, escalate_overdue

    return {"escalated": escalate_overdue(), "closed": close_resolved()}
