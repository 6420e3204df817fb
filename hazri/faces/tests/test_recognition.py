"""The recognizer (YuNet + SFace) and the matching, on the real photos of
../shared/data/faces (or $HAZRI_FACE_DATA). No database."""

import hashlib
import itertools
import math
import os
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from hazri.faces.recognition import opencv
from hazri.faces.recognition.base import Band, EnrolmentRefused, Refusal, Thresholds
from hazri.faces.recognition.matching import DEFAULT_THRESHOLDS, propose
from hazri.faces.recognition.opencv import (
    DETECTOR_FILE,
    EMBEDDER_FILE,
    ModelIntegrityError,
    OpenCVRecognizer,
    default_recognizer,
    models_dir,
    yaw_of,
)

DATA = Path(
    os.environ.get("HAZRI_FACE_DATA")
    or Path(__file__).resolve().parents[3].parent / "shared/data/faces"
)
pytestmark = pytest.mark.skipif(
    not (DATA / "people").is_dir(), reason=f"no face test data at {DATA} (set HAZRI_FACE_DATA)"
)


@pytest.fixture(scope="module")
def recognizer() -> OpenCVRecognizer:
    return default_recognizer()


def photo(relative: str) -> np.ndarray:
    image = cv2.imread(str(DATA / relative))
    assert image is not None, relative
    return image


def unit(vector: np.ndarray) -> np.ndarray:
    return (vector / np.linalg.norm(vector)).astype(np.float32)


# Enrolment refusals ---------------------------------------------------------------


def refusal(recognizer: OpenCVRecognizer, image: np.ndarray) -> Refusal:
    with pytest.raises(EnrolmentRefused) as refused:
        recognizer.reference(image)
    return refused.value.reason


def test_a_clear_portrait_is_enrolled_with_downscaled_copies(recognizer):
    embeddings = recognizer.reference(photo("people/obama/obama.jpg"))
    assert len(embeddings) >= 2
    for embedding in embeddings:
        assert embedding.dtype == np.float32
        assert math.isclose(float(np.linalg.norm(embedding)), 1.0, rel_tol=1e-4)
    assert recognizer.similarity(embeddings[0], embeddings[1]) > 0.5


def test_a_weak_detection_behind_the_child_does_not_make_several_faces(recognizer):
    # biden2.jpg: a painting behind him gives a 0.59 detection, counted in class photos
    image = photo("people/biden/biden2.jpg")
    assert len(recognizer.faces(image)) == 2
    assert len(recognizer.reference(image)) >= 1


def test_a_photo_without_a_face_is_refused(recognizer):
    blank = np.full((600, 800, 3), 180, np.uint8)
    assert refusal(recognizer, blank) == Refusal.NO_FACE
    gradient = np.tile(np.linspace(40, 220, 800, dtype=np.uint8)[None, :, None], (600, 1, 3))
    assert refusal(recognizer, gradient) == Refusal.NO_FACE


def test_a_group_photo_is_refused_as_several_faces(recognizer):
    assert refusal(recognizer, photo("group/two_people.jpg")) == Refusal.SEVERAL_FACES
    assert refusal(recognizer, photo("group/friends_a.jpg")) == Refusal.SEVERAL_FACES


def test_a_small_face_is_refused_as_too_small(recognizer):
    image = photo("people/obama/obama.jpg")
    scale = 40 / 231  # the face is ~231 px wide: make it ~40 px
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    canvas = np.full((600, 600, 3), 128, np.uint8)
    canvas[: small.shape[0], : small.shape[1]] = small
    assert refusal(recognizer, canvas) == Refusal.TOO_SMALL


def test_a_blurred_face_is_refused(recognizer):
    image = photo("people/obama/obama.jpg")
    blurred = cv2.GaussianBlur(image, (0, 0), 9)
    assert refusal(recognizer, blurred) == Refusal.BLURRED


def test_a_turned_away_face_is_refused(recognizer):
    # friends_b.jpg holds a face in profile (yaw 1.0): cut out alone, it is refused.
    image = photo("group/friends_b.jpg")
    profile = max(recognizer.faces(image), key=lambda face: face.yaw)
    assert profile.yaw > 0.9
    x, y, w, h = profile.box
    crop = image[max(y - h, 0) : y + 2 * h, max(x - w, 0) : x + 2 * w]
    assert refusal(recognizer, crop) == Refusal.TURNED_AWAY


def test_yaw_from_the_landmarks():
    frontal = np.array([[40, 50], [72, 50], [56, 68], [44, 85], [68, 85]], float)
    assert yaw_of(frontal) == pytest.approx(0.0)
    half_turned = frontal.copy()
    half_turned[2, 0] = 64  # the nose halfway to the left eye
    assert yaw_of(half_turned) == pytest.approx(0.5)
    profile = frontal.copy()
    profile[2, 0] = 80  # the nose beyond the eye
    assert yaw_of(profile) == 1.0
    tilted = np.array(
        [[40, 50], [72, 82], [56, 66], [30, 90], [60, 110]], float
    )  # rolled 45 degrees, frontal
    assert yaw_of(tilted) == pytest.approx(0.0, abs=1e-6)


