"""The messaging API's request and response shapes, and the rows as they are answered."""

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from hazri.common.api import Id, Text
from hazri.common.templatetags.hazri_tags import local_name
from hazri.messaging.models import ClassNotice, Message, MessageFile, Thread
from hazri.messaging.selectors import Receipts
from hazri.messaging.whom import Addressee


class MessageFileIn(Schema):
    name: Text = Field(max_length=200)
    data: Text = Field(max_length=7_000_000, description="The file, base64 (at most 5 MB)")


class ThreadStartIn(Schema):
    student: Id
    staff: Id | None = Field(
        None, description="The member of staff a guardian writes to (staff: leave out)"
    )
    subject: Text = Field(max_length=200)
    body: Text = Field(max_length=5000)
    attachments: list[MessageFileIn] = Field([], max_length=3)


class ReplyIn(Schema):
    body: Text = Field(max_length=5000)
    attachments: list[MessageFileIn] = Field([], max_length=3)


class MessageWithdrawIn(Schema):
    reason: Text = Field(max_length=500)


class ClassNoticeIn(Schema):
    title: Text = Field(max_length=200)
    body: Text = Field(max_length=5000)
    attachments: list[MessageFileIn] = Field([], max_length=3)


class MessageFileOut(Schema):
    id: int
    name: str
    media_type: str
    size: int
    url: str


class WithdrawnOut(Schema):
    by: str
    at: dt.datetime
    reason: str


class MessageOut(Schema):
    id: int
    thread: int
    author: str
    mine: bool
    posted_at: dt.datetime
    body: str | None = Field(description="None once withdrawn")
    withdrawn: WithdrawnOut | None
    files: list[MessageFileOut]


class ThreadOut(Schema):
    id: int
    school: int
    student: int
    student_name: str
    staff: int
    staff_name: str
    subject: str
    started_at: dt.datetime
    last_message_at: dt.datetime
    unread: int


class ThreadListOut(Schema):
    page: int
    pages: int
    total: int
    unread: int = Field(description="Unread messages in all threads, and unread notices")
    threads: list[ThreadOut]


class ThreadDetailOut(Schema):
    thread: ThreadOut
    may_write: bool
    messages: list[MessageOut]


class ThreadReadOut(Schema):
    thread: int
    last_read: int


class AddresseeOut(Schema):
    staff: int
    name: str
    role: str
    subjects: list[str]


class RecipientsOut(Schema):
    student: int
    staff: list[AddresseeOut] = Field(description="Whom a guardian may write to")
    family: bool = Field(description="A head or teacher may write to the child's guardians")


class ReceiptsOut(Schema):
    read: int
    families: int


class ClassNoticeOut(Schema):
    id: int
    school: int
    section: int
    section_label: str
    title: str
    author: str
    posted_at: dt.datetime
    body: str | None = Field(description="None once withdrawn")
    withdrawn: WithdrawnOut | None
    files: list[MessageFileOut]
    read_by_me: bool
    receipts: ReceiptsOut | None = Field(description="For the school's staff")


class ClassNoticeListOut(Schema):
    page: int
    pages: int
    notices: list[ClassNoticeOut]


class NoticeReadOut(Schema):
    notice: int
    read_at: dt.datetime


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def file_out(row: MessageFile) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.name,
        "media_type": row.media_type,
        "size": row.size,
        "url": reverse("messaging_file", args=[row.pk]),
    }


def _withdrawn(row: Message | ClassNotice) -> dict[str, Any] | None:
    if row.withdrawn_at is None:
        return None
    return {"by": _name(row.author), "at": row.withdrawn_at, "reason": row.withdrawn_reason}


def message_out(row: Message, user_id: int) -> dict[str, Any]:
    return {
        "id": row.pk,
        "thread": row.thread_id,
        "author": _name(row.author),
        "mine": row.author_id == user_id,
        "posted_at": row.posted_at,
        "body": None if row.withdrawn_at else row.body,
        "withdrawn": _withdrawn(row),
        "files": [] if row.withdrawn_at else [file_out(f) for f in row.files.all()],
    }


def thread_out(row: Thread) -> dict[str, Any]:
    return {
        "id": row.pk,
        "school": row.school_id,
        "student": row.student_id,
        "student_name": local_name(row.student),
        "staff": row.staff_id,
        "staff_name": local_name(row.staff),
        "subject": row.subject,
        "started_at": row.started_at,
        "last_message_at": row.last_message_at,
        "unread": getattr(row, "unread", 0),
    }


def addressee_out(row: Addressee) -> dict[str, Any]:
    return {
        "staff": row.staff.pk,
        "name": local_name(row.staff),
        "role": row.role,
        "subjects": list(row.subjects),
    }


def notice_out(row: ClassNotice, receipts: Receipts | None) -> dict[str, Any]:
    return {
        "id": row.pk,
        "school": row.school_id,
        "section": row.section_id,
        "section_label": row.section.label,
        "title": row.title,
        "author": _name(row.author),
        "posted_at": row.posted_at,
        "body": None if row.withdrawn_at else row.body,
        "withdrawn": _withdrawn(row),
        "files": [] if row.withdrawn_at else [file_out(f) for f in row.files.all()],
        "read_by_me": bool(getattr(row, "read_by_me", 0)),
        "receipts": {"read": receipts.read, "families": receipts.families} if receipts else None,
    }
