import pytest

from hazri.testing.world import World

from .msg_world import MsgWorld, build_messaging


@pytest.fixture
def mw(world: World) -> MsgWorld:
    return build_messaging(world)
