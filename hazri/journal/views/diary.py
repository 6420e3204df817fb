"""The diary's pages: a family's week (every child), one child's week with the
signature button, absences told in advance, and the class teacher's list of who
signed the week."""

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from hazri.accounts import selectors as access
from hazri.accounts.access import actor_of
from hazri.common.api import FIRST_DAY, LAST_DAY
from hazri.common.errors import Invalid, ServiceError
from hazri.common.pages import error_text, page
from hazri.journal.selectors import family
from hazri.journal.selectors.diary import ChildWeek, diary_weeks, monday_of
from hazri.journal.services import family as services
from hazri.org import selectors as org


def _day(value: str | None, default: dt.date, field: str = "week") -> dt.date:
    if not value:
        return default
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        raise Invalid(f"'{value}' is not a date; use YYYY-MM-DD.", field=field, code="bad_day")
    return day


def _card(request: HttpRequest, child: ChildWeek) -> dict[str, Any]:
    """What the page shows of one child's week besides the week itself."""
    actor = actor_of(request)
    progress = child.progress
    chart = None
    if progress is not None and progress.series:
        chart = {
            "labels": [week.strftime("%d %b") for week in progress.weeks],
            "series": [{"label": name, "data": data} for name, data in progress.series.items()],
        }
    return {
        "week": child,
        "may_sign": child.student.pk in actor.children and child.section is not None,
        "signed": child.signed_by(request.user.pk or 0),
        "chart": chart,
        "chart_id": f"progress-{child.student.pk}",
        "chart_json": json.dumps(chart) if chart else "",
    }


def _render(
    request: HttpRequest, children: list[ChildWeek], day: dt.date, url: str, single: bool
) -> HttpResponse:
    monday = monday_of(day)
    return render(
        request,
        "journal/diary.html",
        {
            "cards": [_card(request, child) for child in children],
            "monday": monday,
            "sunday": monday + dt.timedelta(days=6),
            "previous": f"{url}?week={(monday - dt.timedelta(days=7)).isoformat()}",
            "next": f"{url}?week={(monday + dt.timedelta(days=7)).isoformat()}",
            "this_week": url,
            "single": single,
        },
    )


@page
@require_http_methods(["GET"])
def diary_home(request: HttpRequest) -> HttpResponse:
    """The user's own family only: nothing here takes an id, so nothing can be probed."""
    day = _day(request.GET.get("week"), family.diary_today())
    children = diary_weeks(family.family_students(request.user), day)
    return _render(request, children, day, reverse("diary"), single=False)


@page
@require_http_methods(["GET"])
def diary_student(request: HttpRequest, student_id: int) -> HttpResponse:
    student = family.student_for_diary(request.user, student_id)
    day = _day(request.GET.get("week"), family.diary_today())
    url = reverse("diary_student", args=[student.pk])
    return _render(request, diary_weeks([student], day), day, url, single=True)


@page
@require_POST
def diary_acknowledge(request: HttpRequest, student_id: int) -> HttpResponse:
    student = family.student_for_diary(request.user, student_id)
    day = _day(request.POST.get("week"), family.diary_today())
    school = family.school_of(student, day)
    _ack, created = services.week_acknowledge(
        school=school, student=student, week=day, today=org.school_today(school), by=request.user
    )
    messages.success(
        request,
        gettext("You signed the week.")
        if created
        else gettext("You had signed this week already."),
    )
    back = request.POST.get("back") == "family"
    url = reverse("diary") if back else reverse("diary_student", args=[student.pk])
    return redirect(f"{url}?week={monday_of(day).isoformat()}")


@page
@require_http_methods(["GET", "POST"])
def diary_notices(request: HttpRequest, student_id: int) -> HttpResponse:
    student = family.student_for_diary(request.user, student_id)
    school = family.school_of(student, family.diary_today())
    today = org.school_today(school)
    error, posted = None, {}
    if request.method == "POST":
        posted = {k: request.POST.get(k, "") for k in ("starts_on", "ends_on", "reason")}
        try:
            starts_on = _day(posted["starts_on"], today, "starts_on")
            services.notice_tell(
                school=family.school_of(student, starts_on),
                student=student,
                starts_on=starts_on,
                ends_on=_day(posted["ends_on"], starts_on, "ends_on"),
                reason=posted["reason"],
                today=today,
                by=request.user,
            )
        except ServiceError as failed:
            error = failed
        else:
            messages.success(request, gettext("The school has been told."))
            return redirect("diary_notices", student.pk)
    return render(
        request,
        "journal/diary_notices.html",
        {
            "student": student,
            "notices": family.notices_of(student),
            "may_tell": student.pk in actor_of(request).children,
            "today": today,
            "error": error,
            "error_text": error_text(error) if error else "",
            "posted": posted,
        },
        status=error.status if error else 200,
    )


@page
@require_POST
def diary_notice_withdraw(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = family.notice_visible(request.user, notice_id)
    services.notice_withdraw(notice=notice, today=org.school_today(notice.school), by=request.user)
    messages.success(request, gettext("The notice is withdrawn."))
    return redirect("diary_notices", notice.student_id)


@page
@require_http_methods(["GET"])
def section_acknowledgements(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access.section_visible(request.user, section_id)
    day = _day(request.GET.get("week"), org.school_today(section.school))
    family.require_class_teacher(request.user, section, day)
    rows = family.acknowledgements_of(section, day, family.roll_day(section, day))
    monday = monday_of(day)
    url = reverse("section_acknowledgements", args=[section.pk])
    return render(
        request,
        "journal/diary_acknowledgements.html",
        {
            "section": section,
            "school": section.school,
            "rows": rows,
            "signed": sum(1 for row in rows if row.signed),
            "monday": monday,
            "sunday": monday + dt.timedelta(days=6),
            "previous": f"{url}?week={(monday - dt.timedelta(days=7)).isoformat()}",
            "next": f"{url}?week={(monday + dt.timedelta(days=7)).isoformat()}",
        },
    )
