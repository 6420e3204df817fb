"""The support API's request and response shapes, and the rows as they are answered."""

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Schema

from hazri.common.api import Id, Text
from hazri.support import rules
from hazri.support.models import Category, Ticket, TicketEvent, TicketFile


class TicketFileIn(Schema):
    name: Text = Field(max_length=200)
    data: Text = Field(max_length=7_000_000, description="The file, base64 (at most 5 MB)")


class TicketIn(Schema):
    category: Id
    description: Text = Field(max_length=5000)
    school: Id | None = Field(
        None, description="Staff: the school (leave out when posted to one only)"
    )
    student: Id | None = Field(None, description="A guardian: the child whose school it is")
    attachments: list[TicketFileIn] = Field([], max_length=3)


class TicketCommentIn(Schema):
    text: Text = Field(max_length=5000)
    attachments: list[TicketFileIn] = Field([], max_length=3)


class TicketReasonIn(Schema):
    reason: Text = Field(max_length=5000)


class TicketNoteIn(Schema):
    note: Text = Field("", max_length=5000)


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    school_hours: int
    office_hours: int
    state_hours: int
    hq_hours: int


class TicketFileOut(Schema):
    id: int
    name: str
    media_type: str
    size: int
    url: str


class TicketEventOut(Schema):
    id: int
    kind: str
    by: str | None = Field(description="None: the scheduled task")
    at: dt.datetime
    text: str
    from_level: str
    to_level: str
    to_unit: str | None
    files: list[TicketFileOut]


class TicketOut(Schema):
    id: int
    school: int
    school_name: str
    category: str
    category_name: str
    description: str
    status: str
    level: str
    unit: str | None = Field(description="The office or state handling it")
    raised_by: str
    raised_at: dt.datetime
    due_at: dt.datetime
    overdue: bool
    changed_at: dt.datetime


class TicketDetailOut(Schema):
    ticket: TicketOut
    may_handle: bool
    may_reopen: bool
    may_close: bool
    events: list[TicketEventOut]


class TicketListOut(Schema):
    tickets: list[TicketOut]


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def category_out(category: Category) -> dict[str, Any]:
    return {
        "id": category.pk,
        "code": category.code,
        "name": category.name,
        **{
            f"{level}_hours": category.hours_at(level)
            for level in ("school", "office", "state", "hq")
        },
    }


def ticket_out(ticket: Ticket, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    return {
        "id": ticket.pk,
        "school": ticket.school_id,
        "school_name": ticket.school.name,
        "category": ticket.category.code,
        "category_name": ticket.category.name,
        "description": ticket.description,
        "status": ticket.status,
        "level": ticket.level,
        "unit": ticket.unit.name if ticket.unit is not None else None,
        "raised_by": _name(ticket.raised_by),
        "raised_at": ticket.raised_at,
        "due_at": ticket.due_at,
        "overdue": ticket.status == "open" and rules.is_overdue(ticket.due_at, now),
        "changed_at": ticket.changed_at,
    }


def file_out(found: TicketFile) -> dict[str, Any]:
    return {
        "id": found.pk,
        "name": found.name,
        "media_type": found.media_type,
        "size": found.size,
        "url": reverse("support_file", args=[found.pk]),
    }


def event_out(event: TicketEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "by": _name(event.by) if event.by is not None else None,
        "at": event.at,
        "text": event.text,
        "from_level": event.from_level,
        "to_level": event.to_level,
        "to_unit": event.to_unit.name if event.to_unit is not None else None,
        "files": [file_out(f) for f in event.files.all()],
    }
