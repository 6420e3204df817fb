"""The permission model: who may do what to which records, in one place.

Every page, endpoint and service asks here (docs/development.md, "Permissions"). An
`Actor` is built once per request from what the user is: postings to schools (head,
school administrator, teacher, other staff), teaching assignments (class teacher or
subject teacher of a section), officers' grants over areas, the children they are
guardian of, and their own student record. `restrict(queryset, actor, action)` narrows
any registered model's rows to those the actor may act on; `require` answers one
object. Roles and actions are data in the tables below: a new role is a row there and
a branch in `_school_scope`, not an OR in every selector.

Postings and assignments are judged on the day being acted on (a roll call's day), in
the school's own time zone; with no day, on the school's today.
"""

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from hazri.common.errors import Forbidden, NotFound
from hazri.org.models import OrgUnit, School, Section
from hazri.people import selectors as people
from hazri.people.models import Posting


class Action(enum.StrEnum):
    VIEW = "view"  # see the records
    MARK = "mark"  # take a roll call; record the school's day (staff roll, meals)
    CORRECT = "correct"  # change a roll call after the day's cutoff
    CERTIFY = "certify"  # certify a month of the register
    APPROVE = "approve"  # decide on a change to a certified month (officers)
    APPROVE_LATE = "approve_late"  # decide on a late entry (the head too)
    FOLLOW_UP = "follow_up"  # record a follow-up of weak attendance, fees, results
    GRADE = "grade"  # the journal: lessons, homework, grades, remarks
    MESSAGE = "message"  # write to families or to the school
    ADMIT = "admit"  # admissions, enrolments, transfers, postings (people services)
    ISSUE = "issue"  # issue and revoke signed documents: report cards, transfer certificates
    SUPPORT = "support"  # handle the support tickets at one's own level
    # Bulk exchange: import rosters (enrolment register, HR, OneRoster) and export the
    # field's standard files (OneRoster, Ed-Fi) of what one reaches.
    EXCHANGE = "exchange"


class Role(enum.StrEnum):
    SUPERUSER = "superuser"
    OFFICER = "officer"  # state, district, block or cluster officer: their area
    HEAD = Posting.Role.HEAD.value
    SCHOOL_ADMIN = Posting.Role.ADMIN.value
    TEACHER = Posting.Role.TEACHER.value
    OTHER_STAFF = Posting.Role.OTHER.value
    GUARDIAN = "guardian"  # their children, in any school
    STUDENT = "student"  # themselves


A = Action
# What each role may do within its reach. A teacher's MARK of a section and GRADE are
# further narrowed to the sections (and subjects) they teach (see `_teaches`).
ACTIONS: dict[Role, frozenset[Action]] = {
    # A state's administrator sees and decides everything, but roll calls, the
    # register's certificate and grades are the school's own staff's acts.
    Role.SUPERUSER: frozenset(
        {
            *(A.VIEW, A.APPROVE, A.APPROVE_LATE, A.FOLLOW_UP, A.MESSAGE),
            *(A.ADMIT, A.ISSUE, A.SUPPORT, A.EXCHANGE),
        }
    ),
    Role.OFFICER: frozenset({A.VIEW, A.APPROVE, A.APPROVE_LATE, A.FOLLOW_UP, A.SUPPORT}),
    Role.HEAD: frozenset(
        {
            *(A.VIEW, A.MARK, A.CORRECT, A.CERTIFY, A.APPROVE_LATE),
            *(A.FOLLOW_UP, A.GRADE, A.MESSAGE, A.ADMIT, A.ISSUE, A.SUPPORT, A.EXCHANGE),
        }
    ),
    Role.SCHOOL_ADMIN: frozenset({A.VIEW, A.FOLLOW_UP, A.ADMIT, A.ISSUE, A.EXCHANGE}),
    Role.TEACHER: frozenset({A.VIEW, A.MARK, A.FOLLOW_UP, A.GRADE, A.MESSAGE}),
    Role.OTHER_STAFF: frozenset({A.VIEW}),
    Role.GUARDIAN: frozenset({A.VIEW, A.MESSAGE}),
    Role.STUDENT: frozenset({A.VIEW}),
}
# Of a school's postings, the one that decides (a head who also teaches acts as head).
_RANK = [Role.HEAD, Role.SCHOOL_ADMIN, Role.TEACHER, Role.OTHER_STAFF]


@dataclass(frozen=True)
class Reach:
    """How a model's rows reach the school, section and student they belong to: the
    ORM lookups `restrict` filters on (None: the model has no such link)."""

    school: str
    unit_path: str
    section: str | None = None
    student: str | None = None


_REACH: dict[type[models.Model], Reach] = {
    School: Reach(school="pk", unit_path="unit_path"),
    Section: Reach(school="school_id", unit_path="school__unit_path", section="pk"),
}


def register(model: type[models.Model], reach: Reach) -> None:
    """An app's model that carries a school (and maybe a section or student) comes
    under the permission model; apps register theirs in AppConfig.ready()."""
    _REACH[model] = reach


