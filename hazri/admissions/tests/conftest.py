import pytest

from hazri.testing.world import World

from .adm_world import AdmWorld, build_admissions


@pytest.fixture
def aw(world: World) -> AdmWorld:
    return build_admissions(world)
