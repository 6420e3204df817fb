"""The teacher's journal in the JSON API: the day's lessons, a lesson's topic and
homework (with files), grades and their versions, term grades, remarks and their
review, a subject's sheet and the class teacher's view. Every write carries a
client_uuid: the same one again answers the stored row (200), never a second one."""

import uuid
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from hazri.accounts.access import today_in
from hazri.common import files
from hazri.common.api import Day, ErrorOut, PathId, request_user
from hazri.common.errors import NotFound
from hazri.journal.schemas_journal import (
    ClassOut,
    FileIn,
    GradeIn,
    GradeOut,
    GradeVersionIn,
    HomeworkIn,
    HomeworkOut,
    JournalDayQuery,
    LessonIn,
    LessonOut,
    LessonPageOut,
    RemarkIn,
    RemarkOut,
    RemarkReviewIn,
    SubjectSheetOut,
    TermGradeIn,
    TermGradeOut,
    TermQuery,
    TodayOut,
    grade_out,
    grading_out,
    homework_out,
    lesson_out,
    remark_out,
    term_grade_out,
)
from hazri.journal.selectors import journal
from hazri.journal.services import grades as grading
from hazri.journal.services import lessons, remarks
from hazri.org import selectors as org
from hazri.people.models import Student

router = Router(tags=["journal"])
Period = Annotated[int, Path(ge=1, le=20)]
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 413, 422), ErrorOut)


def _answer(row: Any, created: bool, out: Any) -> Status[dict[str, Any]]:
    return Status(201 if created else 200, out(row))


def _files(items: list[FileIn]) -> list[lessons.Upload]:
    return [
        files.from_base64(item.name, item.data, f"attachments[{n}]") for n, item in enumerate(items)
    ]


# --- Reads ------------------------------------------------------------------------------------


@router.get(
    "/journal/today",
    response={200: list[TodayOut], **ERRORS},
    summary="A teacher's lessons of a day",
)
def get_today(request: HttpRequest, query: Query[JournalDayQuery]) -> list[dict[str, Any]]:
    user = request_user(request)
    day = query.day or today_in(settings.TIME_ZONE)
    lessons = journal.teacher_day(user, day)
    gradings = journal.gradings_of(lessons)
    return [
        {
            "section": t.section.pk,
            "section_label": t.section.label,
            "school": t.section.school_id,
            "day": day,
            "subject": t.subject.pk,
            "subject_name": t.subject.name,
            "period": t.lesson.period,
            "starts_at": t.lesson.starts_at,
            "ends_at": t.lesson.ends_at,
            "topic": t.topic,
            "homework": t.homework,
            **grading_out(gradings[t.section.school_id]),
        }
        for t in lessons
    ]


@router.get(
    "/journal/sections/{section_id}/lessons/{day}/{period}",
    response={200: LessonPageOut, **ERRORS},
    summary="A lesson: topic, homework, grades and remarks",
)
def get_lesson(
    request: HttpRequest, section_id: PathId, day: Day, period: Period
) -> dict[str, Any]:
    view = journal.lesson_view(request.user, section_id, day, period)
    return {
        "section": view.section.pk,
        "subject": view.subject.pk,
        "day": day,
        "period": period,
        "lesson": lesson_out(view.lesson) if view.lesson else None,
        "homework": homework_out(view.homework, view.attachments) if view.homework else None,
        "students": [m.id for m in view.roll],
        "grades": [grade_out(g) for rows in view.grades.values() for g in rows],
        "remarks": [remark_out(r) for rows in view.remarks.values() for r in rows],
        "may_write": view.may_write,
    }


@router.get(
    "/journal/sections/{section_id}/subjects/{subject_id}/sheet",
    response={200: SubjectSheetOut, **ERRORS},
    summary="A subject's sheet for a term: grades, averages, computed and confirmed term grades",
)
def get_sheet(
    request: HttpRequest, section_id: PathId, subject_id: PathId, query: Query[TermQuery]
) -> dict[str, Any]:
    sheet = journal.subject_sheet(request.user, section_id, subject_id, query.term)
    return {
        "section": sheet.section.pk,
        "subject": sheet.subject.pk,
        "term": sheet.term.pk,
        "scale": sheet.scale.kind.value,
        "rows": [
            {
                "student": r.student.id,
                "name": r.student.name,
                "grades": [grade_out(g) for g in r.grades],
                "average": r.average,
                "computed": r.computed,
                "confirmed": term_grade_out(r.confirmed) if r.confirmed else None,
            }
            for r in sheet.rows
        ],
    }


@router.get(
    "/journal/sections/{section_id}/class",
    response={200: ClassOut, **ERRORS},
    summary="The class teacher's view: every subject's average and term grade, absences, held concerns",
)
def get_class(request: HttpRequest, section_id: PathId, query: Query[TermQuery]) -> dict[str, Any]:
    view = journal.class_view(request.user, section_id, query.term)
    return {
        "section": view.section.pk,
        "term": view.term.pk,
        "rows": [
            {
                "student": r.student.id,
                "name": r.student.name,
                "absent": r.absent,
                "subjects": [
                    {
                        "subject": c.subject.pk,
                        "average": c.average,
                        "computed": c.computed,
                        "confirmed": c.confirmed,
                    }
                    for c in r.cells
                ],
            }
            for r in view.rows
        ],
        "held": [remark_out(r) for r in view.concerns],
    }


