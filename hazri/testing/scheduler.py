"""What `hazri scheduler` does for the tests: a GET never builds the rollups, so a test
that reads a dashboard after writing runs the job that counts them, as the scheduler
would every minute (hazri.common.schedule.JOBS)."""

from django_tasks.base import TaskResultStatus

from hazri.dashboards.tasks import refresh_rollups


def rollups_counted() -> list[str]:
    """Run the minutely rollup job (the test settings' ImmediateBackend runs it at
    once); returns the days it rebuilt."""
    result = refresh_rollups.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    days = result.return_value
    assert days is not None
    return days
