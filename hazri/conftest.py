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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
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