@router.get(
    "/journal/grades/{work}",
    response={200: list[GradeOut], **ERRORS},
    summary="A grade's versions, oldest first",
)
def get_grade(request: HttpRequest, work: uuid.UUID) -> list[dict[str, Any]]:
    return [grade_out(g) for g in journal.grade_versions(journal.grade_by_work(request.user, work))]


# --- Writes -----------------------------------------------------------------------------------


@router.post(
    "/journal/lessons",
    response={200: LessonOut, 201: LessonOut, **ERRORS},
    summary="Record a lesson's topic",
)
def post_lesson(request: HttpRequest, payload: LessonIn) -> Status[dict[str, Any]]:
    section = journal.section_of(request.user, payload.section)
    row, created = lessons.lesson_record(
        section=section,
        day=payload.day,
        period=payload.period,
        topic=payload.topic,
        client_uuid=payload.client_uuid,
        by=request_user(request),
    )
    return _answer(row, created, lesson_out)


@router.post(
    "/journal/homework",
    response={200: HomeworkOut, 201: HomeworkOut, **ERRORS},
    summary="Set a lesson's homework (replacing what was set), with files: PDF, JPEG, PNG, WebP, text",
)
def post_homework(request: HttpRequest, payload: HomeworkIn) -> Status[dict[str, Any]]:
    section = journal.section_of(request.user, payload.section)
    row, created = lessons.homework_set(
        section=section,
        day=payload.day,
        period=payload.period,
        text=payload.text,
        due_on=payload.due_on,
        uploads=_files(payload.attachments),
        drop=set(payload.drop_attachments),
        client_uuid=payload.client_uuid,
        by=request_user(request),
    )
    return _answer(row, created, homework_out)


@router.post(
    "/journal/grades", response={200: GradeOut, 201: GradeOut, **ERRORS}, summary="Give a grade"
)
def post_grade(request: HttpRequest, payload: GradeIn) -> Status[dict[str, Any]]:
    section = journal.section_of(request.user, payload.section)
    row, created = grading.grade_give(
        section=section,
        subject=journal.subject_of(section, payload.subject),
        student_id=payload.student,
        kind_id=payload.kind,
        day=payload.day,
        period=payload.period,
        value=payload.value,
        comment=payload.comment,
        client_uuid=payload.client_uuid,
        by=request_user(request),
    )
    return _answer(row, created, grade_out)


@router.post(
    "/journal/grades/{work}/versions",
    response={200: GradeOut, 201: GradeOut, **ERRORS},
    summary="Change or withdraw a grade: a new version, with the reason",
)
def post_grade_version(
    request: HttpRequest, work: uuid.UUID, payload: GradeVersionIn
) -> Status[dict[str, Any]]:
    current = journal.grade_by_work(request.user, work)
    row, created = grading.grade_change(
        current=current,
        value=payload.value,
        kind_id=payload.kind,
        comment=payload.comment,
        reason=payload.reason,
        withdraw=payload.withdraw,
        client_uuid=payload.client_uuid,
        by=request_user(request),
    )
    return _answer(row, created, grade_out)


@router.post(
    "/journal/term-grades",
    response={200: TermGradeOut, 201: TermGradeOut, **ERRORS},
    summary="Confirm a term (or the year's) grade; another value than the computed one needs a reason",
)
def post_term_grade(request: HttpRequest, payload: TermGradeIn) -> Status[dict[str, Any]]:
    section = journal.section_of(request.user, payload.section)
    term = (
        journal.term_of(section, payload.term, org.school_today(section.school))
        if payload.term
        else None
    )
    student = Student.objects.filter(pk=payload.student, enrolments__section=section).first()
    if student is None:
        raise NotFound(f"No student {payload.student} in this section.", field="student")
    row, created = grading.term_grade_confirm(
        section=section,
        subject=journal.subject_of(section, payload.subject),
        student=student,
        term=term,
        value=payload.value,
        reason=payload.reason,
        by=request_user(request),
    )
    return _answer(row, created, term_grade_out)


@router.post(
    "/journal/remarks",
    response={200: RemarkOut, 201: RemarkOut, **ERRORS},
    summary="Write a remark",
)
def post_remark(request: HttpRequest, payload: RemarkIn) -> Status[dict[str, Any]]:
    section = journal.section_of(request.user, payload.section)
    row, created = remarks.remark_write(
        section=section,
        subject=journal.subject_of(section, payload.subject),
        student_id=payload.student,
        day=payload.day,
        kind=payload.kind,
        text=payload.text,
        hold=payload.hold,
        client_uuid=payload.client_uuid,
        by=request_user(request),
    )
    return _answer(row, created, remark_out)


@router.post(
    "/journal/remarks/{remark_id}/review",
    response={200: RemarkOut, **ERRORS},
    summary="Release a held concern to the family, or withdraw it (the class teacher)",
)
def post_review(request: HttpRequest, remark_id: PathId, payload: RemarkReviewIn) -> dict[str, Any]:
    remark = journal.remark_of(request.user, remark_id)
    row, _changed = remarks.remark_review(
        remark=remark, release=payload.release, note=payload.note, by=request_user(request)
    )
    return remark_out(row)
