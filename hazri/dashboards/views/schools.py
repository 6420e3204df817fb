"""The drill-down below an area: a school, a section, a student. Heads and teachers see
their own school's pages too (and the head records the day's mid-day meals here)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of, restrict
from hazri.accounts.names import person_name
from hazri.attendance import rules
from hazri.attendance.models import RollCall
from hazri.attendance.views.base import parse_day
from hazri.common.errors import Invalid, NotFound, ServiceError
from hazri.common.pages import page, plain_int
from hazri.common.templatetags.hazri_tags import local_name
from hazri.dashboards import due, rollups, selectors, services
from hazri.dashboards.models import FollowUp, SchoolDay
from hazri.dashboards.students import low_attendance_students
from hazri.dashboards.views.common import (
    Period,
    check_id,
    crumbs,
    download,
    export_links,
    low_student_columns,
    nav,
    parse_format,
    parse_period,
    parse_table,
    period_choices,
    refusal_text,
    register_url,
    trend_chart,
    trend_download,
)
from hazri.org import selectors as org
from hazri.org.models import School, Section
from hazri.people.models import Enrolment, Posting, Student
from hazri.registers.statements import student_statement


def _where(
    request: HttpRequest,
    school: School,
    query: str = "",
    section: Section | None = None,
    student: Student | None = None,
) -> dict[str, Any]:
    """Breadcrumbs from the officer's own unit down to the page (the units only for an
    officer: a school's own staff start at the school), and the nav between the area
    pages for officers."""
    units = crumbs(request.user, school.unit)
    suffix = f"?{query}" if query else ""
    tail: list[tuple[str, str]] = [
        (local_name(school), reverse("dashboard_school", args=[school.pk]) + suffix)
    ]
    if section is not None:
        tail.append(
            (
                gettext("Class %(label)s") % {"label": section.label},
                reverse("dashboard_section", args=[section.pk]) + suffix,
            )
        )
    if student is not None:
        tail.append((local_name(student), ""))
    tail[-1] = (tail[-1][0], "")  # the page itself
    return {"crumbs": units, "tail": tail, "nav": nav("", school.unit_id) if units else []}


# --- A school --------------------------------------------------------------------------


def _meals_served(value: str | None) -> int:
    text = (value or "").strip()
    number = plain_int(text, max_digits=6)
    if number is None:
        raise Invalid(
            f"'{text[:20]}' is not a number of meals.", field="meals_served", code="bad_number"
        )
    return number


@page
@require_http_methods(["GET", "POST"])
def school(request: HttpRequest, school_id: int) -> HttpResponse:
    found = access.school_visible(request.user, check_id(school_id, "school"))
    today = org.school_today(found)
    period = parse_period(request.GET, today)
    fmt = parse_format(request.GET)
    role = access.posting_role(request.user, found, today)
    error: ServiceError | None = None
    meal_form = {"day": today.isoformat(), "meals_served": ""}
    if request.method == "POST":
        meal_form = {
            "day": request.POST.get("day", "")[:10],
            "meals_served": request.POST.get("meals_served", "")[:10],
        }
        try:
            day = parse_day(request.POST.get("day"), today)
            served = _meals_served(request.POST.get("meals_served"))
            services.meal_record(school=found, day=day, meals_served=served, by=request.user)  # type: ignore[arg-type]
        except ServiceError as refused:
            error = refused
        else:
            messages.success(
                request,
                gettext("Mid-day meals saved: %(number)s served on %(day)s.")
                % {"number": served, "day": date_format(day, "j F Y")},
            )
            # Back where the head saved from (his school's day page), if it is ours.
            back = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                back = request.get_full_path()
            return redirect(back)
    name = f"school-{found.code}-{period.start}-{period.end}"
    table = parse_table(request.GET, ["classes", "low", "trend"]) if fmt else ""
    # A GET builds nothing: the school's days move with its roll calls, the days it
    # has not marked are filled by the scheduled job (rollups.refresh).
    counted = rollups.freshness(start=period.start, end=max(period.end, today), today=today)
    if fmt and table == "trend":
        return trend_download(fmt, name, _school_trend(found, period))
    if fmt and table == "low":
        return download(
            fmt,
            f"school-{found.code}-low-{today}",
            low_student_columns(with_school=False),
            low_attendance_students(schools=[found], end=today),
        )
    sections = selectors.school_sections(school=found, start=period.start, end=period.end)
    if fmt:
        return download(
            fmt,
            name,
            [
                (_("Class"), lambda s: s.label),
                (_("Meetings marked"), lambda s: s.meetings_marked),
                (_("Attendance %"), lambda s: s.attendance_pct),
                (_("Attended"), lambda s: s.attended),
                (_("Absent"), lambda s: s.absent),
                (_("Leave"), lambda s: s.leave),
            ],
            sections,
        )
    context = {
        **_where(request, found, period.query),
        "school": found,
        "today": today,
        "counted": counted,
        "period": period,
        "periods": period_choices("", period),
        "sections": [{"figures": s, "register": register_url(s.section_id)} for s in sections],
        "chart": _school_trend(found, period),
        "chart_exports": export_links(f"{period.query}&table=trend"),
        "low_exports": export_links(f"{period.query}&table=low"),
        "today_row": SchoolDay.objects.filter(school=found, day=today).first(),
        "low_students": low_attendance_students(schools=[found], end=today),
        "is_head": role == Posting.Role.HEAD,
        "meal_form": meal_form,
        "error": error,
        "error_message": refusal_text(error) if error else "",
        "exports": export_links(period.query),
    }
    return render(request, "dashboards/school.html", context, status=error.status if error else 200)


def _school_trend(school: School, period: Period) -> dict[str, Any]:
    clock = due.clock_for_school(school)
    return trend_chart(
        selectors.school_trend(school=school, start=period.start, end=period.end, clock=clock),
        today=clock.day,
    )


# --- A section ----------------------------------------------------------------------


@dataclass(frozen=True)
class StudentLine:
    student: Student
    roll_no: int | None
    tally: rules.Counts
    days_absent: int


def section_students(section: Section, start: dt.date, end: dt.date) -> list[StudentLine]:
    """Every student on the section's roll in the range with their meetings in this
    section: the same count as their statement, from one read of its roll calls."""
    enrolments = list(
        Enrolment.objects.filter(school_id=section.school_id, section=section, starts_on__lte=end)
        .exclude(ends_on__lt=start)
        .select_related("student")
        .order_by("roll_no", "student__name", "pk")
    )
    # Each student's codes over the range, counted once at the end.
    codes: dict[int, list[str]] = defaultdict(list)
    absent: dict[int, set[dt.date]] = defaultdict(set)
    for rollcall in (
        RollCall.objects.filter(
            school_id=section.school_id,
            section=section,
            is_current=True,
            day__gte=start,
            day__lte=end,
        )
        .select_related("roster")
        .only("day", "marks", "roster__member_ids")
    ):
        for member, code in rules.unpack_marks(rollcall.roster.members, rollcall.marks):
            codes[member].append(code)
            if code == rules.ABSENT:
                absent[member].add(rollcall.day)
    seen: set[int] = set()
    lines = []
    for enrolment in enrolments:
        if enrolment.student_id in seen:
            continue
        seen.add(enrolment.student_id)
        lines.append(
            StudentLine(
                student=enrolment.student,
                roll_no=enrolment.roll_no,
                tally=rules.count_marks("".join(codes.get(enrolment.student_id, ()))),
                days_absent=len(absent.get(enrolment.student_id, ())),
            )
        )
    return lines


@page
@require_GET
def section(request: HttpRequest, section_id: int) -> HttpResponse:
    found = access.section_visible(request.user, check_id(section_id, "section"))
    today = org.school_today(found.school)
    period = parse_period(request.GET, today, default="month")
    fmt = parse_format(request.GET)
    lines = section_students(found, period.start, period.end)
    if fmt:
        return download(
            fmt,
            f"section-{found.school.code}-{found.grade}{found.name}-{period.start}-{period.end}",
            [
                (_("Roll no."), lambda line: line.roll_no),
                (_("Student"), lambda line: line.student),
                (_("Meetings held"), lambda line: line.tally.held),
                (_("Attended"), lambda line: line.tally.attended),
                (_("Absent"), lambda line: line.tally.absent),
                (_("Leave"), lambda line: line.tally.leave),
                (_("Attendance %"), lambda line: line.tally.percent),
                (_("Days absent"), lambda line: line.days_absent),
            ],
            lines,
        )
    context = {
        **_where(request, found.school, period.query, section=found),
        "school": found.school,
        "section": found,
        "period": period,
        "periods": period_choices("", period),
        "lines": lines,
        "register": register_url(found.pk),
        "exports": export_links(period.query),
    }
    return render(request, "dashboards/section.html", context)


# --- A student ----------------------------------------------------------------------


def _session(school: School, today: dt.date) -> tuple[dt.date, dt.date]:
    """The session so far: from its first day to today (or its last day, if over)."""
    year = org.academic_year_for(school, today)
    if year is None:
        return today - dt.timedelta(days=365), today
    return year.starts_on, min(today, year.ends_on)


@page
@require_http_methods(["GET", "POST"])
def student(request: HttpRequest, student_id: int) -> HttpResponse:
    person = access.student_visible(request.user, check_id(student_id, "student"))
    # The page is for the school's staff and officers: a parent has their own.
    enrolment = (
        Enrolment.objects.filter(student=person, school__in=access.schools_visible_to(request.user))
        .select_related("school", "section")
        .order_by("-starts_on", "-pk")
        .first()
    )
    if enrolment is None:
        raise NotFound(f"No student {student_id} in your area.", field="student")
    found = enrolment.school
    today = org.school_today(found)
    fmt = parse_format(request.GET) if request.method == "GET" else None
    table = parse_table(request.GET, ["months", "follow-ups"]) if fmt else ""
    error: ServiceError | None = None
    form = {"reason": "", "action": "", "note": ""}
    if request.method == "POST":
        form = {key: request.POST.get(key, "")[:1000] for key in form}
        try:
            services.followup_add(
                student=person,
                school=found,
                reason=form["reason"],
                action=form["action"],
                note=form["note"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ServiceError as refused:
            error = refused
        else:
            messages.success(request, gettext("The follow-up is saved."))
            return redirect(f"{request.path}#follow-ups")
    start, end = _session(found, today)
    own = (
        None if access.is_family(request.user, person) else access.schools_visible_to(request.user)
    )
    statement = student_statement(student=person, start=start, end=end, schools=own)
    # Counts are of meetings (two a day in most schools), the days absent of days.
    months = [(m, tally, statement.days_absent(m)) for m, tally in statement.months.items()]
    follow_ups = (
        restrict(FollowUp.objects.filter(student=person), actor_of(request), Action.VIEW)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")
    )
    if fmt and table == "follow-ups":
        return download(
            fmt,
            f"student-{person.pk}-follow-ups",
            [
                (_("Recorded at"), lambda f: f.recorded_at),
                (_("Reason for absence"), lambda f: f.get_reason_display()),
                (_("Action taken"), lambda f: f.get_action_display()),
                (_("Note"), lambda f: f.note),
                (_("Recorded by"), lambda f: person_name(f.recorded_by)),
            ],
            list(follow_ups),
        )
    if fmt:
        return download(
            fmt,
            f"student-{person.pk}-{start}-{end}",
            [
                (_("Month"), lambda m: m[0].strftime("%Y-%m")),
                (_("Meetings held"), lambda m: m[1].held),
                (_("Present"), lambda m: m[1].present),
                (_("Duty"), lambda m: m[1].duty),
                (_("Meetings absent"), lambda m: m[1].absent),
                (_("Days absent"), lambda m: m[2]),
                (_("Leave"), lambda m: m[1].leave),
                (_("Attendance %"), lambda m: m[1].percent),
            ],
            months,
        )
    context = {
        **_where(request, found, section=enrolment.section, student=person),
        "school": found,
        "section": enrolment.section,
        "student": person,
        "statement": statement,
        "months": months,
        "follow_ups": follow_ups,
        "reasons": FollowUp.Reason.choices,
        "actions": FollowUp.Action.choices,
        "form": form,
        "error": error,
        "error_message": refusal_text(error) if error else "",
        "month_exports": export_links("table=months"),
        "follow_up_exports": export_links("table=follow-ups"),
    }
    return render(
        request, "dashboards/student.html", context, status=error.status if error else 200
    )
