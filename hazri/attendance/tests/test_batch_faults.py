"""A batch that meets a failure which is not its roll calls' fault is answered so that
the device sends it again, with the same client_uuids, until it is stored
(docs/sync.md, "When the server fails"):

- the database down or the connection cut, at any point of the batch: the whole
  batch is a 503 with Retry-After; sent again, what was stored answers duplicate;
- any other failure on one item: that item is answered `retry` (500), the others
  stored;
- `rejected` is only ever a judgement on the roll call (4xx).

On PostgreSQL the connection is really cut mid-batch: the request's server process is
terminated (pg_terminate_backend) while it waits on a lock held by another connection.
"""

import datetime as dt
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import OperationalError, close_old_connections, connection, connections
from django.db.models import Model

from hazri.attendance import services
from hazri.attendance.models import RollCall, StaffRollCall
from hazri.common.api import RETRY_AFTER_SECONDS
from hazri.testing.world import SCHOOL_DAY, World

from .conftest import Api, local, now_iso, rollcall

YESTERDAY = SCHOOL_DAY - dt.timedelta(days=1)  # Tuesday 17 November, a school day


def staff_item(world: World, day: dt.date) -> dict[str, Any]:
    return {
        "client_uuid": str(uuid.uuid4()),
        "school": world.school.pk,
        "day": day.isoformat(),
        "captured_at": local(day, 8, 10),
        "marks": [{"staff": s.pk, "code": "P"} for s in world.staff[:2]],
    }


def a_batch(world: World) -> dict[str, Any]:
    """Three roll calls of 5 A and the staff's attendance of two days."""
    return {
        "device_clock": now_iso(),
        "rollcalls": [
            rollcall(world, meeting=1),
            rollcall(world, meeting=2),
            rollcall(world, day=YESTERDAY, captured=local(YESTERDAY, 8, 30)),
        ],
        "staff_rollcalls": [staff_item(world, SCHOOL_DAY), staff_item(world, YESTERDAY)],
    }


def statuses(answer: dict[str, Any]) -> tuple[list[str], list[str]]:
    return (
        [r["status"] for r in answer["results"]],
        [r["status"] for r in answer["staff_results"]],
    )


def unavailable(response: Any) -> None:
    assert response.status_code == 503, response.content
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    body = response.json()
    assert body["code"] == "unavailable" and body["detail"], body


def stored_once(batch: dict[str, Any]) -> None:
    """Each roll call of the batch is stored, once: one version, no second copy."""
    for model, key in ((RollCall, "rollcalls"), (StaffRollCall, "staff_rollcalls")):
        sent = [item["client_uuid"] for item in batch[key]]
        assert model.objects.count() == len(sent), key
        for client_uuid in sent:
            [version] = model.objects.filter(client_uuid=client_uuid)
            assert version.version == 1 and version.is_current


def send_again(api: Api, batch: dict[str, Any]) -> dict[str, Any]:
    """The device sends the same batch again later (after Retry-After): the same
    client_uuids, its clock read anew."""
    response = api.post("/rollcalls/batch", {**batch, "device_clock": now_iso()})
    assert response.status_code == 200, response.content
    answer: dict[str, Any] = response.json()
    return answer


# --- A failure that is not the database's ----------------------------------------------


