"""The periodic jobs, and a scheduler that enqueues them as django-tasks.

`hazri scheduler` runs next to `hazri db_worker` (the DatabaseBackend's worker,
no broker): the scheduler only decides when, the worker runs. A job is not
enqueued again while its last run is still waiting or running.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    task: str  # dotted path of a django-tasks Task
    every: dt.timedelta | None = None  # run this often…
    at: dt.time | None = None  # …or once a day at this local time


JOBS = [
    Job("hazri.dashboards.tasks.refresh_rollups", every=dt.timedelta(minutes=1)),
    Job("hazri.dashboards.tasks.nightly_rollups", at=dt.time(1, 30)),
    Job("hazri.sync.tasks.prune_sync_logs", at=dt.time(2, 30)),
    Job("hazri.common.tasks.prune_task_results", at=dt.time(2, 45)),
    Job("hazri.interop.tasks.prune_exchange_files", at=dt.time(2, 50)),
    Job("hazri.accounts.tasks.prune_login_throttle", every=dt.timedelta(hours=1)),
    # Daily photos and the faces in them past HAZRI_FACES_RETENTION_DAYS.
    Job("hazri.faces.tasks.purge_faces", at=dt.time(3, 0)),
    # Notices to families (docs/notices.md): absences once a school's cutoff has passed
    # (each school in its own zone), what is due or to retry, and the monthly and weekly
    # notices (each school once, from its own morning).
    Job("hazri.notify.tasks.absence_notices", every=dt.timedelta(minutes=5)),
    Job("hazri.notify.tasks.deliver_notices", every=dt.timedelta(minutes=1)),
    Job("hazri.notify.tasks.monthly_low_attendance", every=dt.timedelta(hours=1)),
    Job("hazri.notify.tasks.week_unsigned", every=dt.timedelta(hours=1)),
    # Support tickets past their level's deadline climb a level (docs/support.md).
    Job("hazri.support.tasks.escalate_overdue_tickets", every=dt.timedelta(minutes=5)),
]


def is_due(job: Job, now: dt.datetime, last: dt.datetime | None) -> bool:
    """Whether the job should run at `now` (aware, local), given when it last ran.

    A daily job runs once the day's time has passed and it has not run since; a
    scheduler started after that time catches up at once.
    """
    if job.every is not None:
        return last is None or now - last >= job.every
    assert job.at is not None
    today_at = now.replace(hour=job.at.hour, minute=job.at.minute, second=0, microsecond=0)
    if now < today_at:
        return False
    return last is None or last < today_at


@dataclass
class Scheduler:
    jobs: list[Job] = field(default_factory=lambda: list(JOBS))
    last_run: dict[str, dt.datetime] = field(default_factory=dict)
    pending: dict[str, Any] = field(default_factory=dict)  # task path -> TaskResult

    def _busy(self, job: Job) -> bool:
        result = self.pending.get(job.task)
        if result is None:
            return False
        try:
            result.refresh()
        except Exception:  # the result was pruned or its backend cannot say
            return False
        return result.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)

    def tick(self, now: dt.datetime | None = None) -> list[str]:
        """Enqueue the jobs that are due; returns their task paths."""
        now = timezone.localtime(now)
        enqueued = []
        for job in self.jobs:
            if not is_due(job, now, self.last_run.get(job.task)) or self._busy(job):
                continue
            self.pending[job.task] = import_string(job.task).enqueue()
            self.last_run[job.task] = now
            enqueued.append(job.task)
            log.info("enqueued %s", job.task)
        return enqueued
