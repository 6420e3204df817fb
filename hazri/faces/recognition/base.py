"""What the rest of Hazri asks of a face recognizer, whichever model is behind it.

This package imports neither Django nor the rest of Hazri (import-linter holds it
to that): it turns decoded images into faces and embeddings, and embeddings into a
proposal. A GPU or batching implementation fits behind the same `Recognizer`.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Image = npt.NDArray[Any]  # H x W x 3 uint8, BGR, as cv2.imdecode gives it
Embedding = npt.NDArray[np.float32]  # 1-D, L2-normalised


class Refusal(StrEnum):
    """Why a reference photo cannot be enrolled (the page says which)."""

    NO_FACE = "no_face"
    SEVERAL_FACES = "several_faces"
    TOO_SMALL = "too_small"
    BLURRED = "blurred"
    TURNED_AWAY = "turned_away"


class EnrolmentRefused(Exception):
    def __init__(self, reason: Refusal, detail: str = "") -> None:
        super().__init__(detail or reason.value)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Face:
    """One face found in a photo, with its embedding(s)."""

    box: tuple[int, int, int, int]  # x, y, width, height in the photo's own pixels
    landmarks: tuple[tuple[float, float], ...]  # 5 points: eyes, nose, mouth corners
    detector_score: float
    embedding: Embedding
    width: int  # the face's width in pixels, as the evaluation reports by it
    sharpness: float = 0.0  # variance of the Laplacian of the aligned face
    yaw: float = 0.0  # how far the face is turned (0 frontal, 1 profile)
    crop: Image | None = None  # the aligned face, for the teacher's review


@dataclass(frozen=True)
class ModelInfo:
    name: str  # e.g. "yunet-2023mar+sface-2021dec"
    version: str  # what changes when embeddings stop being comparable


class Recognizer(Protocol):
    info: ModelInfo

    def faces(self, image: Image) -> list[Face]:
        """Every face in a class photo, at full resolution (small faces included)."""

    def reference(self, image: Image) -> list[Embedding]:
        """The embeddings to keep for one reference photo of one student (the face
        and e.g. a downscaled copy), or raise EnrolmentRefused saying why."""

    def similarity(self, a: Embedding, b: Embedding) -> float:
        """Cosine similarity of two embeddings of this model."""


@dataclass(frozen=True)
class Thresholds:
    present: float  # a best score at or above this proposes "present"
    check: float  # between this and `present`: "please check"; below: "not seen"
    margin: float  # best minus second-best student closer than this: "please check"


class Band(StrEnum):
    PRESENT = "present"
    CHECK = "check"
    UNSEEN = "unseen"


@dataclass(frozen=True)
class Sighting:
    """A face of one photo assigned to a student, and how sure the match is."""

    photo: int  # index of the photo
    face: int  # index of the face in that photo
    score: float


@dataclass(frozen=True)
class StudentProposal:
    student: int
    band: Band
    best: Sighting | None  # the assigned face with the highest score, over all photos
    second_score: float  # the best score of any *other* student for that face
    scores: list[float] = field(default_factory=list)  # the assigned score per photo (nan: none)
    sightings: list[Sighting] = field(default_factory=list)  # the face assigned in each photo


@dataclass(frozen=True)
class Proposal:
    students: list[StudentProposal]
    unknown: list[tuple[int, int]]  # (photo, face) matched to no student
