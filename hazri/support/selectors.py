"""Reading tickets: who sees which, who may act on one at its level, the queues, and
where a ticket climbs to next.

A ticket is seen by whoever raised it, by those the permission model lets handle
support over its school (its head, the officers over its area) and by headquarters
(superusers and the HQ group). Acting on it (escalate, resolve) is for its current
level only: the school's head at the school, the officers of its unit at the office or
the state, headquarters at the top.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hazri.accounts.access import ACTIONS, Action, Actor, restrict
from hazri.accounts.models import OfficerGrant
from hazri.common.errors import NotFound
from hazri.org.models import OrgUnit, School
from hazri.support import rules
from hazri.support.models import Category, Level, Status, Ticket, TicketEvent, TicketFile

# Members of this Django group (besides superusers) handle tickets at headquarters.
HQ_GROUP = "support_hq"


def is_hq(actor: Actor) -> bool:
    if not actor.authenticated:
        return False
    if actor.is_superuser:
        return True
    cached = getattr(actor, "_support_hq", None)
    if cached is None:
        cached = actor.user.groups.filter(name=HQ_GROUP).exists()
        actor._support_hq = cached  # type: ignore[attr-defined]
    return bool(cached)


def categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True)


def tickets_visible(actor: Actor) -> QuerySet[Ticket]:
    """Every ticket the actor may see."""
    if not actor.authenticated:
        return Ticket.objects.none()
    if is_hq(actor):
        return Ticket.objects.all()
    handled = restrict(Ticket.objects.all(), actor, Action.SUPPORT)
    return Ticket.objects.filter(Q(raised_by=actor.user) | Q(pk__in=handled.values("pk")))


def ticket_visible(actor: Actor, ticket_id: int) -> Ticket:
    """The ticket, or the one NotFound for "not yours" and "does not exist"."""
    found = (
        tickets_visible(actor)
        .select_related("school", "category", "unit", "raised_by")
        .filter(pk=ticket_id)
        .first()
    )
    if found is None:
        raise NotFound(f"No ticket {ticket_id} you may see.", field="ticket")
    return found


def file_visible(actor: Actor, file_id: int) -> TicketFile:
    found = TicketFile.objects.filter(
        pk=file_id, ticket__in=tickets_visible(actor).values("pk")
    ).first()
    if found is None:
        raise NotFound(f"No file {file_id} you may see.", field="file")
    return found


def _supports_school(actor: Actor, school_id: int) -> bool:
    return any(Action.SUPPORT in ACTIONS[role] for role in actor.roles_at(school_id))


def may_handle(actor: Actor, ticket: Ticket) -> bool:
    """Whether the actor handles the ticket at its current level."""
    if not actor.authenticated:
        return False
    if actor.is_superuser:
        return True
    if ticket.level == Level.SCHOOL:
        return _supports_school(actor, ticket.school_id)
    if ticket.level in (Level.OFFICE, Level.STATE):
        return ticket.unit is not None and ticket.unit.path in actor.areas
    return is_hq(actor)


def queue(actor: Actor) -> QuerySet[Ticket]:
    """The open tickets at the actor's own levels, the most overdue first: a head's at
    their school, an officer's at their unit (office or state), headquarters' at the top."""
    if not actor.authenticated:
        return Ticket.objects.none()
    condition = Q(pk__in=[])
    schools = sorted(s for s in actor.schools_posted() if _supports_school(actor, s))
    if schools:
        condition |= Q(level=Level.SCHOOL, school_id__in=schools)
    if actor.areas:
        condition |= Q(level__in=[Level.OFFICE, Level.STATE], unit__path__in=actor.areas)
    if is_hq(actor):
        condition |= Q(level=Level.HQ)
    return (
        Ticket.objects.filter(condition, status=Status.OPEN)
        .select_related("school", "category", "unit")
        .order_by("due_at", "pk")
    )


def raised_by(actor: Actor) -> QuerySet[Ticket]:
    """The tickets the user raised, the latest changed first."""
    if not actor.authenticated:
        return Ticket.objects.none()
    return (
        Ticket.objects.filter(raised_by=actor.user)
        .select_related("school", "category", "unit")
        .order_by("-changed_at", "-pk")
    )


def history(ticket: Ticket) -> list[TicketEvent]:
    """Every step of the ticket, oldest first, with its files."""
    return list(
        TicketEvent.objects.filter(school_id=ticket.school_id, ticket=ticket)
        .select_related("by", "to_unit")
        .prefetch_related("files")
        .order_by("at", "pk")
    )


def office_of(school: School) -> OrgUnit | None:
    """The nearest block or district above the school that has officers (None: none)."""
    ancestors = [int(part) for part in school.unit_path.strip("/").split("/") if part]
    staffed = OfficerGrant.objects.filter(unit=OuterRef("pk"))
    found = {
        unit.pk: unit
        for unit in OrgUnit.objects.filter(pk__in=ancestors, kind__in=rules.OFFICE_KINDS).filter(
            Exists(staffed)
        )
    }
    for unit_id in reversed(ancestors):
        if unit_id in found:
            return found[unit_id]
    return None


def state_of(school: School) -> OrgUnit | None:
    """The state above the school (the nearest unit of kind "state")."""
    ancestors = [int(part) for part in school.unit_path.strip("/").split("/") if part]
    states = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ancestors, kind="state")}
    for unit_id in reversed(ancestors):
        if unit_id in states:
            return states[unit_id]
    return None


@dataclass(frozen=True)
class Stop:
    """Where a ticket goes next: a level and the unit handling it there."""

    level: Level
    unit: OrgUnit | None


def next_stop(ticket: Ticket) -> Stop | None:
    """The level above the ticket's (and its unit), or None at headquarters."""
    office = office_of(ticket.school) if ticket.level == Level.SCHOOL else None
    level = rules.next_level(ticket.level, has_office=office is not None)
    if level is None:
        return None
    if level == Level.OFFICE:
        return Stop(level, office)
    if level == Level.STATE:
        state = state_of(ticket.school)
        return Stop(level, state) if state is not None else Stop(Level.HQ, None)
    return Stop(level, None)


@dataclass
class QueueRow:
    ticket: Ticket
    now: dt.datetime

    @cached_property
    def overdue(self) -> bool:
        return rules.is_overdue(self.ticket.due_at, self.now)


def queue_rows(actor: Actor) -> list[QueueRow]:
    now = timezone.now()
    return [QueueRow(ticket, now) for ticket in queue(actor)[:500]]
