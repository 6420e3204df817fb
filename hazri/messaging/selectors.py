"""What a user reads of messages and notices: their threads newest first with what is
unread, one thread's letters, a file, the notices of their children's sections or of
their school, and a notice's read receipts. "Not yours" and "does not exist" are one
404."""

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from hazri.accounts.access import Action, Actor, restrict, today_in
from hazri.common.errors import NotFound
from hazri.messaging.models import ClassNotice, Message, MessageFile, NoticeRead, Thread, ThreadRead
from hazri.org import selectors as org
from hazri.people.models import Enrolment, Guardianship
from hazri.people.selectors import section_roll

PAGE_SIZE = 20


def threads_of(actor: Actor) -> QuerySet[Thread]:
    """The threads the actor is party to: as their member of staff (posted at the school
    today) or as a guardian of their child."""
    if not actor.authenticated:
        return Thread.objects.none()
    mine = Q(staff__user_id=actor.user.pk) | Q(student_id__in=sorted(actor.children))
    return restrict(Thread.objects.all(), actor, Action.MESSAGE).filter(mine)


def with_unread(threads: QuerySet[Thread], user_id: int) -> QuerySet[Thread]:
    """Each thread with `unread`: others' messages, not withdrawn, after the user's
    read marker."""
    marker = ThreadRead.objects.filter(thread=OuterRef("pk"), user_id=user_id).values("last_read")
    return threads.annotate(
        read_up_to=Coalesce(Subquery(marker[:1]), Value(0), output_field=IntegerField())
    ).annotate(
        unread=Count(
            "messages",
            filter=Q(messages__pk__gt=F("read_up_to"), messages__withdrawn_at__isnull=True)
            & ~Q(messages__author_id=user_id),
        )
    )


@dataclass(frozen=True)
class Inbox:
    threads: list[Thread]  # each with `unread`, student, staff
    page: int
    pages: int
    total: int
    unread: int  # over every thread of the user's, not only this page's


def inbox(actor: Actor, page: int = 1) -> Inbox:
    """The actor's threads newest first, a page of them, with unread counts."""
    threads = with_unread(threads_of(actor), actor.user.pk)
    total = threads_of(actor).count()
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = list(
        threads.select_related("student", "staff").order_by("-last_message_at", "-pk")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE
        ]
    )
    return Inbox(rows, page, pages, total, unread_total(actor))


def unread_total(actor: Actor) -> int:
    """Unread messages in all the actor's threads, and unread notices (the header's
    count): a query for each, and one for the actor's children if not yet read."""
    if not actor.authenticated:
        return 0
    user_id = actor.user.pk
    marker = ThreadRead.objects.filter(thread=OuterRef("thread_id"), user_id=user_id)
    messages = (
        Message.objects.filter(thread__in=threads_of(actor), withdrawn_at__isnull=True)
        .exclude(author_id=user_id)
        .filter(pk__gt=Coalesce(Subquery(marker.values("last_read")[:1]), Value(0)))
        .count()
    )
    return messages + notices_unread(actor)


def thread_visible(actor: Actor, thread_id: int) -> Thread:
    found = (
        threads_of(actor)
        .select_related("student", "staff", "school", "started_by")
        .filter(pk=thread_id)
        .first()
    )
    if found is None:
        raise NotFound(f"No thread {thread_id} of yours.", field="thread")
    return found


def letters(thread: Thread) -> list[Message]:
    """The thread's messages, oldest first, with their authors and files (not their
    bytes): three queries."""
    return list(
        Message.objects.filter(school_id=thread.school_id, thread=thread)
        .select_related("author")
        .prefetch_related(_files())
        .order_by("pk")
    )


def _files() -> Prefetch:
    return Prefetch("files", queryset=MessageFile.objects.defer("data").order_by("pk"))


def read_marker(thread: Thread, user_id: int) -> int:
    found = ThreadRead.objects.filter(thread=thread, user_id=user_id).values("last_read").first()
    return int(found["last_read"]) if found else 0


def message_visible(actor: Actor, message_id: int) -> Message:
    found = (
        Message.objects.filter(pk=message_id, thread__in=threads_of(actor))
        .select_related("thread", "thread__student", "thread__staff", "author")
        .first()
    )
    if found is None:
        raise NotFound(f"No message {message_id} of yours.", field="message")
    return found


