"""The journal's set-up pages: a school's subjects, grading scheme, terms and bell
schedule; a section's week timetable with the day's changes and its teachers. Each
form posts an `action`; a refusal shows on the page with the field it names."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext

from hazri.accounts.access import Role, actor_of
from hazri.common.errors import Invalid, ServiceError
from hazri.common.pages import error_text, page, plain_int
from hazri.journal import rules
from hazri.journal.models import Change
from hazri.journal.selectors import setup as selectors
from hazri.journal.services import setup as services
from hazri.journal.services import setup_timetable as timetables
from hazri.org import selectors as org


def _day(value: str | None, field: str, *, required: bool = True) -> dt.date | None:
    text = (value or "").strip()
    if not text and not required:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid(gettext("That is not a valid date."), field=field, code="bad_day") from None


def _required_day(value: str | None, field: str) -> dt.date:
    day = _day(value, field)
    assert day is not None
    return day


def _time(value: str, field: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value.strip()[:5])
    except ValueError:
        raise Invalid(gettext("Write a time as 08:40."), field=field, code="bad_time") from None


def _number(value: str | None, field: str) -> int:
    number = plain_int(value)
    if number is None:
        raise Invalid(gettext("Choose one."), field=field, code="required")
    return number


def _respond(
    request: HttpRequest,
    act: Callable[[], str],
    back: str,
    template: str,
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            messages.success(request, act())
            return redirect(back)
        except ServiceError as refused:
            error = refused
    return render(
        request,
        template,
        {
            **context(),
            "error": error,
            "error_text": error_text(error) if error else "",
            "posted": request.POST if error else {},
        },
        status=error.status if error else 200,
    )


# --- A school's set-up -----------------------------------------------------------------


@page
def school_setup(request: HttpRequest, school_id: int) -> HttpResponse:
    school = selectors.school_for_setup(request.user, school_id)
    actor = actor_of(request)

    def context() -> dict[str, Any]:
        setup = selectors.school_setup(school)
        kinds = list(setup.grading.kinds.values()) if setup.grading else []
        return {
            "school": school,
            "setup": setup,
            "kinds": kinds,
            "blank_kinds": range(len(kinds), len(kinds) + 2),
            "period_rows": _period_rows(setup.periods),
            "scales": list(rules.SCALES),
            "can_edit": selectors.may_set_up(request.user, school),
            "is_head": Role.HEAD in actor.roles_at(school.pk),
        }

    def act() -> str:
        selectors.school_for_setup(request.user, school_id, write=True)
        return _school_act(request, school)

    return _respond(request, act, request.path, "journal/setup.html", context)


def _period_rows(periods: list[Any]) -> list[dict[str, Any]]:
    by_number = {p.number: p for p in periods}
    count = min(services.MAX_PERIODS, max(by_number, default=0) + 2)
    return [{"number": n, "period": by_number.get(n)} for n in range(1, max(count, 6) + 1)]


def _school_act(request: HttpRequest, school: Any) -> str:
    post, by = request.POST, request.user
    action = post.get("action", "")
    if action == "subject_add":
        subject = services.subject_create(
            school=school,
            code=post.get("code", "")[:40],
            name=post.get("name", "")[:200],
            name_local=post.get("name_local", "")[:200],
            by=by,
        )
        return gettext("Subject %(name)s added.") % {"name": subject.name}
    if action == "subject_rename":
        subject = selectors.subject_for_setup(by, _number(post.get("subject"), "subject"))
        services.subject_rename(
            subject=subject,
            name=post.get("name", "")[:200],
            name_local=post.get("name_local", "")[:200],
            by=by,
        )
        return gettext("Subject renamed.")
    if action == "scheme":
        services.scheme_set(school=school, scale=post.get("scale", ""), kinds=_kinds(post), by=by)
        return gettext("Grading scheme saved.")
    if action == "term_add":
        services.term_create(
            school=school,
            name=post.get("name", "")[:100],
            starts_on=_required_day(post.get("starts_on"), "starts_on"),
            ends_on=_required_day(post.get("ends_on"), "ends_on"),
            by=by,
        )
        return gettext("Term added.")
    if action == "term_close":
        term = selectors.term_for_setup(by, _number(post.get("term"), "term"))
        services.term_close(term=term, by=by)
        return gettext("Term closed.")
    if action == "periods":
        periods = []
        for n in range(1, services.MAX_PERIODS + 1):
            start, end = post.get(f"start_{n}", "").strip(), post.get(f"end_{n}", "").strip()
            if start or end:
                periods.append(
                    services.PeriodIn(n, _time(start, f"start_{n}"), _time(end, f"end_{n}"))
                )
        services.periods_set(school=school, periods=periods, by=by)
        return gettext("Bell schedule saved.")
    raise Invalid(gettext("Unknown action."), field="action")


def _kinds(post: Any) -> list[services.KindIn]:
    kinds = []
    for n in range(20):
        code, name = post.get(f"kind_code_{n}", "").strip(), post.get(f"kind_name_{n}", "").strip()
        if not code and not name:
            continue
        try:
            weight = Decimal(post.get(f"kind_weight_{n}", "1").strip() or "1")
        except InvalidOperation:
            weight = Decimal(0)
        if not weight.is_finite():
            weight = Decimal(0)
        kinds.append(services.KindIn(code=code[:40], name=name[:100], weight=weight))
    return kinds


# --- A section's week ------------------------------------------------------------------


@page
def section_timetable(request: HttpRequest, section_id: int) -> HttpResponse:
    section = selectors.section_for_setup(request.user, section_id)
    school = section.school
    asked = request.GET.get("week")
    day = _day(asked, "week", required=False) if asked else None
    shown = day or org.school_today(school)

    def context() -> dict[str, Any]:
        week = selectors.section_week(section, shown)
        current = {(s.weekday, s.period): s for s in week.slots}
        weekdays = sorted({d.isoweekday() for d in week.days} | {s.weekday for s in week.slots})
        return {
            "school": school,
            "section": section,
            "week": week,
            "previous": week.monday - dt.timedelta(days=7),
            "next": week.monday + dt.timedelta(days=7),
            "edit_days": [
                {
                    "weekday": wd,
                    "name": WEEKDAYS[wd - 1],
                    "rows": [
                        {"period": row.period, "slot": current.get((wd, row.period.number))}
                        for row in week.rows
                        if row.period.pk
                    ],
                }
                for wd in weekdays
            ],
            "kinds": Change.Kind.choices,
            "can_edit": selectors.may_set_up(request.user, school),
        }

    def act() -> str:
        selectors.section_for_setup(request.user, section_id, write=True)
        return _week_act(request, section)

    back = f"{request.path}?week={shown.isoformat()}"
    return _respond(request, act, back, "journal/setup_timetable.html", context)


def _week_act(request: HttpRequest, section: Any) -> str:
    post, by = request.POST, request.user
    action = post.get("action", "")
    if action == "week":
        slots = []
        for key, value in post.items():
            parts = key.split("_")
            if len(parts) != 3 or parts[0] != "subject" or not value:
                continue
            weekday, period = plain_int(parts[1]), plain_int(parts[2])
            teacher = post.get(f"teacher_{parts[1]}_{parts[2]}", "")
            if weekday is None or period is None:
                continue
            slots.append(
                timetables.SlotIn(
                    weekday=weekday,
                    period=period,
                    subject=_number(post.get(key), key),
                    teacher=plain_int(teacher) if teacher else None,
                )
            )
        timetables.week_set(
            section=section,
            starts_on=_required_day(post.get("starts_on"), "starts_on"),
            slots=slots,
            by=by,
        )
        return gettext("Timetable saved.")
    if action == "change_add":
        subject, teacher = post.get("subject", ""), post.get("teacher", "")
        to_period = post.get("to_period", "")
        timetables.change_add(
            section=section,
            day=_required_day(post.get("day"), "day"),
            period=_number(post.get("period"), "period"),
            kind=post.get("kind", ""),
            subject=plain_int(subject) if subject else None,
            teacher=plain_int(teacher) if teacher else None,
            to_day=_day(post.get("to_day"), "to_day", required=False),
            to_period=plain_int(to_period) if to_period else None,
            note=post.get("note", "")[:1000],
            by=by,
        )
        return gettext("Change added.")
    if action == "change_withdraw":
        change = selectors.change_for_setup(by, _number(post.get("change"), "change"))
        timetables.change_withdraw(change=change, by=by)
        return gettext("Change withdrawn.")
    if action == "assign":
        subject = post.get("subject", "")
        timetables.teacher_assign(
            section=section,
            staff=_number(post.get("staff"), "staff"),
            subject=plain_int(subject) if subject else None,
            starts_on=_required_day(post.get("starts_on"), "starts_on"),
            by=by,
        )
        return gettext("Teacher assigned.")
    if action == "unassign":
        assignment = selectors.assignment_for_setup(
            by, _number(post.get("assignment"), "assignment")
        )
        timetables.teacher_unassign(
            assignment=assignment, ends_on=_required_day(post.get("ends_on"), "ends_on"), by=by
        )
        return gettext("Assignment ended.")
    raise Invalid(gettext("Unknown action."), field="action")