def test_a_server_error_on_one_roll_call_is_retry_and_the_others_are_stored(
    world: World, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = as_user(world.ravi)
    batch = a_batch(world)
    failing = {batch["rollcalls"][1]["client_uuid"], batch["staff_rollcalls"][0]["client_uuid"]}
    submit, submit_staff = services.rollcalls_submit, services.staff_rollcall_submit

    def rollcalls_submit(*, items: Any, **kwargs: Any) -> Any:
        if any(str(item.capture.client_uuid) in failing for item in items):
            raise RuntimeError("a bug")
        return submit(items=items, **kwargs)

    def staff_rollcall_submit(*, capture: Any, **kwargs: Any) -> Any:
        if str(capture.client_uuid) in failing:
            raise RuntimeError("a bug")
        return submit_staff(capture=capture, **kwargs)

    monkeypatch.setattr(services, "rollcalls_submit", rollcalls_submit)
    monkeypatch.setattr(services, "staff_rollcall_submit", staff_rollcall_submit)
    response = api.post("/rollcalls/batch", batch)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert statuses(answer) == (["created", "retry", "created"], ["retry", "created"])
    for result, key in (
        (answer["results"][1], "rollcall"),
        (answer["staff_results"][0], "staff_rollcall"),
    ):
        assert result["client_uuid"] in failing
        assert result["http_status"] == 500 and result[key] is None
        [error] = result["errors"]
        assert error["code"] == "server_error" and error["field"] == "" and error["message"]
    assert (RollCall.objects.count(), StaffRollCall.objects.count()) == (2, 1)

    monkeypatch.undo()  # the bug is fixed; the device sends the batch again
    again = send_again(api, batch)
    assert statuses(again) == (
        ["duplicate", "created", "duplicate"],
        ["created", "duplicate"],
    )
    stored_once(batch)


# --- The database fails: simulated, on either database ---------------------------------


def test_the_database_failing_between_items_is_a_503_for_the_whole_batch(
    world: World, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The roll calls are stored, then the database goes at the first staff roll call."""
    api = as_user(world.ravi)
    batch = a_batch(world)

    def down(**kwargs: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "staff_rollcall_submit", down)
    unavailable(api.post("/rollcalls/batch", batch))
    assert (RollCall.objects.count(), StaffRollCall.objects.count()) == (3, 0)
    monkeypatch.undo()
    again = send_again(api, batch)
    assert statuses(again) == (["duplicate"] * 3, ["created", "created"])
    stored_once(batch)


def test_the_database_failing_while_items_go_one_by_one_is_a_503(
    world: World, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug sends the roll calls one by one; the database goes after the first."""
    api = as_user(world.ravi)
    batch = a_batch(world)
    submit = services.rollcalls_submit
    calls = 0

    def rollcalls_submit(*, items: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("a bug in the batch path")
        if calls == 3:
            raise OperationalError("terminating connection due to administrator command")
        return submit(items=items, **kwargs)

    monkeypatch.setattr(services, "rollcalls_submit", rollcalls_submit)
    unavailable(api.post("/rollcalls/batch", batch))
    assert (RollCall.objects.count(), StaffRollCall.objects.count()) == (1, 0)
    monkeypatch.undo()
    again = send_again(api, batch)
    assert statuses(again) == (["duplicate", "created", "created"], ["created", "created"])
    stored_once(batch)


# --- The database really cut off (PostgreSQL) ------------------------------------------


def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the test terminates the request's server process")


@contextmanager
def cut_off_when_blocked(model: type[Model], mode: str) -> Iterator[threading.Event]:
    """Another connection locks the model's table (in `mode`); the moment this test's
    connection, which serves the requests, waits on that lock, its server process is
    terminated: the database is gone mid-request, as when PostgreSQL crashes. The event
    is set if the request was waiting when it was cut off."""
    connection.ensure_connection()
    victim = connection.connection.info.backend_pid  # type: ignore[union-attr]
    locker = connections.create_connection("default")
    locker.ensure_connection()
    locker.set_autocommit(False)
    with locker.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {model._meta.db_table} IN {mode} MODE")
    waited = threading.Event()

    def cut_off() -> None:
        killer = connections.create_connection("default")
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not waited.is_set():
                with killer.cursor() as cursor:
                    cursor.execute(
                        "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [victim]
                    )
                    row = cursor.fetchone()
                if row is not None and row[0] == "Lock":
                    waited.set()
                else:
                    time.sleep(0.02)
            # Cut off whatever happened: a request that never waited must not hang.
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [victim])
        finally:
            killer.close()

    thread = threading.Thread(target=cut_off)
    thread.start()
    try:
        yield waited
    finally:
        thread.join()
        locker.rollback()
        locker.close()


def request_ended() -> None:
    """The request that met the failure has ended: the server drops the connection that
    failed, as Django does at the end of every request (the test client does not)."""
    close_old_connections()


@pytest.mark.django_db(transaction=True)
def test_postgresql_cut_off_inside_the_roll_calls_transaction(world: World, as_user: Any) -> None:
    """The roll calls' transaction dies at its first insert: none is stored."""
    postgresql_only()
    api = as_user(world.ravi)
    batch = a_batch(world)
    # SHARE: the batch may read the table, not write it.
    with cut_off_when_blocked(RollCall, "SHARE") as waited:
        response = api.post("/rollcalls/batch", batch)
    assert waited.is_set(), "the request never waited on the roll calls' table"
    unavailable(response)
    request_ended()
    assert (RollCall.objects.count(), StaffRollCall.objects.count()) == (0, 0)
    again = send_again(api, batch)
    assert statuses(again) == (["created"] * 3, ["created"] * 2)
    stored_once(batch)


@pytest.mark.django_db(transaction=True)
def test_postgresql_cut_off_between_the_roll_calls_and_the_staff(
    world: World, as_user: Any
) -> None:
    """The roll calls are committed, then the connection dies at the staff: sent
    again, the roll calls answer duplicate and are stored once."""
    postgresql_only()
    api = as_user(world.ravi)
    batch = a_batch(world)
    # SHARE: the roll calls may read the staff table (the rollups do), not write it.
    with cut_off_when_blocked(StaffRollCall, "SHARE") as waited:
        response = api.post("/rollcalls/batch", batch)
    assert waited.is_set(), "the request never waited on the staff roll calls' table"
    unavailable(response)
    request_ended()
    assert (RollCall.objects.count(), StaffRollCall.objects.count()) == (3, 0)
    again = send_again(api, batch)
    assert statuses(again) == (["duplicate"] * 3, ["created"] * 2)
    stored_once(batch)
