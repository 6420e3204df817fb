"""Data built once for a test module, as a TestCase's setUpTestData builds it once for
a class: for tests that each need the same large world and change it only inside a
transaction that is undone (the authorization matrix, the API fuzz)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.test import override_settings


@contextmanager
def undone() -> Iterator[None]:
    """A savepoint (a transaction outside any) rolled back at the end, whatever ran in
    it. The services are durable (they must be the outermost transaction); Django lets
    them run inside a test case's own atomic blocks, which it marks `_from_testcase`,
    and this block is one of those in spirit: it only exists to undo the test's work."""
    block = transaction.atomic()
    block.__enter__()
    connection.atomic_blocks[-1]._from_testcase = True  # type: ignore[attr-defined]
    try:
        yield
    finally:
        transaction.set_rollback(True)
        block.__exit__(None, None, None)


@contextmanager
def kept_for_module(django_db_blocker: Any) -> Iterator[None]:
    """For a module-scoped fixture: what is written inside (and settings changed) stays
    for the module's tests and is undone at its end. Each test that asks for `db` runs
    in pytest-django's savepoint inside it, so it meets the data as built."""
    with django_db_blocker.unblock(), override_settings(), undone():
        yield
