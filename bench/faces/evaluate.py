"""How well and how fast the photo roll call recognises a class: recall of present
students, false present and "please check" by face width, and CPU per 12 MP photo.

The evaluation set is built from ../shared/data/faces (or $HAZRI_FACE_DATA): the ten
people of people/ are the true identities, each enrolled from some photos and probed
with the others; the faces of group/friends_a.jpg and group/bald_guys.jpg are enrolled
too, as students who are never in class (they make the gallery a class of 30-50); the
faces of the real classroom photos are strangers. Synthetic 12 MP class photos
(bench/faces/synth.py) are made per width bucket: several photos per class, partial
occlusion, blur, JPEG 60-85, from a fixed seed.

    .venv/bin/python bench/faces/evaluate.py [--classes 3] [--photos 3] [--seed 18]
        [--out bench/results/faces.json]

Prints the tables and writes the figures as JSON. Targets: recall >= 98 % and false
present <= 0.5 % for faces of 40 px and more; below, false present <= 0.5 % and
"please check" < 20 % of the class; <= 2 s of CPU per 12 MP photo.
"""

import argparse
import json
import platform
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "faces"))
sys.path.insert(0, str(ROOT / "bench"))

import cpu  # noqa: E402  (bench/cpu.py)
import synth  # noqa: E402  (bench/faces/synth.py)

from hazri.faces.recognition.base import Band, Embedding, EnrolmentRefused, Thresholds  # noqa: E402
from hazri.faces.recognition.matching import DEFAULT_THRESHOLDS, propose  # noqa: E402
from hazri.faces.recognition.opencv import FLIP_BELOW, default_recognizer  # noqa: E402

BUCKETS = [(20, 29), (30, 39), (40, 59), (60, 120)]
CLASSROOM_COUNTS = {"1.jpg": 51, "8.jpg": 68, "11.jpg": 26}  # the data README's counts
STRANGERS_PER_PHOTO = 12


@dataclass
class Seen:
    """One photo's detections: each face's embeddings (flip-averaged and plain) and who
    it really is ("" for a stranger, None for no pasted face: a false detection)."""

    flip: list[Embedding]
    plain: list[Embedding]
    truth: list[str | None]
    missed: int  # pasted student faces the detector did not find
    pasted: int
    cpu_s: float
    wall_s: float


def enrol(
    recognizer: Any, data: Path
) -> tuple[dict[str, list[Embedding]], dict[str, list[synth.Head]], list[str]]:
    """Gallery (each student's reference embeddings), probe heads of the true
    identities, and what enrolment refused."""
    gallery: dict[str, list[Embedding]] = {}
    probes: dict[str, list[synth.Head]] = {}
    refused = []
    for person in sorted((data / "people").iterdir()):
        photos = sorted(person.iterdir())
        keep = 1 if len(photos) <= 3 else 3
        for photo in photos[:keep]:
            try:
                gallery.setdefault(person.name, []).extend(
                    recognizer.reference(cv2.imread(str(photo)))
                )
            except EnrolmentRefused as refusal:
                refused.append(f"{person.name}/{photo.name}: {refusal.reason}")
        probes[person.name] = [
            h for p in photos[keep:] for h in synth.heads_of(recognizer, p, largest_only=True)
        ]
    for group in ("friends_a.jpg", "bald_guys.jpg"):
        for index, face in enumerate(
            synth.heads_of(recognizer, data / "group" / group, largest_only=False)
        ):
            if face.box[2] < 60:
                continue
            try:
                gallery[f"{group}#{index}"] = recognizer.reference(face.patch)
            except EnrolmentRefused as refusal:
                refused.append(f"{group}#{index}: {refusal.reason}")
    return gallery, probes, refused


def overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def look(recognizer: Any, photo: synth.ClassPhoto) -> Seen:
    cpu, wall = time.process_time(), time.perf_counter()
    faces = recognizer.faces(photo.image)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    truth: list[str | None] = []
    found = set()
    for face in faces:
        best = max(range(len(photo.placed)), key=lambda i: overlap(face.box, photo.placed[i].box))
        if overlap(face.box, photo.placed[best].box) >= 0.3:
            truth.append(photo.placed[best].identity or "")
            found.add(best)
        else:
            truth.append(None)
    pasted = [i for i, p in enumerate(photo.placed) if p.identity]
    return Seen(
        flip=[f.embedding for f in faces],
        plain=[f.embedding if f.width >= FLIP_BELOW else recognizer.feature(f.crop) for f in faces],
        truth=truth,
        missed=sum(1 for i in pasted if i not in found),
        pasted=len(pasted),
        cpu_s=cpu,
        wall_s=wall,
    )


def judge(
    classes: list[tuple[set[str], list[Seen]]],
    gallery: dict[str, list[Embedding]],
    thresholds: Thresholds,
    *,
    flip: bool = True,
    downscaled: bool = True,
) -> dict[str, Any]:
    """The figures of one bucket's classes under one variant."""
    names = sorted(gallery)
    ids = {name: i for i, name in enumerate(names)}
    counts = dict.fromkeys(
        (
            "present",
            "auto",
            "after_check",
            "absent",
            "false_present",
            "wrong_face",
            "check",
            "enrolled",
        ),
        0,
    )
    not_recalled: dict[str, int] = {}  # present students not proposed present, by name
    for present, seen in classes:
        photos = [s.flip if flip else s.plain for s in seen]
        refs = {ids[n]: (gallery[n] if downscaled else gallery[n][:1]) for n in names}
        if not flip:  # the plain variant compares with plain references
            refs = {ids[n]: plain_gallery[n] if downscaled else plain_gallery[n][:1] for n in names}
        proposal = propose(photos, refs, thresholds)
        for student in proposal.students:
            name = names[student.student]
            counts["enrolled"] += 1
            right = (
                student.best is not None
                and seen[student.best.photo].truth[student.best.face] == name
            )
            counts["check"] += student.band == Band.CHECK
            if name in present:
                counts["present"] += 1
                counts["auto"] += student.band == Band.PRESENT and right
                counts["after_check"] += student.band in (Band.PRESENT, Band.CHECK) and right
                counts["wrong_face"] += student.band == Band.PRESENT and not right
                if not (student.band == Band.PRESENT and right):
                    not_recalled[name] = not_recalled.get(name, 0) + 1
            else:
                counts["absent"] += 1
                counts["false_present"] += student.band == Band.PRESENT
    return counts | {
        "recall_auto_pct": pct(counts["auto"], counts["present"]),
        "recall_after_check_pct": pct(counts["after_check"], counts["present"]),
        "false_present_pct": pct(counts["false_present"], counts["absent"]),
        "check_pct": pct(counts["check"], counts["enrolled"]),
        "not_recalled": dict(sorted(not_recalled.items())),
    }


plain_gallery: dict[str, list[Embedding]] = {}


def pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, default=3, help="classes per width bucket")
    parser.add_argument("--photos", type=int, default=3, help="photos per class")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "faces.json"))
    args = parser.parse_args()
    data = synth.data_dir()
    if not (data / "people").is_dir():
        sys.exit(f"no face data at {data} (set HAZRI_FACE_DATA)")
    rng = np.random.default_rng(args.seed)
    recognizer = default_recognizer()  # one OpenCV thread: CPU seconds per photo are one core's
    gallery, probes, refused = enrol(recognizer, data)
    global plain_gallery
    plain_gallery = plain_references(recognizer, data, gallery)
    strangers = [
        h
        for p in sorted((data / "classroom").iterdir())
        for h in synth.heads_of(recognizer, p, largest_only=False)
    ]
    true_ids = sorted(probes)
    print(
        f"gallery: {len(gallery)} enrolled students, of whom {len(true_ids)} true identities with separate probe photos"
    )
    print(
        f"strangers: {len(strangers)} faces from the real classroom photos; enrolment refused: {refused or 'none'}"
    )

    by_bucket: dict[tuple[int, int], list[tuple[set[str], list[Seen]]]] = {}
    before = cpu.sample()
    for bucket in BUCKETS:
        for _ in range(args.classes):
            present = set(
                rng.choice(
                    true_ids,
                    size=int(rng.integers(len(true_ids) - 3, len(true_ids) + 1)),
                    replace=False,
                ).tolist()
            )
            seen = []
            for photo_index in range(args.photos):
                students = []
                for name in sorted(present):
                    if photo_index == 0 or rng.random() < 0.85:  # hidden in some photos
                        students.append((name, probes[name][int(rng.integers(len(probes[name])))]))
                extras = [
                    strangers[int(i)]
                    for i in rng.choice(len(strangers), STRANGERS_PER_PHOTO, replace=False)
                ]
                photo = synth.class_photo(students, extras, bucket, rng, int(rng.integers(60, 86)))
                seen.append(look(recognizer, photo))
            by_bucket.setdefault(bucket, []).append((present, seen))
        print(f"  bucket {bucket[0]}-{bucket[1]} px: {args.classes} classes done", flush=True)
    machine = cpu.shares(before, cpu.sample())
    print(f"machine CPU over the photos: {machine}")
    report = summarise(args, recognizer, gallery, by_bucket, data, true_ids, strangers, refused)
    report["machine_cpu"] = machine
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {args.out}")


