import pytest

from hazri.testing.world import World

from .support_world import SupportWorld, build_support


@pytest.fixture
def sw(world: World) -> SupportWorld:
    return build_support(world)
