import pytest

from hazri.testing.browser import browser  # noqa: F401  (the browser tests' Chromium)
from hazri.testing.world import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


# The suite runs on SQLite and again on PostgreSQL (make test). A test that touches no
# database says the same on both: the PostgreSQL run leaves it out, and spends its
# minutes on what PostgreSQL can answer differently.
_DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


# The browser tests run once: on SQLite, except those of the pages a state serves from
# PostgreSQL to its officers and schools (below), which make test runs in its
# PostgreSQL part. The two parts share the machine's two cores about evenly.
ON_POSTGRES = {"dashboards", "registers", "journal", "reportcards", "records", "admissions"}


@pytest.hookimpl(tryfirst=True)  # before -m reads the marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        app = item.nodeid.split("/")[1] if item.nodeid.startswith("hazri/") else ""
        if item.get_closest_marker("browser") and app in ON_POSTGRES:
            item.add_marker(pytest.mark.on_postgres)
    _leave_out_on_postgres(config, items)


def _leave_out_on_postgres(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return
    keep: list[pytest.Item] = []
    skip: list[pytest.Item] = []
    for item in items:
        uses_db = item.get_closest_marker("django_db") is not None or bool(
            _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        (keep if uses_db else skip).append(item)
    if skip:
        config.hook.pytest_deselected(items=skip)
        items[:] = keep