# Faces of a photo -----------------------------------------------------------------


def test_faces_carry_crop_width_sharpness_and_yaw(recognizer):
    faces = recognizer.faces(photo("group/kit_with_rose.jpg"))
    assert len(faces) == 2
    for face in faces:
        assert face.crop is not None and face.crop.shape == (112, 112, 3)
        assert face.width == face.box[2] > 50
        assert face.sharpness > 0 and 0 <= face.yaw <= 1
        assert len(face.landmarks) == 5
    assert recognizer.info.name and recognizer.info.version


@pytest.mark.parametrize(("name", "expected"), [("1.jpg", 51), ("8.jpg", 68), ("11.jpg", 26)])
def test_detection_counts_on_real_classroom_photos(recognizer, name, expected):
    found = recognizer.detect(photo(f"classroom/{name}"))
    assert abs(len(found) - expected) <= max(2, expected // 10)


@pytest.mark.parametrize("tiled", [False, True])
def test_small_faces_are_found_at_full_resolution_and_across_tiles(recognizer, monkeypatch, tiled):
    # A face shrunk to ~24 px, pasted in the overlaps of the tiles and in a corner.
    if tiled:
        monkeypatch.setattr(opencv, "SINGLE_PASS_PIXELS", 1_000_000)
    source = photo("people/obama/obama.jpg")
    small = cv2.resize(source, None, fx=24 / 231, fy=24 / 231, interpolation=cv2.INTER_AREA)
    canvas = np.full((2400, 3200, 3), 120, np.uint8)
    positions = [(1420, 1420), (1500, 200), (200, 1500), (3050, 2250)]
    for x, y in positions:
        canvas[y : y + small.shape[0], x : x + small.shape[1]] = small
    found = recognizer.detect(canvas)
    assert len(found) == len(positions)
    assert all(18 <= row[2] <= 32 for row in found)


def test_tiles_cover_a_photo_with_overlap():
    starts = opencv._tiles(4000, 1600, 200)
    assert starts[0] == 0 and starts[-1] + 1600 == 4000
    assert all(b - a <= 1600 - 200 for a, b in itertools.pairwise(starts))
    assert opencv._tiles(1000, 1600, 200) == [0]


# Matching -------------------------------------------------------------------------


def test_friends_b_faces_each_match_exactly_one_face_of_friends_a(recognizer):
    enrolled = recognizer.faces(photo("group/friends_a.jpg"))
    probes = recognizer.faces(photo("group/friends_b.jpg"))
    assert len(enrolled) == len(probes) == 6
    gallery = {index: [face.embedding] for index, face in enumerate(enrolled)}
    proposal = propose([[face.embedding for face in probes]], gallery, DEFAULT_THRESHOLDS)
    matched = [s for s in proposal.students if s.best is not None]
    assert len(matched) == 6  # every face of b went to a student, each to a different one
    assert sorted(s.best.face for s in matched) == list(range(6))
    assert proposal.unknown == []
    assert all(s.band in (Band.PRESENT, Band.CHECK) for s in matched)


def test_enrol_from_people_and_probe_with_other_photos(recognizer):
    names = ["obama", "biden", "alex_lacamoire", "rose_leslie", "kit_harington"]
    enrol = {
        "obama": "obama.jpg",
        "biden": "biden.jpg",
        "alex_lacamoire": "img1.jpg",
        "rose_leslie": "img1.jpg",
        "kit_harington": "john1.jpeg",
    }
    probe = {
        "obama": "obama2.jpg",
        "biden": "biden2.jpg",
        "alex_lacamoire": "probe1.jpg",
        "rose_leslie": "img2.jpg",
        "kit_harington": "probe1.jpg",
    }
    gallery = {
        i: recognizer.reference(photo(f"people/{n}/{enrol[n]}")) for i, n in enumerate(names)
    }
    present = [0, 2, 4]  # obama, alex, kit in the photos; biden and rose absent
    photos = [
        [recognizer.faces(photo(f"people/{names[i]}/{probe[names[i]]}"))[0].embedding]
        for i in present
    ]
    proposal = propose(photos, gallery, DEFAULT_THRESHOLDS)
    bands = {names[s.student]: s.band for s in proposal.students}
    for i in present:
        assert bands[names[i]] in (Band.PRESENT, Band.CHECK), names[i]
    assert bands["obama"] == Band.PRESENT
    assert bands["biden"] != Band.PRESENT and bands["rose_leslie"] != Band.PRESENT


def test_one_face_goes_to_one_student_only():
    # Two students whose references both resemble the single face of the photo.
    face = unit(np.array([1.0, 0.0, 0.0, 0.0]))
    gallery = {7: [unit(np.array([0.95, 0.31, 0, 0]))], 8: [unit(np.array([0.9, 0, 0.43, 0]))]}
    proposal = propose([[face]], gallery, Thresholds(present=0.5, check=0.3, margin=0.0))
    seen = [s for s in proposal.students if s.best is not None]
    assert len(seen) == 1 and seen[0].student == 7
    other = next(s for s in proposal.students if s.student == 8)
    assert other.band == Band.UNSEEN and math.isnan(other.scores[0])


def test_each_student_gets_at_most_one_face_per_photo():
    student = unit(np.array([1.0, 0.0, 0.0]))
    twins = [unit(np.array([0.9, 0.1, 0.0])), unit(np.array([0.9, 0.0, 0.1]))]
    proposal = propose([twins], {1: [student]}, Thresholds(present=0.5, check=0.3, margin=0.05))
    assert len(proposal.students) == 1 and len(proposal.unknown) == 1


def test_the_three_bands_and_every_score_kept():
    thresholds = Thresholds(present=0.6, check=0.4, margin=0.1)
    axis = np.eye(8, dtype=np.float32)

    def at(score: float, along: int, rest: int) -> np.ndarray:
        return unit(score * axis[along] + math.sqrt(1 - score**2) * axis[rest])

    gallery = {1: [axis[0]], 2: [axis[1]], 3: [axis[2]], 4: [axis[3]], 5: [axis[4]]}
    photos = [
        [at(0.8, 0, 6), at(0.5, 1, 6), at(0.2, 2, 7)],  # 1 present, 2 in the middle band, 3 too low
        [at(0.7, 0, 7)],  # 1 again, less well: its best stays 0.8
        [unit(0.7 * axis[3] + 0.65 * axis[4])],  # 4 and 5 too close to tell apart
    ]
    proposal = propose(photos, gallery, thresholds)
    by_student = {s.student: s for s in proposal.students}
    assert by_student[1].band == Band.PRESENT
    assert by_student[1].best.score == pytest.approx(0.8, abs=1e-5)
    assert by_student[1].scores[0] == pytest.approx(0.8, abs=1e-5)
    assert by_student[1].scores[1] == pytest.approx(0.7, abs=1e-5)
    assert math.isnan(by_student[1].scores[2])
    assert by_student[2].band == Band.CHECK
    assert by_student[3].band == Band.UNSEEN
    assert (0, 2) in proposal.unknown  # the 0.2 face was matched to nobody
    close = by_student[4] if by_student[4].best else by_student[5]
    assert close.band == Band.CHECK  # above `present` but within the margin of another
    assert close.best.score >= thresholds.present
    assert close.best.score - close.second_score < thresholds.margin


def test_students_without_references_are_unseen():
    proposal = propose([[unit(np.ones(4))]], {1: []}, DEFAULT_THRESHOLDS)
    assert proposal.students[0].band == Band.UNSEEN
    assert proposal.unknown == [(0, 0)]


# Model files ----------------------------------------------------------------------


def test_a_model_file_whose_digest_differs_is_not_loaded(tmp_path):
    for name in (DETECTOR_FILE, EMBEDDER_FILE):
        shutil.copy(models_dir() / name, tmp_path / name)
    data = bytearray((tmp_path / EMBEDDER_FILE).read_bytes())
    data[-1] ^= 0xFF
    (tmp_path / EMBEDDER_FILE).write_bytes(bytes(data))
    assert (
        hashlib.sha256(data).hexdigest()
        != hashlib.sha256((models_dir() / EMBEDDER_FILE).read_bytes()).hexdigest()
    )
    with pytest.raises(ModelIntegrityError, match=EMBEDDER_FILE):
        OpenCVRecognizer(tmp_path)


# Threads and broken detections ----------------------------------------------------


def test_each_thread_has_its_own_recognizer() -> None:
    """YuNet and SFace keep state between calls: runserver's threads never share one."""
    import threading

    mine = default_recognizer()
    assert default_recognizer() is mine
    theirs: list[OpenCVRecognizer] = []
    other = threading.Thread(target=lambda: theirs.append(default_recognizer()))
    other.start()
    other.join()
    assert theirs and theirs[0] is not mine


class _Detector:
    """Stands in for YuNet: answers the rows it is given, whatever the image."""

    def __init__(self, rows: np.ndarray) -> None:
        self.rows = rows

    def setInputSize(self, size: tuple[int, int]) -> None:  # noqa: N802  (OpenCV's name)
        pass

    def detect(self, image: np.ndarray) -> tuple[int, np.ndarray]:
        return 1, self.rows.copy()


def test_a_detection_that_is_not_all_numbers_is_no_face(monkeypatch) -> None:
    good = np.array([[100, 100, 80, 90, *([120.0] * 10), 0.95]], np.float32)
    nan = good.copy()
    nan[0, 2] = np.nan
    huge = good.copy()
    huge[0, :2] = np.inf
    engine = OpenCVRecognizer()
    monkeypatch.setattr(engine, "_detector", _Detector(np.concatenate([nan, good, huge])))
    with np.errstate(all="raise"):  # no NaN reaches the suppression's arithmetic
        found = engine.detect(np.zeros((1200, 1200, 3), np.uint8))  # one pass: no 2x, no tiles
    assert found.tolist() == good.tolist()