# --- Notices --------------------------------------------------------------------------


def family_sections(actor: Actor) -> Any:
    """The sections the actor's children are on the roll of today (the deployment's
    today, as across many schools), as a subquery."""
    today = today_in(settings.TIME_ZONE)
    return (
        Enrolment.objects.filter(student_id__in=sorted(actor.children), starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values("section_id")
    )


def notices_of(actor: Actor) -> QuerySet[ClassNotice]:
    """The notices of the actor's children's sections (a family) and of the schools
    where they may message (the head and teachers posted there today)."""
    if not actor.authenticated:
        return ClassNotice.objects.none()
    school = restrict(ClassNotice.objects.all(), actor, Action.MESSAGE).values("pk")
    if not actor.children:
        return ClassNotice.objects.filter(pk__in=school)
    return ClassNotice.objects.filter(Q(pk__in=school) | Q(section_id__in=family_sections(actor)))


def notices_page(actor: Actor, page: int = 1) -> tuple[list[ClassNotice], int, int]:
    """A page of the actor's notices, newest first, each with `read_by_me`; (notices,
    page, pages)."""
    notices = notices_of(actor)
    pages = max(1, math.ceil(notices.count() / PAGE_SIZE))
    page = min(max(1, page), pages)
    rows: list[ClassNotice] = list(
        notices.select_related("section", "author", "school")
        .prefetch_related(_files())
        .annotate(read_by_me=Count("reads", filter=Q(reads__user_id=actor.user.pk)))
        .order_by("-posted_at", "-pk")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    )
    return rows, page, pages


def notices_unread(actor: Actor) -> int:
    """Notices to the actor's children's sections they have not read (not withdrawn)."""
    if not actor.children:
        return 0
    return (
        ClassNotice.objects.filter(section_id__in=family_sections(actor), withdrawn_at__isnull=True)
        .exclude(reads__user_id=actor.user.pk)
        .count()
    )


def notice_visible(actor: Actor, notice_id: int) -> ClassNotice:
    found = (
        notices_of(actor)
        .select_related("section", "section__school", "school", "author")
        .filter(pk=notice_id)
        .first()
    )
    if found is None:
        raise NotFound(f"No notice {notice_id} for you.", field="notice")
    return found


@dataclass(frozen=True)
class Receipts:
    read: int  # families with a guardian who read the notice
    families: int  # families of the section's roll today with a guardian who can log in


def receipts(notices: list[ClassNotice]) -> dict[int, Receipts]:
    """For each notice, how many of its section's families have read it: a family is a
    child on the roll today with a guardian who has a login; it has read the notice
    when one of its guardians has."""
    found: dict[int, Receipts] = {}
    by_section: dict[int, list[ClassNotice]] = defaultdict(list)
    for notice in notices:
        by_section[notice.section_id].append(notice)
    readers: dict[int, set[int]] = defaultdict(set)
    for notice_id, user_id in NoticeRead.objects.filter(
        notice_id__in=[n.pk for n in notices]
    ).values_list("notice_id", "user_id"):
        readers[notice_id].add(user_id)
    for group in by_section.values():
        section = group[0].section
        roll = [m.id for m in section_roll(section, org.school_today(section.school))]
        guardians: dict[int, set[int]] = defaultdict(set)
        for student_id, user_id in Guardianship.objects.filter(
            student_id__in=roll, guardian__user__isnull=False
        ).values_list("student_id", "guardian__user_id"):
            guardians[student_id].add(user_id)
        for notice in group:
            read = sum(1 for users in guardians.values() if users & readers[notice.pk])
            found[notice.pk] = Receipts(read, len(guardians))
    return found


def file_visible(actor: Actor, file_id: int) -> MessageFile:
    """A file of a message in one of the actor's threads, or of a notice they may read."""
    found = (
        MessageFile.objects.filter(
            Q(message__thread__in=threads_of(actor)) | Q(notice__in=notices_of(actor)),
            pk=file_id,
        )
        .select_related("message", "notice")
        .first()
    )
    if found is None:
        raise NotFound(f"No file {file_id} for you.", field="file")
    return found
