"""The diary API's request and response shapes, and the presenters that fill them."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from hazri.common.api import Day, Id, Moment, Text
from hazri.journal.models import AbsenceNotice, Acknowledgement, Meeting
from hazri.journal.selectors.diary import ChildWeek, DiaryLesson, HomeworkItem


class AcknowledgeIn(Schema):
    week: Day = Field(description="Any day of the week to sign (its Monday is kept)")


class NoticeIn(Schema):
    starts_on: Day
    ends_on: Day
    reason: Text = Field(min_length=1, max_length=500)


class MeetingIn(Schema):
    section: Id | None = Field(None, description="None: a meeting of the whole school")
    starts_at: Moment
    title: Text = Field(min_length=1, max_length=200)
    place: Text = Field("", max_length=200)


class AckOut(Schema):
    id: int
    student: int
    week: dt.date
    signed_by: str
    signed_at: dt.datetime


class NoticeOut(Schema):
    id: int
    student: int
    school: int
    starts_on: dt.date
    ends_on: dt.date
    reason: str
    told_at: dt.datetime
    withdrawn_at: dt.datetime | None


class MeetingOut(Schema):
    id: int
    school: int
    section: int | None
    starts_at: dt.datetime
    title: str
    place: str


class HomeworkFileOut(Schema):
    id: int
    name: str
    size: int
    url: str = Field(description="The file, for the child's family and the school")


class DiaryHomeworkOut(Schema):
    id: int
    subject: int
    text: str
    set_on: dt.date
    due_on: dt.date
    files: list[HomeworkFileOut] = Field(default_factory=list)


class DiaryLessonOut(Schema):
    period: int
    starts_at: dt.time | None
    ends_at: dt.time | None
    subject: int
    subject_name: str
    teacher: str
    change: str
    cancelled: bool
    note: str
    topic: str
    homework_set: list[DiaryHomeworkOut]
    homework_due: list[DiaryHomeworkOut]


class AbsenceOut(Schema):
    day: dt.date
    meeting: int
    code: str
    excused: bool
    reason: str


class DiaryDayOut(Schema):
    day: dt.date
    lessons: list[DiaryLessonOut]
    homework_due: list[DiaryHomeworkOut] = Field(
        description="Due on a day with no lesson of its subject"
    )
    absences: list[AbsenceOut]


class DiaryGradeOut(Schema):
    day: dt.date
    subject: str
    kind: str
    value: str
    comment: str


class DiaryRemarkOut(Schema):
    day: dt.date
    subject: str
    kind: str
    text: str


class ProgressOut(Schema):
    term: str
    weeks: list[dt.date]
    series: dict[str, list[float | None]] = Field(
        description="Per subject, the term's weighted average (0-100) at each week's end"
    )


class ChildWeekOut(Schema):
    student: int
    name: str
    week: dt.date
    school: int | None
    section: int | None
    days: list[DiaryDayOut]
    grades: list[DiaryGradeOut]
    remarks: list[DiaryRemarkOut]
    absences: list[AbsenceOut]
    notices: list[NoticeOut]
    meetings: list[MeetingOut]
    acknowledgements: list[AckOut]
    progress: ProgressOut | None


class DiaryOut(Schema):
    week: dt.date
    children: list[ChildWeekOut]


class AckRowOut(Schema):
    student: int
    name: str
    guardians: list[str]
    acknowledged: bool
    acknowledgements: list[AckOut]


class AcknowledgementsOut(Schema):
    section: int
    week: dt.date
    signed: int
    students: list[AckRowOut]


def ack_out(ack: Acknowledgement) -> dict[str, Any]:
    user = ack.signed_by
    return {
        "id": ack.pk,
        "student": ack.student_id,
        "week": ack.week,
        "signed_by": user.get_full_name() or user.get_username(),
        "signed_at": ack.signed_at,
    }


def notice_out(notice: AbsenceNotice) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "student": notice.student_id,
        "school": notice.school_id,
        "starts_on": notice.starts_on,
        "ends_on": notice.ends_on,
        "reason": notice.reason,
        "told_at": notice.told_at,
        "withdrawn_at": notice.withdrawn_at,
    }


def meeting_out(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "school": meeting.school_id,
        "section": meeting.section_id,
        "starts_at": meeting.starts_at,
        "title": meeting.title,
        "place": meeting.place,
    }


def _homework(item: HomeworkItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "subject": item.subject_id,
        "text": item.text,
        "set_on": item.set_on,
        "due_on": item.due_on,
        "files": [vars(f) for f in item.files],
    }


def _lesson(lesson: DiaryLesson) -> dict[str, Any]:
    p = lesson.planned
    return {
        "period": p.period,
        "starts_at": p.starts_at,
        "ends_at": p.ends_at,
        "subject": p.subject_id,
        "subject_name": lesson.subject,
        "teacher": lesson.teacher,
        "change": p.change,
        "cancelled": p.cancelled,
        "note": p.note,
        "topic": lesson.topic,
        "homework_set": [_homework(h) for h in lesson.homework_set],
        "homework_due": [_homework(h) for h in lesson.homework_due],
    }


def child_week_out(child: ChildWeek) -> dict[str, Any]:
    section = child.section
    return {
        "student": child.student.pk,
        "name": child.student.name,
        "week": child.week,
        "school": section.school_id if section else None,
        "section": section.pk if section else None,
        "days": [
            {
                "day": day.day,
                "lessons": [_lesson(lesson) for lesson in day.lessons],
                "homework_due": [_homework(h) for h in day.homework_due],
                "absences": [vars(a) for a in day.absences],
            }
            for day in child.days
        ],
        "grades": [vars(g) for g in child.grades],
        "remarks": [vars(r) for r in child.remarks],
        "absences": [vars(a) for a in child.absences],
        "notices": [notice_out(n) for n in child.notices],
        "meetings": [meeting_out(m) for m in child.meetings],
        "acknowledgements": [ack_out(a) for a in child.acknowledgements],
        "progress": vars(child.progress) if child.progress else None,
    }
