"""A section's roll call: the marking page and the history of its versions."""

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of
from hazri.attendance import seams, selectors, services
from hazri.attendance.models import RollCall
from hazri.attendance.services import Capture, Submitted
from hazri.attendance.views.base import (
    day_url,
    draft_key,
    handle_marking,
    history,
    marking_window,
    parse_day,
    parse_meeting,
    saved_message,
    student_people,
)
from hazri.audit.services import audit_record
from hazri.common.pages import page
from hazri.org import selectors as org
from hazri.org.models import Section
from hazri.people import selectors as people


def section_title(section: Section, meeting: int, meetings: int) -> str:
    title = gettext("Class %(label)s") % {"label": section.label}
    if meetings > 1:
        title += f" ({RollCall.Meeting(meeting).label})"
    return title


def _query(day: dt.date, meeting: int) -> str:
    return f"?day={day.isoformat()}&meeting={meeting}"


@page
def section_mark(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access.section_visible(request.user, section_id)
    school = section.school
    params = request.POST if request.method == "POST" else request.GET
    today = org.school_today(school)
    day = parse_day(params.get("day"), today)
    policy = org.policy_for_school(school)
    meeting = parse_meeting(params.get("meeting"), policy.meetings_per_day)
    # Judged on the day being marked, for this section (the state's marking scope).
    role = access.require_marker(
        request.user, school, day, section=section, marking_scope=policy.marking_scope
    )
    roll = student_people(people.section_roll(section, day), seams.notes_for(section, day))
    versions = list(selectors.rollcall_versions(section=section, day=day, meeting=meeting))
    current = next((v for v in versions if v.is_current), None)
    title = section_title(section, meeting, policy.meetings_per_day)

    def submit(marks: list[tuple[int, str]], capture: Capture) -> Submitted:
        return services.rollcall_submit(
            section=section,
            day=day,
            meeting=meeting,
            marks=marks,
            capture=capture,
            by=request.user,  # type: ignore[arg-type]
        )

    form, submitted = handle_marking(request, people=roll, current=current, submit=submit)
    if submitted is not None:
        messages.success(
            request, saved_message(submitted.sheet, title, submitted.created, submitted.waits_for)
        )
        return redirect(day_url(school, day))
    window = marking_window(
        school=school,
        policy=policy,
        day=day,
        today=today,
        current=current,
        role=role,
        meeting=meeting,
    )
    query = _query(day, meeting)
    return render(
        request,
        "attendance/mark.html",
        {
            "school": school,
            "title": title,
            "kind": "students",
            "day": day,
            "meeting": meeting,
            "form": form,
            "current": current,
            "show_form": request.method == "POST" or not window["blocked"],
            "history_url": reverse("section_history", args=[section.pk]) + query,
            "back_url": day_url(school, day),
            "draft_key": draft_key(request, day, meeting),
            **window,
        },
        status=form.status,
    )


@page
def section_history(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access.section_visible(request.user, section_id)
    school = section.school
    today = org.school_today(school)
    day = parse_day(request.GET.get("day"), today)
    policy = org.policy_for_school(school)
    meeting = parse_meeting(request.GET.get("meeting"), policy.meetings_per_day)
    sheets = list(selectors.rollcall_versions(section=section, day=day, meeting=meeting))
    current = next((sheet for sheet in sheets if sheet.is_current), None)
    if current is not None:
        # As the API does: reading a child's attendance record is itself recorded.
        audit_record(
            user=request.user, action="rollcall.view", obj=current, school_id=section.school_id
        )
    roll = student_people(people.section_roll(section, day))
    can_mark = (
        actor_of(request).may(
            Action.MARK, school, section=section, day=day, marking_scope=policy.marking_scope
        )
        is not None
    )
    return render(
        request,
        "attendance/history.html",
        {
            "school": school,
            "title": section_title(section, meeting, policy.meetings_per_day),
            "day": day,
            "versions": history(sheets, roll),
            "mark_url": reverse("section_mark", args=[section.pk]) + _query(day, meeting)
            if can_mark and day <= today
            else "",
            "back_url": day_url(school, day),
        },
    )
