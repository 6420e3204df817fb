"""What the support app tells us: a step on a ticket a guardian raised (answered,
escalated, resolved, reopened, closed) by someone else is a notice to that guardian,
about the child through whose school they raised it. Staff who raise tickets follow
them on the support pages (notices go to families only)."""

import datetime as dt
from typing import Any

from hazri.notify.kinds import _about, _students
from hazri.notify.models import Kind
from hazri.notify.queue import notices_add
from hazri.org.models import School
from hazri.people.models import Guardian


def on_ticket_changed(sender: Any, ticket: Any, event: Any, **kwargs: Any) -> None:
    if event.by_id == ticket.raised_by_id or ticket.student_id is None:
        return
    guardian = Guardian.objects.filter(
        user_id=ticket.raised_by_id, children=ticket.student_id
    ).first()
    if guardian is None:
        return
    notify_ticket(
        school_id=ticket.school_id,
        student_id=ticket.student_id,
        guardian_id=guardian.pk,
        ticket_id=ticket.pk,
        event_id=event.pk,
        step=event.kind,
    )


def notify_ticket(
    *,
    school_id: int,
    student_id: int,
    guardian_id: int,
    ticket_id: int,
    event_id: int,
    step: str,
    now: dt.datetime | None = None,
) -> int:
    """One notice per step of the ticket (its key the step's id: written once)."""
    names = _students([student_id])
    if student_id not in names:
        return 0
    school = School.objects.only("pk", "name", "name_local").get(pk=school_id)
    notice = _about(
        Kind.SUPPORT,
        school,
        guardian_id,
        student_id,
        f"ticket:{event_id}",
        names[student_id],
        ticket=f"#{ticket_id}",
        step=step,
    )
    return notices_add([notice], now=now)
