"""Support tickets in the JSON API: the categories, the tickets a user raised, the
queue of their level, one ticket with its history, raising one, and its steps
(comment, escalate, resolve, reopen, close); a file of a ticket."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Status

from hazri.accounts.access import Actor, actor_of
from hazri.common import files
from hazri.common.api import ErrorOut, PathId, request_user
from hazri.support import rules, schemas, selectors, services
from hazri.support.models import Status as TicketStatus
from hazri.support.schemas import (
    CategoryOut,
    TicketCommentIn,
    TicketDetailOut,
    TicketEventOut,
    TicketFileIn,
    TicketIn,
    TicketListOut,
    TicketNoteIn,
    TicketReasonIn,
)

router = Router(tags=["support"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


def _uploads(items: list[TicketFileIn]) -> list[files.Upload]:
    return [
        files.from_base64(item.name, item.data, f"attachments[{n}]") for n, item in enumerate(items)
    ]


def detail(actor: Actor, ticket_id: int) -> dict[str, Any]:
    """A ticket with its history, as the API answers it (pages show the same)."""
    ticket = selectors.ticket_visible(actor, ticket_id)
    now = timezone.now()
    handler = selectors.may_handle(actor, ticket)
    raiser = ticket.raised_by_id == actor.user.pk
    status = ticket.status
    return {
        "ticket": schemas.ticket_out(ticket, now),
        "may_handle": status == TicketStatus.OPEN and handler,
        "may_reopen": raiser
        and status == TicketStatus.RESOLVED
        and rules.may_reopen(ticket.resolved_at, now),
        "may_close": status != TicketStatus.CLOSED
        and (raiser or (handler and status == TicketStatus.RESOLVED)),
        "events": [schemas.event_out(e) for e in selectors.history(ticket)],
    }


@router.get(
    "/support/categories",
    response={200: list[CategoryOut], **ERRORS},
    summary="What a ticket may be about, and each level's hours",
)
def get_categories(request: HttpRequest) -> list[dict[str, Any]]:
    request_user(request)
    return [schemas.category_out(c) for c in selectors.categories()]


@router.get(
    "/support/tickets",
    response={200: TicketListOut, **ERRORS},
    summary="The tickets the user raised, the latest changed first",
)
def get_tickets(request: HttpRequest) -> dict[str, Any]:
    request_user(request)
    rows = selectors.raised_by(actor_of(request))[:200]
    return {"tickets": [schemas.ticket_out(t) for t in rows]}


@router.get(
    "/support/queue",
    response={200: TicketListOut, **ERRORS},
    summary="The open tickets at the user's own level, the most overdue first",
)
def get_queue(request: HttpRequest) -> dict[str, Any]:
    request_user(request)
    return {
        "tickets": [
            schemas.ticket_out(r.ticket, r.now) for r in selectors.queue_rows(actor_of(request))
        ]
    }


@router.post(
    "/support/tickets",
    response={201: TicketDetailOut, **ERRORS},
    summary="Raise a ticket: staff at their school, a guardian through a child's school",
)
def post_ticket(request: HttpRequest, payload: TicketIn) -> Status[dict[str, Any]]:
    ticket = services.ticket_raise(
        category_id=payload.category,
        description=payload.description,
        uploads=_uploads(payload.attachments),
        school_id=payload.school,
        student_id=payload.student,
        by=request_user(request),
    )
    return Status(201, detail(actor_of(request), ticket.pk))


@router.get(
    "/support/tickets/{ticket_id}",
    response={200: TicketDetailOut, **ERRORS},
    summary="A ticket with every step: who, when, why",
)
def get_ticket(request: HttpRequest, ticket_id: PathId) -> dict[str, Any]:
    request_user(request)
    return detail(actor_of(request), ticket_id)


@router.post(
    "/support/tickets/{ticket_id}/comments",
    response={201: TicketEventOut, **ERRORS},
    summary="Comment on a ticket (anyone who sees it, until it is closed)",
)
def post_comment(
    request: HttpRequest, ticket_id: PathId, payload: TicketCommentIn
) -> Status[dict[str, Any]]:
    user = request_user(request)
    ticket = selectors.ticket_visible(actor_of(request), ticket_id)
    event = services.ticket_comment(
        ticket=ticket, text=payload.text, uploads=_uploads(payload.attachments), by=user
    )
    return Status(201, schemas.event_out(event))


@router.post(
    "/support/tickets/{ticket_id}/escalate",
    response={200: TicketDetailOut, **ERRORS},
    summary="Send a ticket to the next level, with a reason (its handler at this level)",
)
def post_escalate(
    request: HttpRequest, ticket_id: PathId, payload: TicketReasonIn
) -> dict[str, Any]:
    user = request_user(request)
    ticket = selectors.ticket_visible(actor_of(request), ticket_id)
    services.ticket_escalate(ticket=ticket, reason=payload.reason, by=user)
    return detail(actor_of(request), ticket_id)


@router.post(
    "/support/tickets/{ticket_id}/resolve",
    response={200: TicketDetailOut, **ERRORS},
    summary="Resolve a ticket, saying how (its handler at this level)",
)
def post_resolve(
    request: HttpRequest, ticket_id: PathId, payload: TicketReasonIn
) -> dict[str, Any]:
    user = request_user(request)
    ticket = selectors.ticket_visible(actor_of(request), ticket_id)
    services.ticket_resolve(ticket=ticket, note=payload.reason, by=user)
    return detail(actor_of(request), ticket_id)


@router.post(
    "/support/tickets/{ticket_id}/reopen",
    response={200: TicketDetailOut, **ERRORS},
    summary="Reopen a resolved ticket, saying why (its raiser, within 7 days)",
)
def post_reopen(request: HttpRequest, ticket_id: PathId, payload: TicketReasonIn) -> dict[str, Any]:
    user = request_user(request)
    ticket = selectors.ticket_visible(actor_of(request), ticket_id)
    services.ticket_reopen(ticket=ticket, reason=payload.reason, by=user)
    return detail(actor_of(request), ticket_id)


@router.post(
    "/support/tickets/{ticket_id}/close",
    response={200: TicketDetailOut, **ERRORS},
    summary="Close a ticket (its raiser at any time; its handler once resolved)",
)
def post_close(request: HttpRequest, ticket_id: PathId, payload: TicketNoteIn) -> dict[str, Any]:
    user = request_user(request)
    ticket = selectors.ticket_visible(actor_of(request), ticket_id)
    services.ticket_close(ticket=ticket, note=payload.note, by=user)
    return detail(actor_of(request), ticket_id)


@router.get(
    "/support/files/{ticket_file_id}",
    response={200: None, **ERRORS},
    summary="A file of a ticket (the bytes, as stored)",
)
def get_file(request: HttpRequest, ticket_file_id: PathId) -> HttpResponse:
    request_user(request)
    found = selectors.file_visible(actor_of(request), ticket_file_id)
    return files.file_response(bytes(found.data), found.media_type, found.name)
