"""A family's home page: each child's attendance this month and the days missed (a
student sees their own). Until the school diary arrives, this is what a parent has."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from hazri.accounts import selectors as access
from hazri.common.pages import page
from hazri.org import selectors as org
from hazri.registers.exports.layout import localized
from hazri.registers.statements import student_statement


@page
@require_http_methods(["GET"])
def family_page(request: HttpRequest) -> HttpResponse:
    """Only the user's own family: nothing here takes an id, so nothing can be probed."""
    return render(
        request,
        "registers/family.html",
        {"children": [_child(member) for member in access.family_of(request.user)]},
    )


def _child(member: access.FamilyMember) -> dict[str, Any]:
    student, enrolment = member.student, member.enrolment
    found: dict[str, Any] = {
        "student": student,
        "name": localized(student.name, student.name_local),
        "self": member.relation == "self",
        "school": "",
        "section": "",
        "month": None,
    }
    if enrolment is None:
        return found
    school = enrolment.school
    today = org.school_today(school)
    start = today.replace(day=1)
    # The whole history is the family's: every school's roll calls count.
    statement = student_statement(student=student, start=start, end=today)
    tally = statement.months.get(start)
    found.update(
        school=localized(school.name, school.name_local),
        section=enrolment.section.label,
        month=start,
        today=today,
        held=tally.held if tally else 0,
        attended=tally.attended if tally else 0,
        absent=tally.absent if tally else 0,
        leave=tally.leave if tally else 0,
        percent=tally.percent if tally else None,
        days_absent=statement.days_absent(start),
        absent_days=statement.absent_days,
    )
    return found