def plain_references(
    recognizer: Any, data: Path, gallery: dict[str, list[Embedding]]
) -> dict[str, list[Embedding]]:
    """The same references embedded without the mirror image (for the ablation):
    recomputed from the flip-averaged ones' photos is costly, so approximated by
    re-running reference() with feature() in place of embed_crop()."""
    original = recognizer.embed_crop
    recognizer.embed_crop = recognizer.feature
    try:
        plain, _, _ = enrol(recognizer, data)
    finally:
        recognizer.embed_crop = original
    return plain


def scores_by_width(
    by_bucket: dict[tuple[int, int], list[tuple[set[str], list[Seen]]]],
    gallery: dict[str, list[Embedding]],
) -> dict[str, Any]:
    """Each bucket's genuine scores (a student's face vs that student) and impostor
    scores (any face vs another student): what the thresholds are chosen from."""
    names = sorted(gallery)
    out = {}
    for (lo, hi), classes in by_bucket.items():
        genuine: list[float] = []
        impostor: list[float] = []
        for _, seen in classes:
            for s in seen:
                for embedding, truth in zip(s.flip, s.truth, strict=True):
                    if truth is None:
                        continue
                    for name in names:
                        score = float(max(np.dot(r, embedding) for r in gallery[name]))
                        (genuine if name == truth else impostor).append(score)
        g, i = np.array(genuine), np.array(impostor)
        out[f"{lo}-{hi}"] = {
            "genuine_p05": round(float(np.percentile(g, 5)), 3) if g.size else None,
            "genuine_median": round(float(np.median(g)), 3) if g.size else None,
            "impostor_p99_5": round(float(np.percentile(i, 99.5)), 3),
            "impostor_max": round(float(i.max()), 3),
        }
    return out


