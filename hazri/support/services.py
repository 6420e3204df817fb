"""Writing tickets: raised, commented on, escalated (by hand with a reason, or by the
scheduled task when a level's deadline passes), resolved, reopened by the raiser,
closed. Every step is a new TicketEvent; the ticket row only carries where it stands
now. Once a step has committed, `ticket_changed` tells the notification app."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazri.accounts.access import Actor, actor_of
from hazri.audit.services import audit_record
from hazri.common import files
from hazri.common.errors import Conflict, Forbidden, Invalid, NotFound
from hazri.common.text import clean_text
from hazri.org.models import School
from hazri.people.models import Student
from hazri.people.selectors import current_enrolment
from hazri.support import rules, selectors
from hazri.support.models import (
    EventKind,
    Level,
    Status,
    Ticket,
    TicketEvent,
    TicketFile,
)
from hazri.support.signals import ticket_changed

MAX_TEXT = 5000
MAX_FILES = 3


def _checked_files(uploads: list[files.Upload]) -> list[tuple[files.Upload, str]]:
    if len(uploads) > MAX_FILES:
        raise Invalid(_("At most 3 files."), field="attachments", code="too_many")
    return [
        (upload, files.check_upload(upload, f"attachments[{n}]"))
        for n, upload in enumerate(uploads)
    ]


def _step(
    ticket: Ticket,
    kind: str,
    by: Any,
    now: dt.datetime,
    *,
    text: str = "",
    from_level: str = "",
    checked: list[tuple[files.Upload, str]] | None = None,
) -> TicketEvent:
    """Log one step (and its files); tell the notification app once it has committed."""
    event = TicketEvent.objects.create(
        school_id=ticket.school_id,
        ticket=ticket,
        kind=kind,
        by=by,
        at=now,
        text=text,
        from_level=from_level,
        to_level=ticket.level if from_level else "",
        to_unit=ticket.unit if from_level else None,
    )
    TicketFile.objects.bulk_create(
        TicketFile(
            school_id=ticket.school_id,
            ticket=ticket,
            event=event,
            name=upload.name.strip()[:200],
            media_type=media,
            size=len(upload.data),
            data=upload.data,
        )
        for upload, media in checked or []
    )
    audit_record(
        user=by,
        action=f"support.{kind}",
        obj=ticket,
        school_id=ticket.school_id,
        detail={"event": event.pk, "level": ticket.level, "status": ticket.status},
    )
    transaction.on_commit(lambda: ticket_changed.send(sender=Ticket, ticket=ticket, event=event))
    return event


def _where_raised(
    actor: Actor, school_id: int | None, student_id: int | None
) -> tuple[School, Student | None]:
    """(school, student): a guardian names their child (the child's school now); staff
    name a school they are posted to, or none when they are posted to one only."""
    if student_id is not None:
        if student_id not in actor.children:
            raise NotFound(f"No child {student_id} of yours.", field="student")
        enrolment = current_enrolment(Student(pk=student_id))
        if enrolment is None:
            raise Invalid(
                _("This child is on no school's roll now."), field="student", code="no_school"
            )
        return enrolment.school, Student(pk=student_id)
    posted = actor.schools_posted()
    if school_id is None and len(posted) == 1:
        school_id = next(iter(posted))
    if school_id is None:
        raise Invalid(_("Choose the school or the child."), field="school", code="required")
    if school_id not in posted:
        raise NotFound(f"No school {school_id} you are posted to.", field="school")
    return School.objects.get(pk=school_id), None


def ticket_raise(
    *,
    category_id: int,
    description: str,
    uploads: list[files.Upload],
    by: Any,
    school_id: int | None = None,
    student_id: int | None = None,
) -> Ticket:
    """A new ticket at its school's level, with its deadline from the category."""
    actor = actor_of(by)
    school, student = _where_raised(actor, school_id, student_id)
    category = selectors.categories().filter(pk=category_id).first()
    if category is None:
        raise NotFound(f"No category {category_id}.", field="category")
    description = clean_text(description, field="description", limit=MAX_TEXT)
    checked = _checked_files(uploads)
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.create(
            school=school,
            category=category,
            description=description,
            raised_by=by,
            raised_at=now,
            student=student,
            level=Level.SCHOOL,
            level_since=now,
            due_at=rules.deadline(now, category.school_hours),
            changed_at=now,
        )
        _step(ticket, EventKind.RAISED, by, now, checked=checked)
    return ticket


def _locked(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("school", "category", "unit")
        .get(pk=ticket.pk)
    )


def _require_handler(actor: Actor, ticket: Ticket) -> None:
    if not selectors.may_handle(actor, ticket):
        raise Forbidden(
            _("Only those handling this ticket at its level can do this."),
            field="ticket",
            code="not_handler",
        )


def _require_open(ticket: Ticket) -> None:
    if ticket.status != Status.OPEN:
        raise Conflict(
            _("This ticket is not open: it is %(status)s.")
            % {"status": ticket.get_status_display()},
            field="ticket",
            code="not_open",
        )


def ticket_comment(
    *, ticket: Ticket, text: str, uploads: list[files.Upload], by: Any
) -> TicketEvent:
    """A comment by anyone who sees the ticket, until it is closed."""
    text = clean_text(text, field="text", limit=MAX_TEXT)
    checked = _checked_files(uploads)
    with transaction.atomic():
        locked = _locked(ticket)
        if locked.status == Status.CLOSED:
            raise Conflict(_("This ticket is closed."), field="ticket", code="closed")
        now = timezone.now()
        locked.changed_at = now
        locked.save(update_fields=["changed_at"])
        return _step(locked, EventKind.COMMENT, by, now, text=text, checked=checked)


def _climb(ticket: Ticket, kind: str, by: Any, now: dt.datetime, reason: str) -> TicketEvent:
    """Move a locked, open ticket one level up, with the new level's deadline."""
    stop = selectors.next_stop(ticket)
    if stop is None:
        raise Conflict(
            _("This ticket is at headquarters: it cannot go higher."),
            field="ticket",
            code="at_top",
        )
    was = ticket.level
    ticket.level, ticket.unit = stop.level, stop.unit
    ticket.level_since = ticket.changed_at = now
    ticket.due_at = rules.deadline(now, ticket.category.hours_at(stop.level))
    ticket.save(update_fields=["level", "unit", "level_since", "due_at", "changed_at"])
    return _step(ticket, kind, by, now, text=reason, from_level=was)


def ticket_escalate(*, ticket: Ticket, reason: str, by: Any) -> TicketEvent:
    """Sent up by hand, with a reason, by whoever handles it at its level."""
    reason = clean_text(reason, field="reason", limit=MAX_TEXT)
    actor = actor_of(by)
    with transaction.atomic():
        locked = _locked(ticket)
        _require_handler(actor, locked)
        _require_open(locked)
        return _climb(locked, EventKind.ESCALATED, by, timezone.now(), reason)


def ticket_resolve(*, ticket: Ticket, note: str, by: Any) -> TicketEvent:
    reason = clean_text(note, field="note", limit=MAX_TEXT)
    actor = actor_of(by)
    with transaction.atomic():
        locked = _locked(ticket)
        _require_handler(actor, locked)
        _require_open(locked)
        now = timezone.now()
        locked.status, locked.resolved_at, locked.changed_at = Status.RESOLVED, now, now
        locked.save(update_fields=["status", "resolved_at", "changed_at"])
        return _step(locked, EventKind.RESOLVED, by, now, text=reason)


def ticket_reopen(*, ticket: Ticket, reason: str, by: Any) -> TicketEvent:
    """The raiser finds it not solved, within REOPEN_DAYS: open again at the level that
    resolved it, with a fresh deadline."""
    reason = clean_text(reason, field="reason", limit=MAX_TEXT)
    with transaction.atomic():
        locked = _locked(ticket)
        if locked.raised_by_id != by.pk:
            raise Forbidden(
                _("Only whoever raised this ticket can reopen it."),
                field="ticket",
                code="not_raiser",
            )
        if locked.status != Status.RESOLVED:
            raise Conflict(
                _("Only a resolved ticket can be reopened."), field="ticket", code="not_resolved"
            )
        now = timezone.now()
        if not rules.may_reopen(locked.resolved_at, now):
            raise Conflict(
                _("A ticket can be reopened within %(days)s days of being resolved.")
                % {"days": rules.REOPEN_DAYS},
                field="ticket",
                code="reopen_window_passed",
            )
        locked.status, locked.resolved_at = Status.OPEN, None
        locked.level_since = locked.changed_at = now
        locked.due_at = rules.deadline(now, locked.category.hours_at(locked.level))
        locked.save(update_fields=["status", "resolved_at", "level_since", "due_at", "changed_at"])
        return _step(locked, EventKind.REOPENED, by, now, text=reason)


def ticket_close(*, ticket: Ticket, note: str, by: Any) -> TicketEvent:
    """Closed for good: by the raiser at any time (solved, or no longer needed), or by
    its handler once resolved."""
    note = clean_text(note, field="note", limit=MAX_TEXT, required=False)
    actor = actor_of(by)
    with transaction.atomic():
        locked = _locked(ticket)
        if locked.raised_by_id != by.pk:
            _require_handler(actor, locked)
            if locked.status != Status.RESOLVED:
                raise Conflict(
                    _("Resolve the ticket first: the raiser may still reopen it."),
                    field="ticket",
                    code="not_resolved",
                )
        if locked.status == Status.CLOSED:
            raise Conflict(_("This ticket is closed."), field="ticket", code="closed")
        now = timezone.now()
        locked.status, locked.closed_at, locked.changed_at = Status.CLOSED, now, now
        locked.save(update_fields=["status", "closed_at", "changed_at"])
        return _step(locked, EventKind.CLOSED, by, now, text=note)


# --- The scheduled task ----------------------------------------------------------------


def escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Every open ticket past its level's deadline goes one level up (headquarters is
    the last). Safe when two runs overlap: each ticket is locked (skipping one another
    run holds) and moved only if it is still where and as late as it was read; a ticket
    late at two levels climbs one per run, each level getting its own deadline."""
    now = now or timezone.now()
    due = (
        Ticket.objects.filter(status=Status.OPEN, due_at__lte=now)
        .exclude(level=Level.HQ)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )
    moved = 0
    for pk in list(due[:1000]):
        with transaction.atomic():
            ticket = (
                Ticket.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("school", "category", "unit")
                .filter(pk=pk, status=Status.OPEN, due_at__lte=now)
                .exclude(level=Level.HQ)
                .first()
            )
            if ticket is None:
                continue
            stop = selectors.next_stop(ticket)
            if stop is None:
                continue
            # The conditional update is what holds where FOR UPDATE is not (SQLite):
            # only one run finds the ticket still at this level with this deadline.
            claimed = Ticket.objects.filter(
                pk=pk, status=Status.OPEN, level=ticket.level, due_at=ticket.due_at
            ).update(
                level=stop.level,
                unit=stop.unit,
                level_since=now,
                due_at=rules.deadline(now, ticket.category.hours_at(stop.level)),
                changed_at=now,
            )
            if not claimed:
                continue
            was, was_due = ticket.level, ticket.due_at
            ticket.refresh_from_db()
            reason = _("The deadline at this level passed on %(due)s.") % {
                "due": timezone.localtime(was_due).strftime("%Y-%m-%d %H:%M")
            }
            _step(ticket, EventKind.AUTO_ESCALATED, None, now, text=reason, from_level=was)
            moved += 1
    return moved


def close_resolved(*, now: dt.datetime | None = None) -> int:
    """Resolved tickets the raiser can no longer reopen are closed (by the task)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=rules.REOPEN_DAYS)
    closed = 0
    for pk in list(
        Ticket.objects.filter(status=Status.RESOLVED, resolved_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:1000]
    ):
        with transaction.atomic():
            if not Ticket.objects.filter(pk=pk, status=Status.RESOLVED).update(
                status=Status.CLOSED, closed_at=now, changed_at=now
            ):
                continue
            ticket = Ticket.objects.get(pk=pk)
            _step(ticket, EventKind.CLOSED, None, now, text=_("Closed: not reopened in time."))
            closed += 1
    return closed
