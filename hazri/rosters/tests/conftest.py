import pytest

from hazri.testing.world import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def superuser(db: None):  # type: ignore[no-untyped-def]
    from hazri.accounts.models import User

    return User.objects.create_superuser("root", password="hazri-test-pass")
