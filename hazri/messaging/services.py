"""Writing messages and notices: a thread started about a child, a reply, a message or
notice withdrawn (kept, with who, when and why), read markers. Who may write to whom is
messaging.whom's; every write is audited, and once it has committed the signals tell
the notification app (messaging.signals)."""

from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazri.accounts.access import Actor, Role, actor_of
from hazri.audit.services import audit_record
from hazri.common import files
from hazri.common.errors import Conflict, Forbidden, Invalid, NotFound
from hazri.common.text import clean_text as _text
from hazri.messaging import whom
from hazri.messaging.models import ClassNotice, Message, MessageFile, NoticeRead, Thread, ThreadRead
from hazri.messaging.signals import message_posted, notice_posted
from hazri.org import selectors as org
from hazri.org.models import Section
from hazri.people.models import Student

MAX_BODY = 5000
MAX_SUBJECT = 200
MAX_REASON = 500
MAX_FILES = 3


def _checked_files(uploads: list[files.Upload]) -> list[tuple[files.Upload, str]]:
    if len(uploads) > MAX_FILES:
        raise Invalid(_("At most 3 files."), field="attachments", code="too_many")
    return [
        (upload, files.check_upload(upload, f"attachments[{n}]"))
        for n, upload in enumerate(uploads)
    ]


def _store_files(
    checked: list[tuple[files.Upload, str]],
    school_id: int,
    *,
    message: Message | None = None,
    notice: ClassNotice | None = None,
) -> None:
    MessageFile.objects.bulk_create(
        MessageFile(
            school_id=school_id,
            message=message,
            notice=notice,
            name=upload.name.strip()[:200],
            media_type=media,
            size=len(upload.data),
            data=upload.data,
        )
        for upload, media in checked
    )


def thread_start(
    *,
    student_id: int,
    staff_id: int | None,
    subject: str,
    body: str,
    uploads: list[files.Upload],
    by: Any,
) -> Thread:
    """A new thread about a child with its first message. A guardian names the member
    of staff; a head or teacher writes as themselves (staff_id None or their own)."""
    actor = actor_of(by)
    own = whom.own_staff(actor)
    enrolment = None
    if own is not None and staff_id in (None, own.pk):
        enrolment = whom.staff_reaches(actor, student_id)
        staff = own
    if enrolment is None:
        if student_id not in actor.children:
            raise NotFound(f"No student {student_id} you may write about.", field="student")
        enrolment = whom.enrolment_today(student_id)
        if enrolment is None or staff_id is None:
            raise NotFound(f"No member of staff {staff_id} you may write to.", field="staff")
        staff = whom.require_addressee(actor, Student(pk=student_id), staff_id)
    subject = _text(subject, field="subject", limit=MAX_SUBJECT)
    body = _text(body, field="body", limit=MAX_BODY)
    checked = _checked_files(uploads)
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            school_id=enrolment.school_id,
            student_id=student_id,
            staff=staff,
            subject=subject,
            started_by=by,
            started_at=now,
            last_message_at=now,
        )
        audit_record(
            user=by,
            action="messaging.thread",
            obj=thread,
            school_id=thread.school_id,
            detail={"student": student_id, "staff": staff.pk},
        )
        _post(thread, body, checked, by, now)
    return thread


def message_post(*, thread: Thread, body: str, uploads: list[files.Upload], by: Any) -> Message:
    """A reply in a thread the user is party to, if they may still write to the other
    side (a teacher no longer teaching the child's section may not)."""
    actor = actor_of(by)
    student = Student(pk=thread.student_id)
    if not whom.may_write(actor, student, thread.staff):
        raise Forbidden(
            _("You can no longer write in this thread: it is kept for reading."),
            field="thread",
            code="may_not_write",
        )
    body = _text(body, field="body", limit=MAX_BODY)
    checked = _checked_files(uploads)
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        return _post(locked, body, checked, by, timezone.now())


def _post(
    thread: Thread, body: str, checked: list[tuple[files.Upload, str]], by: Any, now: Any
) -> Message:
    message = Message.objects.create(
        school_id=thread.school_id, thread=thread, author=by, body=body, posted_at=now
    )
    _store_files(checked, thread.school_id, message=message)
    thread.last_message_at = now
    thread.save(update_fields=["last_message_at"])
    _mark(thread, by, message.pk, now)  # the author has read what they wrote
    audit_record(
        user=by,
        action="messaging.message",
        obj=message,
        school_id=thread.school_id,
        detail={"thread": thread.pk, "files": len(checked)},
    )
    transaction.on_commit(lambda: message_posted.send(sender=Message, message=message))
    return message


W = TypeVar("W", Message, ClassNotice)


