"""The plain-SQL helpers of the submit path: prepared on PostgreSQL, converted as the ORM
converts, logged with their values."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.env import database_from_url
from hazri.common import sql
from hazri.org.models import School


def test_preparing_is_on_by_default_and_can_be_turned_off(monkeypatch) -> None:
    url = "postgres://u@127.0.0.1:5432/hazri"
    assert database_from_url(url)["OPTIONS"]["prepare_threshold"] == 5  # type: ignore[index]
    monkeypatch.setenv("HAZRI_PG_PREPARE", "0")
    assert database_from_url(url)["OPTIONS"]["prepare_threshold"] is None  # type: ignore[index]


@pytest.mark.django_db
def test_a_statement_run_often_is_prepared_once_and_logged_with_its_values(world) -> None:
    school = School.objects.order_by("pk").first()
    assert school is not None
    statement = "SELECT id, name FROM org_school WHERE id = %s"
    with CaptureQueriesContext(connection) as captured:
        for _ in range(7):
            assert sql.select(statement, [school.pk], [None, None]) == [(school.pk, school.name)]
    # The log shows the values, as Django logs its own queries (tests EXPLAIN them).
    assert captured.captured_queries[-1]["sql"] == statement % school.pk
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%FROM org_school WHERE id = $1%"],
        )
        assert cursor.fetchone() == (1,)
    # The ORM's statements keep client-side binding and are never prepared.
    for _ in range(7):
        list(School.objects.filter(pk=school.pk))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "org_school" WHERE%'],
        )
        assert cursor.fetchone() == (0,)
