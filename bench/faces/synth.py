"""Synthetic class photos from the real faces of ../shared/data/faces.

A 4,000 x 3,000 canvas (a 12 MP phone photo) with heads pasted at the widths a
classroom photo gives (20-120 px), some partly hidden, some blurred, the whole photo
saved as JPEG at quality 60-85. Everything is drawn from a seeded generator.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from hazri.faces.recognition.base import Image
from hazri.faces.recognition.opencv import REFERENCE_SCORE, OpenCVRecognizer

ROOT = Path(__file__).resolve().parents[2]
CANVAS = (3000, 4000)  # height, width


def data_dir() -> Path:
    return Path(os.environ.get("HAZRI_FACE_DATA") or ROOT.parent / "shared/data/faces")


@dataclass
class Head:
    """A head cut from a real photo: the patch and the face's box inside it."""

    patch: Image
    box: tuple[float, float, float, float]
    source: str


@dataclass
class Placed:
    identity: str | None  # None: a stranger
    box: tuple[int, int, int, int]
    occluded: bool = False
    blurred: bool = False


@dataclass
class ClassPhoto:
    image: Image
    placed: list[Placed] = field(default_factory=list)


def head(image: Image, row: np.ndarray, source: str, margin: float = 0.6) -> Head:
    """The face of a detection row with `margin` of its width around it."""
    x, y, w, h = (float(v) for v in row[:4])
    left, top = max(int(x - margin * w), 0), max(int(y - margin * h), 0)
    right = min(int(x + w + margin * w), image.shape[1])
    bottom = min(int(y + h + margin * h), image.shape[0])
    return Head(image[top:bottom, left:right].copy(), (x - left, y - top, w, h), source)


def heads_of(recognizer: OpenCVRecognizer, path: Path, largest_only: bool) -> list[Head]:
    image = np.asarray(cv2.imread(str(path)), np.uint8)
    found = recognizer.detect(image)
    if largest_only:  # the portrait's face: the largest clear one
        found = found[found[:, 14] >= REFERENCE_SCORE]
        found = found[[int(np.argmax(found[:, 2]))]]
    return [head(image, row, f"{path.parent.name}/{path.name}") for row in found]


def background(rng: np.random.Generator) -> Image:
    """A smooth coloured wall-and-floor field with sensor noise: no face in it."""
    small = rng.integers(60, 200, (6, 8, 3)).astype(np.uint8)
    field_ = cv2.resize(small, (CANVAS[1], CANVAS[0]), interpolation=cv2.INTER_CUBIC)
    noise = rng.normal(0, 6, field_.shape)
    return np.clip(field_ + noise, 0, 255).astype(np.uint8)


def paste(
    canvas: Image,
    source: Head,
    width: int,
    at: tuple[int, int],
    rng: np.random.Generator,
    *,
    occlude: bool,
    blur: bool,
) -> tuple[int, int, int, int]:
    """Paste a head so its face is `width` px wide with its top-left at `at`; the
    face's box on the canvas."""
    scale = width / source.box[2]
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    patch = cv2.resize(source.patch, None, fx=scale, fy=scale, interpolation=interpolation)
    fx, fy, fw, fh = (v * scale for v in source.box)
    if blur:
        patch = cv2.GaussianBlur(patch, (0, 0), float(rng.uniform(0.6, 1.3)))
    patch = np.clip(patch.astype(np.float32) * rng.uniform(0.8, 1.15), 0, 255).astype(np.uint8)
    if occlude:  # a hand, a book or a neighbour's head over part of the face
        colour = [int(c) for c in rng.integers(30, 220, 3)]
        share = float(rng.uniform(0.2, 0.35))
        side = int(rng.integers(3))
        x0, y0, x1, y1 = int(fx), int(fy), int(fx + fw), int(fy + fh)
        if side == 0:  # from below
            cv2.rectangle(patch, (x0 - 5, int(y1 - share * fh)), (x1 + 5, y1 + 10), colour, -1)
        elif side == 1:
            cv2.rectangle(patch, (x0 - 10, y0 - 5), (int(x0 + share * fw), y1 + 5), colour, -1)
        else:
            cv2.rectangle(patch, (int(x1 - share * fw), y0 - 5), (x1 + 10, y1 + 5), colour, -1)
    height, width_ = patch.shape[:2]
    left, top = at[0] - int(fx), at[1] - int(fy)
    l0, t0 = max(left, 0), max(top, 0)
    r0, b0 = min(left + width_, CANVAS[1]), min(top + height, CANVAS[0])
    mask = np.zeros((height, width_), np.float32)
    cv2.ellipse(
        mask, (width_ // 2, height // 2), (width_ // 2 - 1, height // 2 - 1), 0, 0, 360, 1.0, -1
    )
    mask = cv2.GaussianBlur(mask, (0, 0), max(width_ / 20, 1.0))[..., None]
    region = canvas[t0:b0, l0:r0].astype(np.float32)
    piece = patch[t0 - top : b0 - top, l0 - left : r0 - left].astype(np.float32)
    weight = mask[t0 - top : b0 - top, l0 - left : r0 - left]
    canvas[t0:b0, l0:r0] = (piece * weight + region * (1 - weight)).astype(np.uint8)
    return (int(at[0]), int(at[1]), int(round(fw)), int(round(fh)))


def class_photo(
    students: list[tuple[str, Head]],
    strangers: list[Head],
    widths: tuple[int, int],
    rng: np.random.Generator,
    quality: int,
) -> ClassPhoto:
    """One photo: the given students' and strangers' heads on a jittered grid of
    seats, faces `widths` px wide, then JPEG at `quality`."""
    canvas = background(rng)
    people: list[tuple[str | None, Head]] = [*students, *((None, s) for s in strangers)]
    order = rng.permutation(len(people))
    columns = 8
    rows = -(-len(people) // columns)
    cell_w, cell_h = CANVAS[1] // columns, (CANVAS[0] - 400) // max(rows, 1)
    photo = ClassPhoto(canvas)
    for seat, index in enumerate(order.tolist()):
        identity, source = people[index]
        width = int(rng.integers(widths[0], widths[1] + 1))
        row, column = divmod(seat, columns)
        x = column * cell_w + int(
            rng.integers(cell_w // 4, max(cell_w - width - cell_w // 4, cell_w // 4 + 1))
        )
        y = 200 + row * cell_h + int(rng.integers(0, max(cell_h - 2 * width, 1)))
        occlude, blur = bool(rng.random() < 0.15), bool(rng.random() < 0.2)
        box = paste(canvas, source, width, (x, y), rng, occlude=occlude, blur=blur)
        photo.placed.append(Placed(identity, box, occlude, blur))
    ok, data = cv2.imencode(".jpg", canvas, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    photo.image = np.asarray(cv2.imdecode(data, cv2.IMREAD_COLOR), np.uint8)
    return photo
