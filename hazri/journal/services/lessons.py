"""A lesson's topic and homework. A changed topic is a new version (one current per
section, day and period); changed homework is a new row that replaces the old one.
Every write carries the client's UUID: the same UUID again answers the stored row."""

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazri.accounts.access import actor_of
from hazri.audit.services import audit_record
from hazri.common import files
from hazri.common.errors import Conflict, Invalid
from hazri.common.files import Upload
from hazri.journal.models import Attachment, Homework, Lesson
from hazri.journal.selectors import journal
from hazri.journal.selectors import journal_access as who
from hazri.org.models import Section

MAX_ATTACHMENTS = 10


def check_upload(upload: Upload, index: int) -> str:
    """The upload's media type, or Invalid naming the file."""
    return files.check_upload(upload, f"attachments[{index}]")


def _subject(section: Section, day: dt.date, period: int, by: Any) -> int:
    """The lesson's subject from the timetable, once the user may keep its journal."""
    planned = journal.planned(section, day, period)
    subject = journal.subject_of(section, planned.subject_id)
    who.require_grader(actor_of(by), section, subject, day)
    return subject.pk


def lesson_record(
    *, section: Section, day: dt.date, period: int, topic: str, client_uuid: uuid.UUID, by: Any
) -> tuple[Lesson, bool]:
    """The lesson's topic: a new version when it changed (created False: the stored row)."""
    subject_id = _subject(section, day, period, by)
    found = Lesson.objects.filter(school_id=section.school_id, client_uuid=client_uuid).first()
    if found is not None:
        return found, False
    topic = topic.strip()
    if not topic:
        raise Invalid(_("Write the lesson's topic."), field="topic", code="required")
    if len(topic) > 300:
        raise Invalid(_("The topic is longer than 300 characters."), field="topic")
    try:
        with transaction.atomic():
            current = (
                Lesson.objects.select_for_update()
                .filter(
                    school_id=section.school_id,
                    section=section,
                    day=day,
                    period=period,
                    is_current=True,
                )
                .first()
            )
            if current is not None:
                current.is_current = False
                current.save(update_fields=["is_current", "updated_at"])
            lesson = Lesson.objects.create(
                school_id=section.school_id,
                section=section,
                subject_id=subject_id,
                day=day,
                period=period,
                topic=topic,
                version=current.version + 1 if current else 1,
                client_uuid=client_uuid,
                recorded_by=by,
                recorded_at=timezone.now(),
            )
            audit_record(
                user=by,
                action="journal.lesson",
                obj=lesson,
                school_id=section.school_id,
                detail={"version": lesson.version},
            )
    except IntegrityError:
        found = Lesson.objects.filter(school_id=section.school_id, client_uuid=client_uuid).first()
        if found is None:
            raise Conflict(
                _("The lesson was recorded meanwhile: send it again."), field="topic"
            ) from None
        return found, False
    return lesson, True


def homework_set(
    *,
    section: Section,
    day: dt.date,
    period: int,
    text: str,
    due_on: dt.date,
    uploads: list[Upload],
    drop: set[int] | None = None,
    client_uuid: uuid.UUID,
    by: Any,
) -> tuple[Homework, bool]:
    """The lesson's homework; a change is a new row that replaces the old one and keeps
    its attachments but those dropped. Files are checked before anything is stored."""
    subject_id = _subject(section, day, period, by)
    found = Homework.objects.filter(school_id=section.school_id, client_uuid=client_uuid).first()
    if found is not None:
        return found, False
    text = text.strip()
    if not text:
        raise Invalid(_("Write the homework."), field="text", code="required")
    if len(text) > 2000:
        raise Invalid(_("The homework is longer than 2000 characters."), field="text")
    if due_on < day:
        raise Invalid(_("Homework cannot be due before the lesson it is set in."), field="due_on")
    if len(uploads) > MAX_ATTACHMENTS:
        raise Invalid(_("At most 10 files."), field="attachments")
    types = [check_upload(upload, n) for n, upload in enumerate(uploads)]
    try:
        with transaction.atomic():
            old = (
                Homework.objects.select_for_update()
                .filter(
                    school_id=section.school_id,
                    section=section,
                    day=day,
                    period=period,
                    replaced_by__isnull=True,
                )
                .first()
            )
            homework = Homework.objects.create(
                school_id=section.school_id,
                section=section,
                subject_id=subject_id,
                day=day,
                period=period,
                text=text,
                due_on=due_on,
                client_uuid=client_uuid,
                set_by=by,
                set_at=timezone.now(),
            )
            kept = []
            if old is not None:
                old.replaced_by = homework
                old.save(update_fields=["replaced_by"])
                kept = [
                    Attachment(
                        school_id=a.school_id,
                        homework=homework,
                        name=a.name,
                        media_type=a.media_type,
                        size=a.size,
                        data=a.data,
                    )
                    for a in Attachment.objects.filter(school_id=section.school_id, homework=old)
                    if a.pk not in (drop or set())
                ]
            Attachment.objects.bulk_create(
                kept
                + [
                    Attachment(
                        school_id=section.school_id,
                        homework=homework,
                        name=upload.name.strip()[:200],
                        media_type=media,
                        size=len(upload.data),
                        data=upload.data,
                    )
                    for upload, media in zip(uploads, types, strict=True)
                ]
            )
            audit_record(
                user=by,
                action="journal.homework",
                obj=homework,
                school_id=section.school_id,
                detail={"replaces": old.pk if old else None, "files": len(uploads)},
            )
    except IntegrityError:
        found = Homework.objects.filter(
            school_id=section.school_id, client_uuid=client_uuid
        ).first()
        if found is None:
            raise Conflict(
                _("The homework was set meanwhile: send it again."), field="text"
            ) from None
        return found, False
    return homework, True
