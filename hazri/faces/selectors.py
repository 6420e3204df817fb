"""Reads of photo attendance, each through the permission model."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of, require, restrict
from hazri.attendance.models import RollCall, Source
from hazri.common.errors import NotFound
from hazri.faces.models import Consent, PhotoSet, Proposed, Reference, SeenFace
from hazri.faces.services.consent import standing_consent
from hazri.org import selectors as org
from hazri.org.models import School, Section
from hazri.people import selectors as people
from hazri.people.models import Student


def photo_set_visible(user: Any, set_id: int) -> PhotoSet:
    return require(
        PhotoSet.objects.select_related(
            "school", "section", "section__school", "section__academic_year"
        ),
        actor_of(user),
        Action.VIEW,
        set_id,
        field="photo_set",
        noun="photo set",
    )


def photo_set_to_mark(user: Any, set_id: int) -> PhotoSet:
    """A set the user may upload to and review: they may mark its section that day."""
    photo_set = photo_set_visible(user, set_id)
    access.require_marker(
        user,
        photo_set.school,
        photo_set.day,
        section=photo_set.section,
        marking_scope=org.policy_for_school(photo_set.school).marking_scope,
    )
    return photo_set


def photo_sets_of(section: Section, day: dt.date) -> list[PhotoSet]:
    return list(
        PhotoSet.objects.filter(school_id=section.school_id, section=section, day=day).order_by(
            "-created_at"
        )
    )


def seen_face_visible(user: Any, face_id: int) -> SeenFace:
    return require(
        SeenFace.objects.all(), actor_of(user), Action.VIEW, face_id, field="face", noun="face"
    )


def reference_visible(user: Any, reference_id: int) -> Reference:
    return require(
        Reference.objects.select_related("school", "student"),
        actor_of(user),
        Action.VIEW,
        reference_id,
        field="reference",
        noun="reference face",
    )


def consent_visible(user: Any, consent_id: int) -> Consent:
    return require(
        Consent.objects.select_related("school", "student"),
        actor_of(user),
        Action.VIEW,
        consent_id,
        field="consent",
        noun="consent",
    )


@dataclass(frozen=True)
class StudentFaces:
    student: Student
    school: School
    section: Section | None
    consent: Consent | None
    references: list[Reference]
    consents: list[Consent]  # every consent recorded at this school, newest first


def student_faces(user: Any, student_id: int) -> StudentFaces:
    """A student's consent and references at their school (the user must see the student)."""
    student = access.student_visible(user, student_id)
    enrolment = people.current_enrolment(student)
    if enrolment is None:
        raise NotFound(f"Student {student_id} is on no school's roll.", field="student")
    school = enrolment.school
    references = list(
        restrict(
            Reference.objects.filter(school=school, student=student), actor_of(user), Action.VIEW
        )
        .defer("embeddings")
        .order_by("-added_at")
    )
    consents = list(
        Consent.objects.filter(school=school, student=student).order_by("-recorded_at", "-pk")
    )
    return StudentFaces(
        student=student,
        school=school,
        section=enrolment.section,
        consent=standing_consent(school, student),
        references=references,
        consents=consents,
    )


@dataclass(frozen=True)
class ReviewLine:
    proposed: Proposed
    name: str
    roll_no: int | None
    reference_id: int | None


def review_lines(photo_set: PhotoSet) -> list[ReviewLine]:
    """The proposal, in roll order, with each student's newest reference face."""
    roll = people.section_roll(photo_set.section, photo_set.day)
    lines = {
        line.student_id: line
        for line in Proposed.objects.filter(school_id=photo_set.school_id, photo_set=photo_set)
    }
    newest: dict[int, int] = {}
    for student_id, pk in (
        Reference.objects.filter(school_id=photo_set.school_id, student_id__in=list(lines))
        .order_by("added_at", "pk")
        .values_list("student_id", "pk")
    ):
        newest[student_id] = pk
    return [
        ReviewLine(
            proposed=lines[member.id],
            name=member.name,
            roll_no=member.roll_no,
            reference_id=newest.get(member.id),
        )
        for member in roll
        if member.id in lines
    ]


def unknown_faces(photo_set: PhotoSet) -> list[SeenFace]:
    return list(
        SeenFace.objects.filter(
            school_id=photo_set.school_id, photo__photo_set=photo_set, student__isnull=True
        )
        .defer("embedding", "crop")
        .select_related("photo")
        .order_by("photo__index", "index")
    )


@dataclass(frozen=True)
class Adoption:
    """Per school: roll calls, those from photos, and how teachers corrected the proposals."""

    rollcalls: int
    from_photos: int
    children: int
    to_absent: int
    to_present: int


def adoption_by_school(school_ids: list[int], start: dt.date, end: dt.date) -> dict[int, Adoption]:
    """The field's own measure of recognition (SPEC §2.4), per school over the days."""
    calls = dict.fromkeys(school_ids, (0, 0))
    for school_id, total, photos in (
        RollCall.objects.filter(
            school_id__in=school_ids, day__gte=start, day__lte=end, is_current=True
        )
        .values_list("school_id")
        .annotate(total=Count("pk"), photos=Count("pk", filter=Q(source=Source.PHOTO)))
    ):
        calls[school_id] = (total, photos)
    reviews: dict[int, tuple[int, int, int]] = {}
    for school_id, children, to_absent, to_present in (
        PhotoSet.objects.filter(
            school_id__in=school_ids, day__gte=start, day__lte=end, status=PhotoSet.Status.SUBMITTED
        )
        .values_list("school_id")
        .annotate(Sum("children"), Sum("to_absent"), Sum("to_present"))
    ):
        reviews[school_id] = (children or 0, to_absent or 0, to_present or 0)
    return {
        school_id: Adoption(
            rollcalls=calls[school_id][0],
            from_photos=calls[school_id][1],
            children=reviews.get(school_id, (0, 0, 0))[0],
            to_absent=reviews.get(school_id, (0, 0, 0))[1],
            to_present=reviews.get(school_id, (0, 0, 0))[2],
        )
        for school_id in school_ids
    }
