"""From the faces of a day's photos to a proposed roll call.

Per photo, faces and students are paired by an optimal assignment (a face goes to at
most one student and a student gets at most one face of that photo); each student's
best assigned score over the photos decides the band. Nothing is ever marked present
on a guess: a close second-best student sends the child to "please check".
"""

import math

import numpy as np
from scipy.optimize import linear_sum_assignment

from hazri.faces.recognition.base import (
    Band,
    Embedding,
    Proposal,
    Sighting,
    StudentProposal,
    Thresholds,
)

# Chosen from bench/faces (bench/results/faces.json: "scores_by_width" and
# "present_sweep", seed 18, 2026-12-07; 10 true identities, 37 enrolled). Impostor
# scores (a face against another student) reach at most 0.42 in every width bucket
# (99.5th percentile 0.30-0.32); genuine ones have their 5th percentile at 0.55 from 40
# px, 0.45 at 30-39 and 0.27 at 20-29. `present` = 0.50 gives 100 % automatic recall
# from 40 px and no false present in any bucket; 0.45 would recall more small faces
# (75 % against 64 % at 20-29) but 0.40 already marks 2.4 % of absent students present
# at 30-39, and ten identities undersample the impostor tail: the margin is kept.
# `check` = 0.30 sits at the impostors' 99.5th percentile, so a stranger rarely
# reaches "please check"; `margin` = 0.08 sends a face that two students claim
# alike to the teacher.
DEFAULT_THRESHOLDS = Thresholds(present=0.50, check=0.30, margin=0.08)


def score_matrix(
    faces: list[Embedding], gallery: dict[int, list[Embedding]]
) -> tuple[list[int], np.ndarray]:
    """Students (in gallery order) and each face's score against each: the highest
    cosine similarity over the student's reference embeddings."""
    students = list(gallery)
    scores = np.full((len(faces), len(students)), -1.0)
    if faces and students:
        probe = np.stack(faces).astype(np.float32)
        for column, student in enumerate(students):
            references = gallery[student]
            if references:
                scores[:, column] = (probe @ np.stack(references).astype(np.float32).T).max(axis=1)
    return students, scores


def propose(
    photos: list[list[Embedding]], gallery: dict[int, list[Embedding]], thresholds: Thresholds
) -> Proposal:
    """The proposal for one section's day: `photos` holds each photo's face embeddings,
    `gallery` each student's reference embeddings (students without any are "unseen")."""
    students = list(gallery)
    per_photo: dict[int, list[float]] = {student: [math.nan] * len(photos) for student in students}
    best: dict[int, Sighting] = {}
    seen: dict[int, list[Sighting]] = {student: [] for student in students}
    second: dict[int, float] = {}
    unknown: list[tuple[int, int]] = []
    for photo, faces in enumerate(photos):
        _, scores = score_matrix(faces, gallery)
        assigned: set[int] = set()
        if scores.size:
            rows, columns = linear_sum_assignment(scores, maximize=True)
            for face, column in zip(rows.tolist(), columns.tolist(), strict=True):
                score = float(scores[face, column])
                if score < thresholds.check:
                    continue  # a weak pairing is no sighting: the face stays unknown
                student = students[column]
                assigned.add(face)
                per_photo[student][photo] = score
                seen[student].append(Sighting(photo=photo, face=face, score=score))
                if student not in best or score > best[student].score:
                    best[student] = Sighting(photo=photo, face=face, score=score)
                    others = np.delete(scores[face], column)
                    second[student] = float(others.max()) if others.size else -1.0
        unknown.extend((photo, face) for face in range(len(faces)) if face not in assigned)
    proposals = []
    for student in students:
        sighting = best.get(student)
        if sighting is None:
            proposals.append(
                StudentProposal(student, Band.UNSEEN, None, -1.0, per_photo[student], [])
            )
            continue
        runner_up = second[student]
        if sighting.score >= thresholds.present and sighting.score - runner_up >= thresholds.margin:
            band = Band.PRESENT
        else:
            band = Band.CHECK
        proposals.append(
            StudentProposal(student, band, sighting, runner_up, per_photo[student], seen[student])
        )
    return Proposal(students=proposals, unknown=unknown)
