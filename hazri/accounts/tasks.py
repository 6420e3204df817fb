"""Background jobs of the accounts app (enqueued by `hazri scheduler`)."""

from django_tasks import task

from hazri.accounts.throttle import throttle_prune


@task()
def prune_login_throttle() -> int:
    """Every hour: drop the failed-login counts whose window and lock are over (a
    password spray leaves a row per username tried)."""
    return throttle_prune()
