"""The permission model's everyday questions, for views, endpoints and services.

Each answer comes from hazri.accounts.access (roles × actions, judged on a day in
the school's time); these name the common cases. "Not yours" and "does not exist"
are one 404.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hazri.accounts.access import (
    Action,
    Actor,
    Role,
    actor_of,
    require,
    require_role,
    restrict,
    today_in,
    unit_in_area,
)
from hazri.audit.models import AuditEvent
from hazri.common.errors import NotFound
from hazri.org import selectors as org
from hazri.org.models import OrgUnit, School, Section
from hazri.people import selectors as people
from hazri.people.models import Enrolment, Student
from hazri.people.selectors import PostingSpan

__all__ = ["PostingSpan"]


def _actor(user: Any, postings: list[PostingSpan] | None = None) -> Actor:
    return Actor(user, postings=postings) if postings is not None else actor_of(user)


def schools_posted_to(user: Any, day: dt.date | None = None) -> QuerySet[School]:
    """The schools the user is posted to on the day (each on its own today without one)."""
    return School.objects.filter(pk__in=sorted(_actor(user).schools_posted(day)))


def schools_visible_to(user: Any) -> QuerySet[School]:
    return restrict(School.objects.all(), _actor(user), Action.VIEW)


def school_visible(user: Any, school_id: int) -> School:
    return require(
        School.objects.all(), _actor(user), Action.VIEW, school_id, field="school", noun="school"
    )


def section_visible(user: Any, section_id: int) -> Section:
    return require(
        Section.objects.select_related("school", "academic_year"),
        _actor(user),
        Action.VIEW,
        section_id,
        field="section",
        noun="section",
    )


def postings_of(user: Any) -> list[PostingSpan]:
    """Every posting of the user, past and future, in one query: a request that checks
    several schools or days asks these instead of the database each time."""
    return people.postings_of_user(user.pk) if user.is_authenticated else []


def sections_visible(
    user: Any, section_ids: Iterable[int], *, postings: list[PostingSpan] | None = None
) -> dict[int, Section]:
    """The sections among these ids that the user may see (as section_visible judges),
    or that belong to a school they were ever posted to: a teacher who has left may
    still sync the marks of the days they were posted, which require_marker judges on
    each day. By id, in one query for the sections, the user's postings if not given,
    and their officer grants only if a posting does not already show the section."""
    if not user.is_authenticated:
        return {}
    sections = org.sections_by_id(section_ids)
    if user.is_superuser or not sections:
        return sections
    actor = _actor(user, postings)
    posted_ever = {p.school_id for p in actor.postings}
    return {
        pk: section
        for pk, section in sections.items()
        if section.school_id in posted_ever
        or actor.may(Action.VIEW, section.school, section=section) is not None
    }


def posting_role(
    user: Any, school: School, day: dt.date, *, postings: list[PostingSpan] | None = None
) -> str | None:
    """ "head" or "teacher" where the user may mark at the school on the day, else None."""
    role = _actor(user, postings).role_at(school.pk, day)
    return role.value if role in (Role.HEAD, Role.TEACHER) else None


def require_marker(
    user: Any,
    school: School,
    day: dt.date,
    *,
    section: Section | None = None,
    postings: list[PostingSpan] | None = None,
    marking_scope: str = "school",
) -> str:
    """The user's role if they may mark this school's (or section's) attendance on the
    day being marked; else Forbidden."""
    role = require_role(
        _actor(user, postings),
        Action.MARK,
        school,
        section=section,
        day=day,
        marking_scope=marking_scope,
    )
    return role.value


def require_officer_over(user: Any, school: School) -> None:
    """Officers whose area contains the school (block or above) decide here."""
    require_role(_actor(user), Action.APPROVE, school, field="rollcall")


# How long a child who left a school for none stays on its staff's and officers' lists.
LEFT_FOLLOWED_DAYS = 365


def students_visible_to(user: Any) -> QuerySet[Student]:
    """Students of the user's schools (staff, officers), their own children (parents),
    or themselves (students)."""
    actor = _actor(user)
    if not actor.authenticated:
        return Student.objects.none()
    if actor.is_superuser:
        return Student.objects.all()
    # Staff and officers see the students on the roll of their schools now, not every
    # child who ever passed through them; parents their children; students themselves.
    # A child who left one of their schools in the last LEFT_FOLLOWED_DAYS and is on no
    # school's roll now (dropped out, migrated out of the state) stays theirs to follow
    # up (SPEC §1.7); one who joined another school is that school's. Across many
    # schools "today" is the deployment's (the state's) date.
    today = today_in(settings.TIME_ZONE)
    schools = schools_visible_to(user)
    on_roll = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    condition = Q(
        Q(enrolments__ends_on__isnull=True) | Q(enrolments__ends_on__gte=today),
        enrolments__school__in=schools,
    )
    condition |= Q(
        ~Exists(Enrolment.objects.filter(on_roll, student=OuterRef("pk"))),
        enrolments__school__in=schools,
        enrolments__ends_on__gte=today - dt.timedelta(days=LEFT_FOLLOWED_DAYS),
    )
    own = {actor.own_student} if actor.own_student is not None else set()
    family = sorted(actor.children | own)
    if family:
        condition |= Q(pk__in=family)
    return Student.objects.filter(condition).distinct()


@dataclass(frozen=True)
class FamilyMember:
    """A child of the user (or the user, a student), with where they are on the roll:
    the latest enrolment that has begun, None before any."""

    student: Student
    enrolment: Enrolment | None
    relation: str  # "child" or "self"


def family_of(user: Any) -> list[FamilyMember]:
    """The user's children and their own student record, by name, each with their
    current (else latest) enrolment: three queries whatever the family's size."""
    actor = _actor(user)
    if not actor.authenticated:
        return []
    own = actor.own_student
    ids = sorted(actor.children | ({own} if own is not None else set()))
    if not ids:
        return []
    today = today_in(settings.TIME_ZONE)
    latest: dict[int, Enrolment] = {}
    enrolments = (
        Enrolment.objects.filter(student_id__in=ids, starts_on__lte=today)
        .select_related("school", "section")
        .order_by("student_id", "starts_on", "pk")
    )
    for enrolment in enrolments:
        latest[enrolment.student_id] = enrolment  # the last to begin wins
    return [
        FamilyMember(s, latest.get(s.pk), "self" if s.pk == own else "child")
        for s in Student.objects.filter(pk__in=ids).order_by("name", "pk")
    ]


def family_only(user: Any) -> bool:
    """A parent or a student and nothing else (no posting, no area): their start is the
    family's page, whatever link brought them."""
    actor = _actor(user)
    if actor.is_superuser or actor.postings or actor.areas:
        return False
    return bool(actor.children) or actor.own_student is not None


def is_family(user: Any, student: Student) -> bool:
    """The student or one of their guardians: they see the whole history."""
    return _actor(user).is_family(student.pk)


def student_visible(user: Any, student_id: int) -> Student:
    student = students_visible_to(user).filter(pk=student_id).first()
    if student is None:
        raise NotFound(f"No student {student_id} that you may see.", field="student")
    return student


def unit_visible(user: Any, unit_id: int | None) -> OrgUnit:
    """An org unit inside the officer's jurisdiction; without an id, their own top unit."""
    return unit_in_area(_actor(user), unit_id)


SIGNIN_ACTIONS = {
    "signin.password": _("Logged in with a password"),
    "signin.sso": _("Logged in with single sign-on"),
    "signin.token": _("Logged in on a device (app)"),
    "signin.failed": _("Wrong password"),
    "signin.locked": _("Refused: too many failed logins"),
    "signin.refused_policy": _("Refused: use single sign-on"),
    "signout": _("Logged out"),
}


def recent_signins(user: Any, limit: int = 30) -> list[dict[str, Any]]:
    """The user's own latest sign-in events (hazri/accounts/signins.py), newest first:
    when, what, from which address and browser, and why a session ended."""
    events = (
        AuditEvent.objects.filter(user_id=user.pk)
        .filter(Q(action__startswith="signin.") | Q(action="signout"))
        .order_by("-at", "-pk")[:limit]
    )
    return [
        {
            "at": event.at,
            "action": event.action,
            "label": SIGNIN_ACTIONS.get(event.action, event.action),
            "ip": str(event.detail.get("ip", "")),
            "agent": str(event.detail.get("agent", "")),
            "reason": str(event.detail.get("reason", "")),
        }
        for event in events
    ]
