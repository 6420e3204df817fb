"""Messages between families and staff, and class notices, in the JSON API: the
user's threads with what is unread, one thread, starting one, replying, withdrawing,
marking read, files, whom a user may write to about a child; a section's notices."""

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from hazri.accounts import selectors as access
from hazri.accounts.access import Actor, Role, actor_of
from hazri.common import files
from hazri.common.api import ErrorOut, PathId, request_user
from hazri.common.errors import NotFound
from hazri.messaging import schemas as out
from hazri.messaging import selectors, services, whom
from hazri.messaging.models import ClassNotice
from hazri.messaging.schemas import (
    ClassNoticeIn,
    ClassNoticeListOut,
    ClassNoticeOut,
    MessageFileIn,
    MessageOut,
    MessageWithdrawIn,
    NoticeReadOut,
    RecipientsOut,
    ReplyIn,
    ThreadDetailOut,
    ThreadListOut,
    ThreadReadOut,
    ThreadStartIn,
)
from hazri.people.models import Student

router = Router(tags=["messaging"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)
PageNo = Annotated[int, Query(ge=1, le=100_000)]


def _uploads(items: list[MessageFileIn]) -> list[files.Upload]:
    return [
        files.from_base64(item.name, item.data, f"attachments[{n}]") for n, item in enumerate(items)
    ]


def detail(actor: Actor, thread_id: int) -> dict[str, Any]:
    """A thread with its messages, as the API answers it."""
    thread = (
        selectors.with_unread(selectors.threads_of(actor), actor.user.pk)
        .select_related("student", "staff")
        .filter(pk=thread_id)
        .first()
    )
    if thread is None:
        raise NotFound(f"No thread {thread_id} of yours.", field="thread")
    return {
        "thread": out.thread_out(thread),
        "may_write": whom.may_write(actor, thread.student, thread.staff),
        "messages": [out.message_out(m, actor.user.pk) for m in selectors.letters(thread)],
    }


@router.get(
    "/messages/threads",
    response={200: ThreadListOut, **ERRORS},
    summary="The user's threads, newest first, with unread counts (20 a page)",
)
def get_threads(request: HttpRequest, page: PageNo = 1) -> dict[str, Any]:
    request_user(request)
    box = selectors.inbox(actor_of(request), page)
    return {
        "page": box.page,
        "pages": box.pages,
        "total": box.total,
        "unread": box.unread,
        "threads": [out.thread_out(t) for t in box.threads],
    }


@router.post(
    "/messages/threads",
    response={201: ThreadDetailOut, **ERRORS},
    summary="Start a thread about a child: a guardian names the member of staff",
)
def post_thread(request: HttpRequest, payload: ThreadStartIn) -> Status[dict[str, Any]]:
    thread = services.thread_start(
        student_id=payload.student,
        staff_id=payload.staff,
        subject=payload.subject,
        body=payload.body,
        uploads=_uploads(payload.attachments),
        by=request_user(request),
    )
    return Status(201, detail(actor_of(request), thread.pk))


@router.get(
    "/messages/threads/{thread_id}",
    response={200: ThreadDetailOut, **ERRORS},
    summary="A thread with its messages (withdrawn ones show who, when and why)",
)
def get_thread(request: HttpRequest, thread_id: PathId) -> dict[str, Any]:
    request_user(request)
    return detail(actor_of(request), thread_id)


@router.post(
    "/messages/threads/{thread_id}/messages",
    response={201: MessageOut, **ERRORS},
    summary="Reply in a thread",
)
def post_reply(request: HttpRequest, thread_id: PathId, payload: ReplyIn) -> Status[dict[str, Any]]:
    user = request_user(request)
    thread = selectors.thread_visible(actor_of(request), thread_id)
    message = services.message_post(
        thread=thread, body=payload.body, uploads=_uploads(payload.attachments), by=user
    )
    return Status(201, out.message_out(message, user.pk))


@router.post(
    "/messages/threads/{thread_id}/read",
    response={200: ThreadReadOut, **ERRORS},
    summary="Mark the thread read up to its last message",
)
def post_thread_read(request: HttpRequest, thread_id: PathId) -> dict[str, Any]:
    user = request_user(request)
    thread = selectors.thread_visible(actor_of(request), thread_id)
    marker = services.thread_mark_read(thread=thread, by=user)
    return {"thread": thread.pk, "last_read": marker.last_read}


@router.post(
    "/messages/{message_id}/withdraw",
    response={200: MessageOut, **ERRORS},
    summary="The author withdraws a message: kept, shown as withdrawn by them, when and why",
)
def post_withdraw(
    request: HttpRequest, message_id: PathId, payload: MessageWithdrawIn
) -> dict[str, Any]:
    user = request_user(request)
    message = selectors.message_visible(actor_of(request), message_id)
    withdrawn = services.message_withdraw(message=message, reason=payload.reason, by=user)
    return out.message_out(withdrawn, user.pk)


@router.get(
    "/messages/files/{file_id}",
    response={200: None, **ERRORS},
    summary="A file of a message or a notice (the bytes, as stored)",
)
def get_file(request: HttpRequest, file_id: PathId) -> HttpResponse:
    request_user(request)
    found = selectors.file_visible(actor_of(request), file_id)
    return files.file_response(bytes(found.data), found.media_type, found.name)


@router.get(
    "/students/{student_id}/message-recipients",
    response={200: RecipientsOut, **ERRORS},
    summary="Whom the user may write to about this child",
)
def get_recipients(request: HttpRequest, student_id: PathId) -> dict[str, Any]:
    request_user(request)
    actor = actor_of(request)
    student = Student.objects.filter(pk=student_id).first()
    staff = whom.addressees(actor, student) if student else []
    family = student is not None and whom.staff_reaches(actor, student.pk) is not None
    if student is None or (student.pk not in actor.children and not family):
        raise NotFound(f"No student {student_id} you may write about.", field="student")
    return {
        "student": student.pk,
        "staff": [out.addressee_out(a) for a in staff],
        "family": family,
    }


# --- Class notices ----------------------------------------------------------------------


def _receipts(actor: Actor, notices: list[ClassNotice]) -> dict[int, selectors.Receipts]:
    """Read receipts for the notices the actor wrote, or of a school they head."""
    counted = [
        n
        for n in notices
        if n.author_id == actor.user.pk
        or actor.is_superuser
        or Role.HEAD in actor.roles_at(n.school_id)
    ]
    return selectors.receipts(counted)


def notices_answer(actor: Actor, notices: list[ClassNotice]) -> list[dict[str, Any]]:
    counts = _receipts(actor, notices)
    return [out.notice_out(n, counts.get(n.pk)) for n in notices]


@router.get(
    "/messages/notices",
    response={200: ClassNoticeListOut, **ERRORS},
    summary="Class notices: of the user's children's sections, or of their school",
)
def get_notices(request: HttpRequest, page: PageNo = 1) -> dict[str, Any]:
    request_user(request)
    actor = actor_of(request)
    rows, page, pages = selectors.notices_page(actor, page)
    return {"page": page, "pages": pages, "notices": notices_answer(actor, rows)}


@router.post(
    "/sections/{section_id}/notices",
    response={201: ClassNoticeOut, **ERRORS},
    summary="The class teacher (or the head) sends a notice to the section's families",
)
def post_notice(
    request: HttpRequest, section_id: PathId, payload: ClassNoticeIn
) -> Status[dict[str, Any]]:
    user = request_user(request)
    section = access.section_visible(user, section_id)
    notice = services.notice_post(
        section=section,
        title=payload.title,
        body=payload.body,
        uploads=_uploads(payload.attachments),
        by=user,
    )
    actor = actor_of(request)
    return Status(201, notices_answer(actor, [selectors.notice_visible(actor, notice.pk)])[0])


@router.post(
    "/messages/notices/{class_notice_id}/withdraw",
    response={200: ClassNoticeOut, **ERRORS},
    summary="The author withdraws a notice: kept, shown as withdrawn by them, when and why",
)
def post_notice_withdraw(
    request: HttpRequest, class_notice_id: PathId, payload: MessageWithdrawIn
) -> dict[str, Any]:
    user = request_user(request)
    actor = actor_of(request)
    notice = selectors.notice_visible(actor, class_notice_id)
    services.notice_withdraw(notice=notice, reason=payload.reason, by=user)
    return notices_answer(actor, [selectors.notice_visible(actor, notice.pk)])[0]


@router.post(
    "/messages/notices/{class_notice_id}/read",
    response={200: NoticeReadOut, **ERRORS},
    summary="The user has read the notice (a family's read receipt)",
)
def post_notice_read(request: HttpRequest, class_notice_id: PathId) -> dict[str, Any]:
    user = request_user(request)
    notice = selectors.notice_visible(actor_of(request), class_notice_id)
    receipt = services.notice_mark_read(notice=notice, by=user)
    return {"notice": notice.pk, "read_at": receipt.read_at}
