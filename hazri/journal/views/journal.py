"""The teacher's journal pages (a phone first, a laptop too): the day's lessons, one
lesson with everything recorded in it (one form saves it all, or none of it), a
subject's sheet for a term with its term grades, and the class teacher's view."""

import datetime as dt
import re
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hazri.accounts.access import today_in
from hazri.common import files
from hazri.common.api import FIRST_DAY, LAST_DAY, NO_CONTROLS
from hazri.common.errors import Invalid, ServiceError
from hazri.common.files import file_response
from hazri.common.pages import form_failed, page, plain_int
from hazri.journal.models import Grade, Remark
from hazri.journal.selectors import journal
from hazri.journal.services import grades as grading
from hazri.journal.services import lessons, remarks
from hazri.people.models import Student


def _day(text: str | None, field: str = "day") -> dt.date:
    try:
        day = dt.date.fromisoformat(text or "")
    except ValueError:
        raise Invalid(_("That is not a valid date."), field=field, code="bad_day") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise Invalid(_("That is not a valid date."), field=field, code="bad_day")
    return day


def _uuid(form: QueryDict, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(form.get(name, ""))
    except ValueError:
        raise Invalid(_("The form was incomplete."), field=name, code="bad_form") from None


def _checked(request: HttpRequest) -> None:
    """What a form sends is text the database can hold: no NUL or other control
    characters (the API's Text refuses them too), and files within the limit."""
    for name, values in request.POST.lists():
        if any(not re.fullmatch(NO_CONTROLS, value) for value in values):
            raise Invalid(_("The form was incomplete."), field=name, code="control_character")
    for upload in request.FILES.getlist("files"):
        if (
            not re.fullmatch(NO_CONTROLS, upload.name or "")
            or (upload.size or 0) > files.MAX_ATTACHMENT_BYTES
        ):
            raise Invalid(
                _("%(name)s is larger than 5 MB.") % {"name": upload.name},
                field="files",
                code="too_large",
            )


@page
def journal_home(request: HttpRequest) -> HttpResponse:
    day = _day(request.GET["day"]) if "day" in request.GET else today_in(settings.TIME_ZONE)
    return render(
        request,
        "journal/journal_home.html",
        {
            "day": day,
            "lessons": journal.teacher_day(request.user, day),
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
        },
    )


@page
def journal_lesson(request: HttpRequest, section_id: int, day: str, period: int) -> HttpResponse:
    when = _day(day)
    view = journal.lesson_view(request.user, section_id, when, period)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        try:
            _checked(request)
            with transaction.atomic():
                saved = _save_lesson(request, view)
            messages.success(request, _("Saved: %(what)s.") % {"what": ", ".join(saved) or "-"})
            return redirect("journal_lesson", section_id, day, period)
        except ServiceError as error:
            extra = form_failed(error, request.POST)
            view = journal.lesson_view(request.user, section_id, when, period)
    rows = [_row(view, member, extra.get("posted")) for member in view.roll]
    return render(
        request,
        "journal/journal_lesson.html",
        {
            "view": view,
            "rows": rows,
            "topic_uuid": uuid.uuid4(),
            "homework_uuid": uuid.uuid4(),
            "due_default": view.homework.due_on if view.homework else when + dt.timedelta(days=1),
            "remark_kinds": Remark.Kind.choices,
            **extra,
        },
        status=extra["error"].status if extra else 200,
    )


def _row(view: journal.LessonView, member: Any, posted: QueryDict | None) -> dict[str, Any]:
    """A student's part of the form: what was typed, where the form came back refused."""
    grade = _first(view.grades.get(member.id))
    typed = {
        name: posted.get(f"{name}_{member.id}", "") if posted is not None else default
        for name, default in [
            ("value", grade.value if grade else ""),
            ("comment", grade.comment if grade else ""),
            ("kind", str(grade.kind_id) if grade else ""),
            ("reason", ""),
            ("remark", ""),
        ]
    }
    return {
        "member": member,
        "grade": grade,
        "typed": typed,
        "more": (view.grades.get(member.id) or [])[1:],
        "remarks": view.remarks.get(member.id, []),
        "uuids": {k: uuid.uuid4() for k in ("grade", "change", "remark")},
    }


def _save_lesson(request: HttpRequest, view: journal.LessonView) -> list[str]:
    """Everything the lesson's form holds; the caller's transaction keeps it whole."""
    form, by, saved = request.POST, request.user, []
    base: dict[str, Any] = {"section": view.section, "day": view.day, "period": view.period}
    topic = form.get("topic", "").strip()
    if topic and (view.lesson is None or topic != view.lesson.topic):
        lessons.lesson_record(**base, topic=topic, client_uuid=_uuid(form, "topic_uuid"), by=by)
        saved.append(_("topic"))
    text = form.get("homework", "").strip()
    files = [files.Upload(f.name or "file", f.read()) for f in request.FILES.getlist("files")]
    drop = {plain_int(v) or 0 for v in form.getlist("drop")}
    due = _day(form.get("due_on"), "due_on") if text else view.day
    old = view.homework
    if text and (old is None or (text, due) != (old.text, old.due_on) or files or drop):
        lessons.homework_set(
            **base,
            text=text,
            due_on=due,
            uploads=files,
            drop=drop,
            client_uuid=_uuid(form, "homework_uuid"),
            by=by,
        )
        saved.append(_("homework"))
    graded = 0
    for member in view.roll:
        graded += _save_grade(form, view, member.id, by)
        text = form.get(f"remark_{member.id}", "").strip()
        if text:
            remarks.remark_write(
                section=view.section,
                subject=view.subject,
                student_id=member.id,
                day=view.day,
                kind=form.get(f"remark_kind_{member.id}", ""),
                text=text,
                hold=bool(form.get(f"remark_hold_{member.id}")),
                client_uuid=_uuid(form, f"remark_uuid_{member.id}"),
                by=by,
            )
            saved.append(_("a remark"))
    if graded:
        saved.append(_("%(count)d grades") % {"count": graded})
    return saved


def _first(grades: list[Grade] | None) -> Grade | None:
    return grades[0] if grades else None


def _save_grade(form: QueryDict, view: journal.LessonView, student: int, by: Any) -> int:
    value = form.get(f"value_{student}", "").strip()
    comment = form.get(f"comment_{student}", "").strip()
    kind = plain_int(form.get(f"kind_{student}"))
    current = _first(view.grades.get(student))
    if current is None:
        if not value:
            return 0
        grading.grade_give(
            section=view.section,
            subject=view.subject,
            student_id=student,
            kind_id=kind or 0,
            day=view.day,
            period=view.period,
            value=value,
            comment=comment,
            client_uuid=_uuid(form, f"grade_uuid_{student}"),
            by=by,
        )
        return 1
    withdraw = bool(form.get(f"withdraw_{student}"))
    same = (value, comment, kind or current.kind_id) == (
        current.value,
        current.comment,
        current.kind_id,
    )
    if not withdraw and (same or not value):
        return 0
    grading.grade_change(
        current=current,
        value=value or None,
        kind_id=kind,
        comment=comment,
        reason=form.get(f"reason_{student}", ""),
        withdraw=withdraw,
        client_uuid=_uuid(form, f"change_uuid_{student}"),
        by=by,
    )
    return 1


@page
def journal_sheet(request: HttpRequest, section_id: int, subject_id: int) -> HttpResponse:
    term_id = plain_int(request.GET.get("term"))
    sheet = journal.subject_sheet(request.user, section_id, subject_id, term_id)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        try:
            _checked(request)
            with transaction.atomic():
                count = _confirm(request, sheet)
            messages.success(request, _("%(count)d term grades confirmed.") % {"count": count})
            return redirect(f"{request.path}?term={sheet.term.pk}")
        except ServiceError as error:
            extra = form_failed(error, request.POST)
            sheet = journal.subject_sheet(request.user, section_id, subject_id, term_id)
    return render(
        request,
        "journal/journal_sheet.html",
        {"sheet": sheet, **extra},
        status=extra["error"].status if extra else 200,
    )


def _confirm(request: HttpRequest, sheet: journal.Sheet) -> int:
    count = 0
    students = Student.objects.in_bulk([row.student.id for row in sheet.rows])
    for row in sheet.rows:
        value = request.POST.get(f"term_{row.student.id}", "").strip()
        if not value:
            continue
        _, created = grading.term_grade_confirm(
            section=sheet.section,
            subject=sheet.subject,
            student=students[row.student.id],
            term=sheet.term,
            value=value,
            reason=request.POST.get(f"reason_{row.student.id}", ""),
            by=request.user,
        )
        count += created
    return count


@page
def journal_class(request: HttpRequest, section_id: int) -> HttpResponse:
    term_id = plain_int(request.GET.get("term"))
    view = journal.class_view(request.user, section_id, term_id)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        try:
            _checked(request)
            remark = journal.remark_of(request.user, plain_int(request.POST.get("remark")) or 0)
            remarks.remark_review(
                remark=remark,
                release=request.POST.get("decision") == "release",
                note=request.POST.get("note", ""),
                by=request.user,
            )
            messages.success(request, _("The remark was reviewed."))
            return redirect(f"{request.path}?term={view.term.pk}")
        except ServiceError as error:
            extra = form_failed(error, request.POST)
    return render(
        request,
        "journal/journal_class.html",
        {"view": view, **extra},
        status=extra["error"].status if extra else 200,
    )


@page
def journal_attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    found = journal.attachment_of(request.user, attachment_id)
    return file_response(bytes(found.data), found.media_type, found.name)