class Actor:
    """What a user is, read once (each part on first use) for a request."""

    def __init__(self, user: Any, *, postings: list[people.PostingSpan] | None = None) -> None:
        self.user = user
        self.authenticated = bool(user.is_authenticated)
        self.is_superuser = self.authenticated and bool(user.is_superuser)
        if postings is not None:
            self.__dict__["postings"] = postings

    @cached_property
    def postings(self) -> list[people.PostingSpan]:
        return people.postings_of_user(self.user.pk) if self.authenticated else []

    @cached_property
    def assignments(self) -> list[people.AssignmentSpan]:
        return people.assignments_of_user(self.user.pk) if self.authenticated else []

    @cached_property
    def areas(self) -> list[str]:
        """The paths of the units the user is an officer over."""
        if not self.authenticated:
            return []
        return list(self.user.officer_grants.values_list("unit__path", flat=True))

    @cached_property
    def children(self) -> frozenset[int]:
        return frozenset(people.children_of_user(self.user.pk) if self.authenticated else ())

    @cached_property
    def own_student(self) -> int | None:
        return people.student_of_user(self.user.pk) if self.authenticated else None

    # --- Postings, judged on a day ----------------------------------------------------

    def roles_at(self, school_id: int, day: dt.date | None = None) -> list[Role]:
        """The user's posting roles at the school on the day (today in the school's
        zone without one), the highest first: a school administrator who also teaches
        holds both, and may do what either may."""
        held = {
            Role(p.role)
            for p in self.postings
            if p.school_id == school_id and p.covers(day or today_in(p.timezone))
        }
        return [role for role in _RANK if role in held]

    def role_at(self, school_id: int, day: dt.date | None = None) -> Role | None:
        """The highest of roles_at: head over administrator over teacher over other staff."""
        roles = self.roles_at(school_id, day)
        return roles[0] if roles else None

    def schools_posted(self, day: dt.date | None = None) -> set[int]:
        """The schools the user is posted to on the day (each on its own today)."""
        return {p.school_id for p in self.postings if p.covers(day or today_in(p.timezone))}

    def officer_over(self, unit_path: str) -> bool:
        return self.is_superuser or any(unit_path.startswith(path) for path in self.areas)

    def teaches(self, section_id: int, day: dt.date, subject_id: int | None = None) -> bool:
        """Assigned to the section on the day (as its class teacher or for a subject);
        with a subject, assigned to teach that subject there."""
        return any(
            a.section_id == section_id
            and a.covers(day)
            and (subject_id is None or a.subject_id == subject_id)
            for a in self.assignments
        )

    def is_family(self, student_id: int) -> bool:
        """The student or one of their guardians: they see the whole history."""
        return student_id == self.own_student or student_id in self.children

    # --- Questions about one school or section ----------------------------------------

    def may(
        self,
        action: Action,
        school: School,
        *,
        section: Section | None = None,
        day: dt.date | None = None,
        subject_id: int | None = None,
        marking_scope: str = "school",
    ) -> Role | None:
        """The role under which the user may do this at the school (and section) on the
        day, or None. `marking_scope` is the school's policy: "assigned" limits a
        teacher's marking of a section to the sections they teach."""
        if self.is_superuser and action in ACTIONS[Role.SUPERUSER]:
            return Role.SUPERUSER
        on = day or today_in(school.timezone)
        for role in self.roles_at(school.pk, on):
            if action not in ACTIONS[role]:
                continue
            if role == Role.TEACHER and section is not None:
                if action == Action.GRADE and not self.teaches(section.pk, on, subject_id):
                    continue
                assigned_only = action == Action.MARK and marking_scope == "assigned"
                if assigned_only and not self.teaches(section.pk, on):
                    continue
            return role
        if action in ACTIONS[Role.OFFICER] and self.officer_over(school.unit_path):
            return Role.OFFICER
        return None


def actor_of(request_or_user: HttpRequest | Any) -> Actor:
    """The request's actor, built on first use and kept on the request. A user object
    alone (services, commands) gets a fresh actor: postings may have changed since."""
    if isinstance(request_or_user, HttpRequest):
        actor = getattr(request_or_user, "_hazri_actor", None)
        if actor is None or actor.user is not request_or_user.user:
            actor = Actor(request_or_user.user)
            request_or_user._hazri_actor = actor  # type: ignore[attr-defined]
        return actor
    return Actor(request_or_user)


def today_in(zone: str) -> dt.date:
    """The date now in this time zone."""
    return timezone.now().astimezone(ZoneInfo(zone)).date()


# --- Restricting querysets --------------------------------------------------------------

M = TypeVar("M", bound=models.Model)


