"""The notices' jobs (hazri.common.schedule.JOBS runs them through django-tasks)."""

from django_tasks import task

from hazri.notify import kinds, queue


@task()
def absence_notices() -> dict[str, int]:
    """Every few minutes: absence notices of schools past their cutoff, then send."""
    written = kinds.absence_sweep()
    return {"written": written, **vars(queue.deliver_due())}


@task()
def deliver_notices() -> dict[str, int]:
    """Every minute: send what is due (new notices, quiet hours over, retries)."""
    return vars(queue.deliver_due())


@task()
def monthly_low_attendance() -> dict[str, int]:
    """Hourly: on the month's first days, last month's low-attendance notices."""
    return {"written": kinds.low_attendance_sweep()}


@task()
def week_unsigned() -> dict[str, int]:
    """Hourly: from Monday morning, the notices of last week's unsigned diaries."""
    return {"written": kinds.week_unsigned_sweep()}
