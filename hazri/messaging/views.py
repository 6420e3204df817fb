"""The messaging pages: the inbox, a thread with its reply form, a new thread (a parent
picks a child and a teacher; a teacher a student of their sections), the notices, a
class notice's form, files. A GET reads only: the thread page marks itself read with a
POST (htmx on load, or the button)."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from hazri.accounts import selectors as access
from hazri.accounts.access import actor_of
from hazri.common import files
from hazri.common.errors import Invalid, ServiceError
from hazri.common.pages import form_failed, page, plain_int
from hazri.messaging import selectors, services, whom
from hazri.messaging.api import notices_answer


def _page_no(request: HttpRequest) -> int:
    return plain_int(request.GET.get("page"), max_digits=6) or 1


@page
@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    box = selectors.inbox(actor, _page_no(request))
    return render(
        request,
        "messaging/inbox.html",
        {
            "box": box,
            "may_start": bool(actor.children) or bool(whom.own_staff(actor)),
            "notices_unread": selectors.notices_unread(actor),
        },
    )


def _choices(request: HttpRequest) -> tuple[list[dict[str, Any]], list[whom.Writable]]:
    """A guardian's (child, member of staff) pairs; a head's or teacher's students."""
    actor = actor_of(request)
    pairs = []
    for member in access.family_of(request.user):
        if member.relation != "child":
            continue
        for addressee in whom.addressees(actor, member.student):
            pairs.append(
                {
                    "value": f"{member.student.pk}:{addressee.staff.pk}",
                    "student": member.student,
                    "addressee": addressee,
                }
            )
    students = whom.students_to_write(actor) if whom.own_staff(actor) else []
    return pairs, students


def _recipient(value: str) -> tuple[int, int | None]:
    student, _sep, staff = value.partition(":")
    student_id, staff_id = plain_int(student), plain_int(staff)
    if student_id is None or (staff and staff_id is None):
        raise Invalid(gettext("Choose whom to write to."), field="recipient", code="required")
    return student_id, staff_id


@page
@require_http_methods(["GET", "POST"])
def thread_new(request: HttpRequest) -> HttpResponse:
    pairs, students = _choices(request)
    extra: dict[str, Any] = {}
    posted = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        try:
            student_id, staff_id = _recipient(request.POST.get("recipient", ""))
            thread = services.thread_start(
                student_id=student_id,
                staff_id=staff_id,
                subject=request.POST.get("subject", ""),
                body=request.POST.get("body", ""),
                uploads=files.form_uploads(request),
                by=request.user,
            )
        except ServiceError as error:
            extra = form_failed(error, request.POST)
        else:
            messages.success(request, gettext("Your message was sent."))
            return redirect("messaging_thread", thread.pk)
    return render(
        request,
        "messaging/thread_new.html",
        {"pairs": pairs, "students": students, "posted": posted, **extra},
        status=extra["error"].status if extra else 200,
    )


@page
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    actor = actor_of(request)
    found = selectors.thread_visible(actor, thread_id)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        try:
            services.message_post(
                thread=found,
                body=request.POST.get("body", ""),
                uploads=files.form_uploads(request),
                by=request.user,
            )
        except ServiceError as error:
            extra = form_failed(error, request.POST)
        else:
            messages.success(request, gettext("Your reply was sent."))
            return redirect("messaging_thread", found.pk)
    letters = selectors.letters(found)
    read_up_to = selectors.read_marker(found, request.user.pk or 0)
    return render(
        request,
        "messaging/thread.html",
        {
            "thread": found,
            "letters": letters,
            "read_up_to": read_up_to,
            "unread": any(
                m.pk > read_up_to and m.author_id != request.user.pk and not m.withdrawn_at
                for m in letters
            ),
            "may_write": whom.may_write(actor, found.student, found.staff),
            **extra,
        },
        status=extra["error"].status if extra else 200,
    )


@page
@require_POST
def thread_read(request: HttpRequest, thread_id: int) -> HttpResponse:
    found = selectors.thread_visible(actor_of(request), thread_id)
    services.thread_mark_read(thread=found, by=request.user)
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204)
    return redirect("messaging_thread", found.pk)


@page
@require_POST
def message_withdraw(request: HttpRequest, message_id: int) -> HttpResponse:
    found = selectors.message_visible(actor_of(request), message_id)
    services.message_withdraw(message=found, reason=request.POST.get("reason", ""), by=request.user)
    messages.success(request, gettext("The message is withdrawn."))
    return redirect("messaging_thread", found.thread_id)


@page
@require_http_methods(["GET"])
def file_download(request: HttpRequest, file_id: int) -> HttpResponse:
    found = selectors.file_visible(actor_of(request), file_id)
    return files.file_response(bytes(found.data), found.media_type, found.name)


# --- Notices ----------------------------------------------------------------------------


@page
@require_http_methods(["GET"])
def notices(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    rows, number, pages = selectors.notices_page(actor, _page_no(request))
    answered = notices_answer(actor, rows)
    sections = whom.class_sections(actor)
    return render(
        request,
        "messaging/notices.html",
        {
            "rows": list(zip(rows, answered, strict=True)),
            "page": number,
            "pages": pages,
            "sections": sections,
            "family": bool(actor.children),
        },
    )


@page
@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access.section_visible(request.user, section_id)
    services.require_notice_writer(actor_of(request), section)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        try:
            services.notice_post(
                section=section,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                uploads=files.form_uploads(request),
                by=request.user,
            )
        except ServiceError as error:
            extra = form_failed(error, request.POST)
        else:
            messages.success(request, gettext("The notice was sent to the families."))
            return redirect("messaging_notices")
    return render(
        request,
        "messaging/notice_new.html",
        {"section": section, "posted": request.POST, **extra},
        status=extra["error"].status if extra else 200,
    )


@page
@require_POST
def notice_read(request: HttpRequest, class_notice_id: int) -> HttpResponse:
    found = selectors.notice_visible(actor_of(request), class_notice_id)
    services.notice_mark_read(notice=found, by=request.user)
    return redirect(f"{reverse('messaging_notices')}#notice-{found.pk}")


@page
@require_POST
def notice_withdraw(request: HttpRequest, class_notice_id: int) -> HttpResponse:
    found = selectors.notice_visible(actor_of(request), class_notice_id)
    services.notice_withdraw(notice=found, reason=request.POST.get("reason", ""), by=request.user)
    messages.success(request, gettext("The notice is withdrawn."))
    return redirect("messaging_notices")
