"""The diary's endpoints: a family's week (every child, any school), one child's week,
the week's signature, absences told in advance, the class teacher's list of who
signed, and the school's meetings."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from hazri.accounts import selectors as access
from hazri.common.api import Day, ErrorOut, PathId, request_user
from hazri.journal import schemas_diary as out
from hazri.journal.schemas_diary import (
    AcknowledgeIn,
    AcknowledgementsOut,
    AckOut,
    ChildWeekOut,
    DiaryOut,
    MeetingIn,
    MeetingOut,
    NoticeIn,
    NoticeOut,
)
from hazri.journal.selectors import family
from hazri.journal.selectors.diary import diary_weeks, meetings_in, monday_of
from hazri.journal.selectors.timetable import week_of
from hazri.journal.services import family as services
from hazri.journal.services.meetings import meeting_add
from hazri.org import selectors as org

router = Router(tags=["diary"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


@router.get(
    "/diary",
    response={200: DiaryOut, **ERRORS},
    summary="The week's diary of each of the user's children (a student: their own)",
)
def get_diary(request: HttpRequest, week: Day | None = None) -> dict[str, Any]:
    day = week or family.diary_today()
    children = diary_weeks(family.family_students(request.user), day)
    return {"week": monday_of(day), "children": [out.child_week_out(c) for c in children]}


@router.get(
    "/students/{student_id}/diary",
    response={200: ChildWeekOut, **ERRORS},
    summary="One child's diary week",
)
def get_student_diary(
    request: HttpRequest, student_id: PathId, week: Day | None = None
) -> dict[str, Any]:
    student = family.student_for_diary(request.user, student_id)
    return out.child_week_out(diary_weeks([student], week or family.diary_today())[0])


@router.post(
    "/students/{student_id}/diary/acknowledgement",
    response={200: AckOut, 201: AckOut, **ERRORS},
    summary="A guardian signs the child's week (again: the signature already given, 200)",
)
def post_acknowledgement(
    request: HttpRequest, student_id: PathId, payload: AcknowledgeIn
) -> Status[dict[str, Any]]:
    student = family.student_for_diary(request.user, student_id)
    school = family.school_of(student, payload.week)
    ack, created = services.week_acknowledge(
        school=school,
        student=student,
        week=payload.week,
        today=org.school_today(school),
        by=request_user(request),
    )
    return Status(201 if created else 200, out.ack_out(ack))


@router.get(
    "/sections/{section_id}/acknowledgements",
    response={200: AcknowledgementsOut, **ERRORS},
    summary="The class teacher's list: who has signed the week's diary and who has not",
)
def get_acknowledgements(
    request: HttpRequest, section_id: PathId, week: Day | None = None
) -> dict[str, Any]:
    section = access.section_visible(request.user, section_id)
    day = week or org.school_today(section.school)
    family.require_class_teacher(request.user, section, day)
    rows = family.acknowledgements_of(section, day, family.roll_day(section, day))
    return {
        "section": section.pk,
        "week": monday_of(day),
        "signed": sum(1 for row in rows if row.signed),
        "students": [
            {
                "student": row.student.id,
                "name": row.student.name,
                "guardians": row.guardians,
                "acknowledged": bool(row.signed),
                "acknowledgements": [out.ack_out(a) for a in row.signed],
            }
            for row in rows
        ],
    }


@router.get(
    "/students/{student_id}/absence-notices",
    response={200: list[NoticeOut], **ERRORS},
    summary="Absences told in advance for a child",
)
def get_notices(request: HttpRequest, student_id: PathId) -> list[dict[str, Any]]:
    student = family.student_for_diary(request.user, student_id)
    return [out.notice_out(n) for n in family.notices_of(student)]


@router.post(
    "/students/{student_id}/absence-notices",
    response={201: NoticeOut, **ERRORS},
    summary="A guardian tells the school in advance that the child will be absent, and why",
)
def post_notice(
    request: HttpRequest, student_id: PathId, payload: NoticeIn
) -> Status[dict[str, Any]]:
    student = family.student_for_diary(request.user, student_id)
    school = family.school_of(student, payload.starts_on)
    notice = services.notice_tell(
        school=school,
        student=student,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        reason=payload.reason,
        today=org.school_today(school),
        by=request_user(request),
    )
    return Status(201, out.notice_out(notice))


@router.post(
    "/absence-notices/{notice_id}/withdraw",
    response={200: NoticeOut, **ERRORS},
    summary="A guardian takes back an absence notice, until its first day",
)
def post_notice_withdraw(request: HttpRequest, notice_id: PathId) -> dict[str, Any]:
    notice = family.notice_visible(request.user, notice_id)
    withdrawn = services.notice_withdraw(
        notice=notice, today=org.school_today(notice.school), by=request_user(request)
    )
    return out.notice_out(withdrawn)


@router.get(
    "/schools/{school_id}/meetings",
    response={200: list[MeetingOut], **ERRORS},
    summary="The school's class and school meetings in a week",
)
def get_meetings(
    request: HttpRequest, school_id: PathId, week: Day | None = None
) -> list[dict[str, Any]]:
    school = access.school_visible(request.user, school_id)
    days = week_of(week or org.school_today(school))
    return [out.meeting_out(m) for m in meetings_in([school.pk], None, days[0], days[-1])]


@router.post(
    "/schools/{school_id}/meetings",
    response={201: MeetingOut, **ERRORS},
    summary="The head adds a class meeting (a section) or a school meeting (no section)",
)
def post_meeting(
    request: HttpRequest, school_id: PathId, payload: MeetingIn
) -> Status[dict[str, Any]]:
    school = access.school_visible(request.user, school_id)
    section = None
    if payload.section is not None:
        section = access.section_visible(request.user, payload.section)
    meeting = meeting_add(
        school=school,
        section=section,
        starts_at=payload.starts_at,
        title=payload.title,
        place=payload.place,
        by=request_user(request),
    )
    return Status(201, out.meeting_out(meeting))
