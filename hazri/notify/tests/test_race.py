"""Two workers at once, each with its own database connection: every notice is sent
exactly once (PostgreSQL: SKIP LOCKED; SQLite's in-memory test database cannot be
shared between threads)."""

import threading

import pytest
from django.db import connection, connections

from hazri.notify import kinds, queue
from hazri.notify.models import Delivery, Notice, Status
from hazri.notify.tests.helpers import at, codes_with, gateway, mark  # noqa: F401
from hazri.people.models import Guardian

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_send_each_notice_once(world, gateway):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that two connections share")
    for n, student in enumerate(world.students):
        if student != world.students[1]:
            Guardian.objects.create(name=f"G{n}", phone=f"+91980000010{n}").children.add(
                student, through_defaults={"relation": "mother"}
            )
    mark(world, codes_with(world, {s.pk for s in world.students}))
    kinds.absence_sweep(now=at(17, 0))
    assert Notice.objects.count() == 5
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait()
            queue.deliver_due(now=at(17, 0), batch=1)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Notice.objects.filter(status=Status.SENT).count() == 5
    assert len(gateway.sent) == 5 and len({s["to"] for s in gateway.sent}) == 5
    assert Delivery.objects.filter(channel="sms", outcome="ok").count() == 5
