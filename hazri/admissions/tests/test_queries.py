"""The queue and a family's list ask the database the same number of times whatever
the number of applications (no query per application)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hazri.admissions.services import Family

from .adm_world import AdmWorld, apply

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str, **headers: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **headers).status_code == 200
    return len(queries)


def _more(aw: AdmWorld, start: int, n: int) -> None:
    for k in range(start, start + n):
        apply(
            aw,
            family=Family(user=aw.world.imran),
            child_name=f"Child {k}",
            date_of_birth=dt.date(2019, 1, 1) + dt.timedelta(days=k),
        )


def test_queries_do_not_grow_with_the_applications(aw: AdmWorld) -> None:
    world = aw.world
    head, parent = Client(), Client()
    head.force_login(world.ravi)
    parent.force_login(world.imran)
    queue = f"/api/v1/admissions/schools/{world.school.pk}/queue"
    _more(aw, 0, 2)
    few = (_count(head, queue), _count(parent, "/api/v1/admissions/applications"))
    page_few = _count(head, f"/schools/{world.school.pk}/admissions/")
    _more(aw, 2, 8)
    many = (_count(head, queue), _count(parent, "/api/v1/admissions/applications"))
    assert many == few
    assert _count(head, f"/schools/{world.school.pk}/admissions/") == page_few