def _withdraw(
    item: W, *, reason: str, by: Any, refusals: tuple[str, str], detail: dict[str, Any]
) -> W:
    """The author takes a message or notice back: it stays stored; readers see who
    withdrew it, when and why instead of its text. `refusals`: the words for "not the
    author" and "already withdrawn"."""
    field = "message" if isinstance(item, Message) else "notice"
    if item.author_id != by.pk:
        raise Forbidden(refusals[0], field=field, code="not_author")
    reason = _text(reason, field="reason", limit=MAX_REASON)
    with transaction.atomic():
        locked = type(item).objects.select_for_update().get(pk=item.pk)
        if locked.withdrawn_at is not None:
            raise Conflict(refusals[1], field=field, code="withdrawn")
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_reason = reason
        locked.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        audit_record(
            user=by,
            action=f"messaging.{field}_withdraw",
            obj=locked,
            school_id=locked.school_id,
            detail={**detail, "reason": reason},
        )
    return locked


def message_withdraw(*, message: Message, reason: str, by: Any) -> Message:
    """The author takes a message back (see `_withdraw`)."""
    refusals = (
        _("Only the author can withdraw a message."),
        _("This message was already withdrawn."),
    )
    detail = {"thread": message.thread_id}
    return _withdraw(message, reason=reason, by=by, refusals=refusals, detail=detail)


def _mark(thread: Thread, by: Any, up_to: int, now: Any) -> ThreadRead:
    marker, created = ThreadRead.objects.get_or_create(
        thread=thread,
        user=by,
        defaults={"school_id": thread.school_id, "last_read": up_to, "read_at": now},
    )
    if not created and marker.last_read < up_to:
        marker.last_read, marker.read_at = up_to, now
        marker.save(update_fields=["last_read", "read_at"])
    return marker


def thread_mark_read(*, thread: Thread, by: Any) -> ThreadRead:
    """The user has read the thread up to its last message."""
    last = (
        Message.objects.filter(school_id=thread.school_id, thread=thread)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    try:
        with transaction.atomic():
            return _mark(thread, by, last or 0, timezone.now())
    except IntegrityError:  # marked at the same moment from another tab
        return ThreadRead.objects.get(thread=thread, user=by)


# --- Notices --------------------------------------------------------------------------


def require_notice_writer(actor: Actor, section: Section) -> None:
    """The section's class teacher today, or the head of its school; else Forbidden
    (the section itself was found visible)."""
    today = org.school_today(section.school)
    roles = actor.roles_at(section.school_id, today)
    if Role.HEAD in roles:
        return
    if Role.TEACHER in roles and any(
        a.section_id == section.pk and a.subject_id is None and a.covers(today)
        for a in actor.assignments
    ):
        return
    raise Forbidden(
        _("Only the class teacher of this section and the head can send it a notice."),
        field="section",
        code="not_class_teacher",
    )


def notice_post(
    *, section: Section, title: str, body: str, uploads: list[files.Upload], by: Any
) -> ClassNotice:
    """A notice to all the families of the section."""
    require_notice_writer(actor_of(by), section)
    title = _text(title, field="title", limit=MAX_SUBJECT)
    body = _text(body, field="body", limit=MAX_BODY)
    checked = _checked_files(uploads)
    with transaction.atomic():
        notice = ClassNotice.objects.create(
            school_id=section.school_id,
            section=section,
            title=title,
            body=body,
            author=by,
            posted_at=timezone.now(),
        )
        _store_files(checked, section.school_id, notice=notice)
        audit_record(
            user=by,
            action="messaging.notice",
            obj=notice,
            school_id=section.school_id,
            detail={"section": section.pk, "files": len(checked)},
        )
        transaction.on_commit(lambda: notice_posted.send(sender=ClassNotice, notice=notice))
    return notice


def notice_withdraw(*, notice: ClassNotice, reason: str, by: Any) -> ClassNotice:
    """The author takes a notice back; it stays stored, shown as withdrawn."""
    refusals = (
        _("Only the author can withdraw a notice."),
        _("This notice was already withdrawn."),
    )
    return _withdraw(notice, reason=reason, by=by, refusals=refusals, detail={})


def notice_mark_read(*, notice: ClassNotice, by: Any) -> NoticeRead:
    """The user has read the notice (once; again: the first reading)."""
    try:
        with transaction.atomic():
            receipt, _created = NoticeRead.objects.get_or_create(
                notice=notice,
                user=by,
                defaults={"school_id": notice.school_id, "read_at": timezone.now()},
            )
    except IntegrityError:
        receipt = NoticeRead.objects.get(notice=notice, user=by)
    return receipt
