"""The scheduler: when each job is due, and that ticking enqueues (and, with the
immediate backend of the tests, runs) the real tasks."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.management import call_command

from hazri.common.schedule import Job, Scheduler, is_due
from hazri.dashboards.models import RollupMark

IST = ZoneInfo("Asia/Kolkata")
MINUTELY = Job("x.minutely", every=dt.timedelta(minutes=1))
NIGHTLY = Job("x.nightly", at=dt.time(1, 30))


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, second, tzinfo=IST)


def test_a_minutely_job_is_due_a_minute_after_it_last_ran() -> None:
    assert is_due(MINUTELY, at(18, 9), None)
    assert not is_due(MINUTELY, at(18, 9, 0, 59), at(18, 9))
    assert is_due(MINUTELY, at(18, 9, 1), at(18, 9))


def test_a_nightly_job_runs_once_after_its_time() -> None:
    assert not is_due(NIGHTLY, at(18, 1, 29), None)
    assert is_due(NIGHTLY, at(18, 1, 30), None)
    assert not is_due(NIGHTLY, at(18, 23), at(18, 1, 30))
    # Started in the afternoon, never run: it catches up at once.
    assert is_due(NIGHTLY, at(18, 15), None)
    assert is_due(NIGHTLY, at(19, 1, 31), at(18, 1, 30))


def test_ticking_enqueues_what_is_due_and_runs_the_real_tasks(world) -> None:
    scheduler = Scheduler()
    first = scheduler.tick(at(18, 9))
    assert "hazri.dashboards.tasks.refresh_rollups" in first
    assert "hazri.dashboards.tasks.nightly_rollups" in first
    # The immediate backend ran them: today's unit rollups exist.
    assert RollupMark.objects.exists()
    assert scheduler.tick(at(18, 9, 0, 30)) == []
    # A minute later, the jobs that run every minute.
    assert scheduler.tick(at(18, 9, 1)) == [
        "hazri.dashboards.tasks.refresh_rollups",
        "hazri.notify.tasks.deliver_notices",
    ]


def test_the_command_enqueues_once(world, capsys) -> None:
    call_command("scheduler", "--once")
    out = capsys.readouterr().out
    assert "enqueued hazri.dashboards.tasks.refresh_rollups" in out
