"""Two families submit for the same child at the same instant, each on its own database
connection: one application stands, the other is refused as a duplicate (PostgreSQL;
SQLite's in-memory test database cannot be shared between threads, and runs one writer
at a time anyway)."""

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections

from hazri.admissions.models import Application
from hazri.admissions.services import applications
from hazri.common.errors import Conflict

from .adm_world import AdmWorld, apply

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_child_twice_at_once_is_one_application(
    aw: AdmWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that two connections share")
    reference = applications._reference

    def slow_reference() -> str:
        # Between the duplicate check and the insert: without the child's lock both
        # submissions would pass the check here.
        time.sleep(0.3)
        return reference()

    monkeypatch.setattr(applications, "_reference", slow_reference)
    start = threading.Barrier(2)
    outcomes: list[Any] = []

    def family(name: str) -> None:
        try:
            start.wait()
            outcomes.append(apply(aw, child_name=name))
        except Conflict as refused:
            outcomes.append(refused.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=family, args=(n,)) for n in ("Aarav Sharma", "AARAV sharma")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Application.objects.count() == 1
    assert sorted(o if isinstance(o, str) else "made" for o in outcomes) == [
        "duplicate_application",
        "made",
    ]
