"""The recognizer this deployment uses, and the thresholds its proposals apply.

Settings may name another implementation (HAZRI_FACES_RECOGNIZER, a dotted path to a
callable returning a `Recognizer`), e.g. a batching GPU worker's client."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from hazri.faces.recognition.base import Recognizer, Thresholds


@cache
def _load(path: str) -> Recognizer:
    factory = import_string(path)
    return factory()  # type: ignore[no-any-return]


def recognizer() -> Recognizer:
    return _load(
        getattr(
            settings, "HAZRI_FACES_RECOGNIZER", "hazri.faces.recognition.opencv.default_recognizer"
        )
    )


def thresholds() -> Thresholds:
    from hazri.faces.recognition.matching import DEFAULT_THRESHOLDS

    chosen = getattr(settings, "HAZRI_FACES_THRESHOLDS", None)
    return Thresholds(**chosen) if chosen else DEFAULT_THRESHOLDS
