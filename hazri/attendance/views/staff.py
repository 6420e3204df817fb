"""A school's staff attendance for a day: the marking page and its history."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from hazri.accounts import selectors as access
from hazri.attendance import selectors, services
from hazri.attendance.services import Capture, Submitted
from hazri.attendance.views.base import (
    day_url,
    draft_key,
    handle_marking,
    history,
    marking_window,
    parse_day,
    saved_message,
    staff_people,
)
from hazri.common.pages import page
from hazri.org import selectors as org
from hazri.people import selectors as people


@page
def staff_mark(request: HttpRequest, school_id: int) -> HttpResponse:
    school = access.school_visible(request.user, school_id)
    params = request.POST if request.method == "POST" else request.GET
    today = org.school_today(school)
    day = parse_day(params.get("day"), today)
    role = access.require_marker(request.user, school, day)  # on the day being marked
    policy = org.policy_for_school(school)
    roll = staff_people(people.school_staff_roll(school, day))
    versions = list(selectors.staff_rollcall_versions(school=school, day=day))
    current = next((v for v in versions if v.is_current), None)

    def submit(marks: list[tuple[int, str]], capture: Capture) -> Submitted:
        return services.staff_rollcall_submit(
            school=school,
            day=day,
            marks=marks,
            capture=capture,
            by=request.user,  # type: ignore[arg-type]
        )

    form, submitted = handle_marking(request, people=roll, current=current, submit=submit)
    if submitted is not None:
        what = gettext("staff")
        messages.success(
            request, saved_message(submitted.sheet, what, submitted.created, submitted.waits_for)
        )
        return redirect(day_url(school, day))
    window = marking_window(
        school=school, policy=policy, day=day, today=today, current=current, role=role
    )
    return render(
        request,
        "attendance/mark.html",
        {
            "school": school,
            "title": gettext("Staff attendance"),
            "kind": "staff",
            "day": day,
            "meeting": None,
            "form": form,
            "current": current,
            "show_form": request.method == "POST" or not window["blocked"],
            "history_url": reverse("staff_history", args=[school.pk]) + f"?day={day.isoformat()}",
            "back_url": day_url(school, day),
            "draft_key": draft_key(request, day, None),
            **window,
        },
        status=form.status,
    )


@page
def staff_history(request: HttpRequest, school_id: int) -> HttpResponse:
    school = access.school_visible(request.user, school_id)
    today = org.school_today(school)
    day = parse_day(request.GET.get("day"), today)
    sheets = list(selectors.staff_rollcall_versions(school=school, day=day))
    roll = staff_people(people.school_staff_roll(school, day))
    can_mark = access.posting_role(request.user, school, today) is not None
    return render(
        request,
        "attendance/history.html",
        {
            "school": school,
            "title": gettext("Staff attendance"),
            "day": day,
            "versions": history(sheets, roll),
            "mark_url": reverse("staff_mark", args=[school.pk]) + f"?day={day.isoformat()}"
            if can_mark and day <= today
            else "",
            "back_url": day_url(school, day),
        },
    )