def _school_scope(actor: Actor, action: Action, reach: Reach, day: dt.date | None) -> Q | None:
    """The rows of schools where the actor's postings or areas allow the action (None:
    no such school). A teacher's section-level narrowing applies where the model has a
    section and the action is section-bound."""
    condition: Q | None = None
    whole: list[int] = []  # schools where a role allows the action everywhere
    taught: list[int] = []  # schools where only a teacher's grading does: their sections
    zones = {p.school_id: p.timezone for p in actor.postings}
    for school_id in actor.schools_posted(day):
        roles = [r for r in actor.roles_at(school_id, day) if action in ACTIONS[r]]
        if not roles:
            continue
        narrowed = roles == [Role.TEACHER] and action == Action.GRADE
        (taught if narrowed and reach.section is not None else whole).append(school_id)
    if whole:
        condition = Q(**{f"{reach.school}__in": sorted(whole)})
    if taught:
        assert reach.section is not None
        sections = {
            a.section_id
            for a in actor.assignments
            if a.school_id in taught and a.covers(day or today_in(zones[a.school_id]))
        }
        q = Q(**{f"{reach.school}__in": sorted(taught), f"{reach.section}__in": sorted(sections)})
        condition = q if condition is None else condition | q
    if action in ACTIONS[Role.OFFICER]:
        for path in actor.areas:
            q = Q(**{f"{reach.unit_path}__startswith": path})
            condition = q if condition is None else condition | q
    return condition


def restrict(
    queryset: QuerySet[M], actor: Actor, action: Action, *, day: dt.date | None = None
) -> QuerySet[M]:
    """The rows of `queryset` the actor may do `action` on (NetBox's restrict): a
    model must be registered (`register`), or be a Student (see students_for)."""
    if not actor.authenticated:
        return queryset.none()
    if actor.is_superuser and action in ACTIONS[Role.SUPERUSER]:
        return queryset
    reach = _REACH.get(queryset.model)
    if reach is None:
        raise LookupError(f"{queryset.model.__name__} is not under the permission model")
    condition = _school_scope(actor, action, reach, day)
    if reach.student is not None and action in ACTIONS[Role.GUARDIAN]:
        family = set(actor.children)
        if actor.own_student is not None and action in ACTIONS[Role.STUDENT]:
            family.add(actor.own_student)
        if family:
            q = Q(**{f"{reach.student}__in": sorted(family)})
            condition = q if condition is None else condition | q
    return queryset.none() if condition is None else queryset.filter(condition)


def require(
    queryset: QuerySet[M], actor: Actor, action: Action, pk: int, *, field: str, noun: str
) -> M:
    """The one object with this id that the actor may act on; "not yours" and "does not
    exist" are the same NotFound, so ids cannot be probed."""
    found = restrict(queryset, actor, action).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No {noun} {pk} in your area.", field=field)
    return found


def require_role(
    actor: Actor,
    action: Action,
    school: School,
    *,
    section: Section | None = None,
    day: dt.date | None = None,
    marking_scope: str = "school",
    field: str = "section",
) -> Role:
    """The role under which the actor may do this, or Forbidden (the object itself
    was already found visible, so saying "not allowed" reveals nothing)."""
    role = actor.may(action, school, section=section, day=day, marking_scope=marking_scope)
    if role is None:
        code = _CODES.get(action, "not_allowed")
        raise Forbidden(_refusal(action, school, section), field=field, code=code)
    return role


_CODES = {
    Action.MARK: "not_marker",
    Action.APPROVE: "not_officer",
    Action.APPROVE_LATE: "not_approver",
    Action.FOLLOW_UP: "not_officer",
    Action.CORRECT: "not_head",
    Action.CERTIFY: "not_head",
}


def _refusal(action: Action, school: School, section: Section | None) -> str:
    if action == Action.MARK and section is not None:
        return (
            f"You do not teach section {section.label} of {school.name} on that day; "
            "only its head and its teachers can mark its attendance."
        )
    if action == Action.MARK:
        return (
            f"You are not posted to {school.name} as its head or a teacher; "
            "only its staff can mark its attendance."
        )
    if action == Action.APPROVE:
        return f"Only an officer over {school.name} (block or above) can decide this."
    if action == Action.APPROVE_LATE:
        return f"Only the head of {school.name} or an officer over it can decide this."
    if action == Action.FOLLOW_UP:
        return f"Only the staff of {school.name} and the officers over it can record this."
    if action in (Action.CORRECT, Action.CERTIFY):
        return f"Only the head of {school.name} can do this."
    return f"You may not {action.value} at {school.name}."


def unit_in_area(actor: Actor, unit_id: int | None) -> OrgUnit:
    """An org unit inside the officer's area; without an id, their own top unit."""
    grants = list(
        actor.user.officer_grants.select_related("unit").order_by("unit__depth")
        if actor.authenticated
        else []
    )
    if unit_id is None:
        if grants:
            return grants[0].unit  # type: ignore[no-any-return]
        if actor.is_superuser:
            root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
            if root is not None:
                return root
        raise NotFound("You have no area: dashboards are for officers.", field="unit")
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or not (
        actor.is_superuser or any(unit.path.startswith(g.unit.path) for g in grants)
    ):
        raise NotFound(f"No unit {unit_id} in your area.", field="unit")
    return unit


def within_area(actor: Actor, units: Iterable[OrgUnit]) -> list[OrgUnit]:
    """The units the actor oversees, of these (a dashboard's breadcrumbs never climb
    above the officer's own area)."""
    return [unit for unit in units if actor.officer_over(unit.path)]
