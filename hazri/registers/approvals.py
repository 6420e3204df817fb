"""The approval queue: roll calls waiting for someone's decision, as each actor may
decide them, and what each would change.

Two kinds wait (attendance.services.rollcalls): a change to a certified month, which an
officer over the school decides, and a late entry (a day older than the state's
offline allowance), which the head may decide too unless he entered it himself or its
month is certified (then it is a change to a certified month). The decision itself is
attendance's `correction_decide`; this module only finds and describes.
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import DateField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth

from hazri.accounts.access import Action, Actor, Role, restrict
from hazri.accounts.models import OfficerGrant
from hazri.attendance import rules
from hazri.attendance.models import Approval, RollCall, Timing
from hazri.org.models import OrgUnit, School
from hazri.people.models import Student
from hazri.registers.models import MonthCertification


class Kind(enum.StrEnum):
    CERTIFIED_MONTH = "certified_month"  # an officer decides
    LATE_ENTRY = "late_entry"  # the head or an officer decides


def _certified() -> Exists:
    return Exists(
        MonthCertification.objects.filter(
            school_id=OuterRef("school_id"),
            section_id=OuterRef("section_id"),
            month=OuterRef("month_of"),
        )
    )


def approves(actor: Actor) -> bool:
    """Whether the actor holds a role that decides anything (the header's count is asked
    only of them): an officer, a superuser or a head posted today."""
    if not actor.authenticated:
        return False
    if actor.is_superuser or actor.areas:
        return True
    return any(Role.HEAD in actor.roles_at(school) for school in actor.schools_posted())


def approvals_for(
    actor: Actor, *, school_id: int | None = None, kind: Kind | None = None
) -> QuerySet[RollCall]:
    """The roll calls waiting for a decision that this actor may take: an officer's (or
    superuser's) every kind in their area; a head's the late entries of his school
    that someone else entered, in months not certified; nobody else's anything."""
    pending = (
        RollCall.objects.filter(approval=Approval.PENDING)
        .annotate(month_of=TruncMonth("day", output_field=DateField()))
        .annotate(certified=_certified())
    )
    if school_id is not None:
        pending = pending.filter(school_id=school_id)
    late = Q(timing=Timing.LATE_ENTRY, certified=False)
    officers = restrict(pending, actor, Action.APPROVE)
    heads = (
        restrict(pending, actor, Action.APPROVE_LATE).filter(late).exclude(taken_by=actor.user)
        if actor.authenticated
        else pending.none()
    )
    decidable = officers | heads
    if kind == Kind.LATE_ENTRY:
        decidable = decidable.filter(late)
    elif kind == Kind.CERTIFIED_MONTH:
        decidable = decidable.exclude(late)
    return decidable


def approvals_count(actor: Actor) -> int:
    """How many decisions wait for the actor: one COUNT, asked only of those who approve."""
    return approvals_for(actor).count() if approves(actor) else 0


def kind_of(rollcall: Any) -> Kind:
    """A roll call of `approvals_for` (annotated `certified`)."""
    late = rollcall.timing == Timing.LATE_ENTRY and not rollcall.certified
    return Kind.LATE_ENTRY if late else Kind.CERTIFIED_MONTH


@dataclass(frozen=True)
class MarkChange:
    student: int
    name: str
    name_local: str
    before: str  # "" where the current version has no mark for the student
    after: str


@dataclass(frozen=True)
class Waiting:
    """One change waiting for a decision, as the queue shows it."""

    rollcall: RollCall
    kind: Kind
    changes: list[MarkChange]
    first_entry: bool  # nothing counts for this meeting yet: every mark is new


def describe(rollcalls: Sequence[RollCall]) -> list[Waiting]:
    """Each waiting roll call with what it would change against the version that counts
    now: two queries for a page of them (the current versions, the students' names)."""
    if not rollcalls:
        return []
    keys = Q()
    for r in rollcalls:
        keys |= Q(school_id=r.school_id, section_id=r.section_id, day=r.day, meeting=r.meeting)
    current = {
        (c.section_id, c.day, c.meeting): c
        for c in RollCall.objects.filter(keys, is_current=True).select_related("roster")
    }
    marks: dict[int, dict[int, str]] = {}
    before_of: dict[int, dict[int, str]] = {}
    wanted: set[int] = set()
    for r in rollcalls:
        marks[r.pk] = dict(rules.unpack_marks(r.roster.members, r.marks))
        now = current.get((r.section_id, r.day, r.meeting))
        before_of[r.pk] = dict(rules.unpack_marks(now.roster.members, now.marks)) if now else {}
        wanted.update(
            student for student, code in marks[r.pk].items() if before_of[r.pk].get(student) != code
        )
    names = {
        s["pk"]: (s["name"], s["name_local"])
        for s in Student.objects.filter(pk__in=sorted(wanted)).values("pk", "name", "name_local")
    }
    items = []
    for r in rollcalls:
        before = before_of[r.pk]
        changes = [
            MarkChange(
                student, *names.get(student, (f"#{student}", "")), before.get(student, ""), code
            )
            for student, code in marks[r.pk].items()
            if before.get(student) != code
        ]
        items.append(Waiting(rollcall=r, kind=kind_of(r), changes=changes, first_entry=not before))
    return items


def deciding_unit(school: School) -> OrgUnit | None:
    """The nearest unit above the school with an officer (the block, usually): whose
    approval a change to its certified month waits for."""
    ids = [int(part) for part in school.unit_path.strip("/").split("/") if part]
    grant = (
        OfficerGrant.objects.filter(unit_id__in=ids)
        .select_related("unit")
        .order_by("-unit__depth")
        .first()
    )
    return grant.unit if grant is not None else None