def summarise(
    args: Any,
    recognizer: Any,
    gallery: dict[str, list[Embedding]],
    by_bucket: dict[tuple[int, int], list[tuple[set[str], list[Seen]]]],
    data: Path,
    true_ids: list[str],
    strangers: list[Any],
    refused: list[str],
) -> dict[str, Any]:
    rows = {}
    print(f"\nthresholds: {DEFAULT_THRESHOLDS}")
    print(
        f"{'width':>8} {'detected':>9} {'recall auto':>12} {'after check':>12} {'false pres.':>12} {'check':>7}   (counts: present/absent students)"
    )
    for (lo, hi), classes in by_bucket.items():
        figures = judge(classes, gallery, DEFAULT_THRESHOLDS)
        pasted = sum(s.pasted for _, seen in classes for s in seen)
        missed = sum(s.missed for _, seen in classes for s in seen)
        figures["detected_pct"] = pct(pasted - missed, pasted)
        figures["ablation"] = {
            "no_flip": judge(classes, gallery, DEFAULT_THRESHOLDS, flip=False),
            "no_downscaled_refs": judge(classes, gallery, DEFAULT_THRESHOLDS, downscaled=False),
        }
        rows[f"{lo}-{hi}"] = figures
        print(
            f"{lo:>3}-{hi:<4} {figures['detected_pct']:>8}% {figures['recall_auto_pct']:>11}% {figures['recall_after_check_pct']:>11}%"
            f" {figures['false_present_pct']:>11}% {figures['check_pct']:>6}%   ({figures['present']}/{figures['absent']})"
        )
    print("\npresent students not proposed present, by identity (class-days):")
    for bucket, figures in rows.items():
        print(f"  {bucket:>7} {figures['not_recalled'] or '-'}")
    print("\nablation (recall auto / after check / false present / check, %):")
    for bucket, figures in rows.items():
        for name, variant in figures["ablation"].items():
            print(
                f"  {bucket:>7} {name:<20} {variant['recall_auto_pct']:>6} {variant['recall_after_check_pct']:>6} {variant['false_present_pct']:>6} {variant['check_pct']:>6}"
            )
    distributions = scores_by_width(by_bucket, gallery)
    print("\nscores by width (genuine p5 / median, impostor p99.5 / max):")
    for bucket, d in distributions.items():
        print(
            f"  {bucket:>7} {d['genuine_p05']} / {d['genuine_median']}   {d['impostor_p99_5']} / {d['impostor_max']}"
        )
    sweep: dict[str, dict[str, dict[str, float]]] = {}
    for present in (0.40, 0.45, 0.50, 0.55, 0.60):
        thresholds = replace(DEFAULT_THRESHOLDS, present=present)
        sweep[str(present)] = {
            b: {
                k: judge(c, gallery, thresholds)[k]
                for k in ("recall_auto_pct", "false_present_pct")
            }
            for (lo, hi), c in by_bucket.items()
            for b in [f"{lo}-{hi}"]
        }
    print("\npresent threshold sweep (recall auto / false present, % by bucket):")
    for level, figures in sweep.items():
        print(
            f"  {level:<5} "
            + "  ".join(
                f"{b}: {f['recall_auto_pct']}/{f['false_present_pct']}" for b, f in figures.items()
            )
        )
    classroom = {}
    for name, expected in CLASSROOM_COUNTS.items():
        image = cv2.imread(str(data / "classroom" / name))
        cpu = time.process_time()
        found = len(recognizer.faces(image))
        classroom[name] = {
            "found": found,
            "readme": expected,
            "cpu_s": round(time.process_time() - cpu, 2),
        }
    print(f"\nreal classroom photos (faces found / the data README's count): {classroom}")
    cpus = [s.cpu_s for cl in by_bucket.values() for _, seen in cl for s in seen]
    walls = [s.wall_s for cl in by_bucket.values() for _, seen in cl for s in seen]
    faces = [len(s.truth) for cl in by_bucket.values() for _, seen in cl for s in seen]
    per_class = [sum(s.cpu_s for s in seen) for cl in by_bucket.values() for _, seen in cl]
    timing = {
        "cpu_s_per_photo_mean": round(float(np.mean(cpus)), 2),
        "cpu_s_per_photo_max": round(float(np.max(cpus)), 2),
        "wall_s_per_photo_mean": round(float(np.mean(walls)), 2),
        "faces_per_photo_mean": round(float(np.mean(faces)), 1),
        "cpu_s_per_class_mean": round(float(np.mean(per_class)), 2),
        "photos_per_class": args.photos,
        "opencv_threads": cv2.getNumThreads(),
    }
    print(f"CPU per 12 MP photo: {timing}")
    return {
        "what": "photo roll call: recognition by face width on synthetic 12 MP class photos",
        "identities": {
            "true": len(true_ids),
            "enrolled": len(gallery),
            "strangers": len(strangers),
            "refused": refused,
        },
        "settings": {
            "classes_per_bucket": args.classes,
            "photos": args.photos,
            "seed": args.seed,
            "strangers_per_photo": STRANGERS_PER_PHOTO,
            "thresholds": DEFAULT_THRESHOLDS.__dict__,
            "model": recognizer.info.__dict__,
        },
        "by_width": rows,
        "scores_by_width": distributions,
        "present_sweep": sweep,
        "classroom": classroom,
        "timing": timing,
        "python": platform.python_version(),
        "opencv": cv2.__version__,
        "machine": f"{platform.machine()} {__import__('os').cpu_count()} cpus",
    }


if __name__ == "__main__":
    main()
