"""A school's day: which sections are marked, and the staff attendance."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext

from hazri.accounts import selectors as access
from hazri.attendance import selectors
from hazri.attendance.models import RollCall
from hazri.attendance.views.base import parse_day
from hazri.common import localize
from hazri.common.pages import page
from hazri.org import selectors as org
from hazri.people.models import Posting


def day_status_text(kind: str, name: str, day: dt.date) -> str:
    if kind == "weekly_off":
        return gettext("%(weekday)s: weekly off") % {"weekday": date_format(day, "l")}
    if kind == "holiday":
        return gettext("Holiday: %(name)s") % {"name": name} if name else gettext("Holiday")
    if kind == "national":
        return gettext("%(name)s: the school meets and attendance is taken") % {"name": name}
    if name:
        return gettext("School day: %(name)s") % {"name": name}
    return gettext("School day")


def meeting_label(meeting: int, meetings: int) -> str:
    return str(RollCall.Meeting(meeting).label) if meetings > 1 else ""


@page
def school_day(request: HttpRequest, school_id: int) -> HttpResponse:
    school = access.school_visible(request.user, school_id)
    today = org.school_today(school)
    day = parse_day(request.GET.get("day"), today)
    overview = selectors.school_day(school=school, day=day)
    role = access.posting_role(request.user, school, today)
    can_mark = role is not None and overview.is_school_day and day <= today
    count = len(overview.meetings)
    sections = [
        {
            "section": item.section,
            "on_roll": item.on_roll,
            "meetings": [
                {"meeting": m, "label": meeting_label(m, count), "rollcall": item.current.get(m)}
                for m in overview.meetings
            ],
        }
        for item in overview.sections
    ]
    return render(
        request,
        "attendance/school_day.html",
        {
            "school": school,
            "day": day,
            "today": today,
            "is_today": day == today,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "overview": overview,
            "status_text": day_status_text(
                overview.status_kind,
                localize.local_name(overview.status_name, overview.status_name_local),
                day,
            ),
            "sections": sections,
            "meetings_done": [
                {"meeting": m, "label": meeting_label(m, count), "done": done, "total": total}
                for m, done, total in overview.meetings_done
            ],
            "can_mark": can_mark,
            # The head records the mid-day meals (dashboards keeps them) from his page.
            "can_record_meals": can_mark and role == Posting.Role.HEAD,
            "staff_current": overview.staff_current,
        },
    )
