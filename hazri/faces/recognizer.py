"""The recognizer this deployment uses, and the thresholds its proposals apply.

Settings may name another implementation (HAZRI_FACES_RECOGNIZER, a dotted path to a
callable returning a `Recognizer`), e.g. a batching GPU worker's client."""

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from hazri.faces.recognition.base import Recognizer, Thresholds


@cache
def _factory(path: str) -> Callable[[], Recognizer]:
    return import_string(path)  # type: ignore[no-any-return]


def recognizer() -> Recognizer:
    """The factory's recognizer, asked for on every use: the factory decides what it
    keeps (the default keeps one per thread, its models loaded once)."""
    path = getattr(
        settings, "HAZRI_FACES_RECOGNIZER", "hazri.faces.recognition.opencv.default_recognizer"
    )
    return _factory(path)()


def thresholds() -> Thresholds:
    from hazri.faces.recognition.matching import DEFAULT_THRESHOLDS

    chosen = getattr(settings, "HAZRI_FACES_THRESHOLDS", None)
    return Thresholds(**chosen) if chosen else DEFAULT_THRESHOLDS
