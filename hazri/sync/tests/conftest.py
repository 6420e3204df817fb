"""The offline app's browser tests share one Chromium per test and the school's morning."""

import os

import pytest

from hazri.sync.tests.pwa_support import school_morning
from hazri.testing.world import World, build_world

# Playwright's sync API runs an event loop in this thread; the ORM calls between
# browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def morning() -> World:
    world = build_world()
    school_morning(world)
    return world
