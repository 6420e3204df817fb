"""Behaviour remarks: praise, or a concern that may be held for the class teacher's
review before the family sees it; the class teacher (or the head) releases it or
withdraws it, with a note."""

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazri.accounts.access import actor_of
from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Invalid
from hazri.journal.models import Remark
from hazri.journal.selectors import journal
from hazri.journal.selectors import journal_access as who
from hazri.org.models import Section, Subject


def remark_write(
    *,
    section: Section,
    subject: Subject,
    student_id: int,
    day: dt.date,
    kind: str,
    text: str,
    hold: bool,
    client_uuid: uuid.UUID,
    by: Any,
) -> tuple[Remark, bool]:
    """A remark in a subject's lesson; a concern held waits for the class teacher."""
    who.require_grader(actor_of(by), section, subject, day)
    found = Remark.objects.filter(school_id=section.school_id, client_uuid=client_uuid).first()
    if found is not None:
        return found, False
    if kind not in Remark.Kind.values:
        raise Invalid(_("A remark is praise or a concern."), field="kind")
    text = text.strip()
    if not text:
        raise Invalid(_("Write the remark."), field="text", code="required")
    if len(text) > 1000:
        raise Invalid(_("The remark is longer than 1000 characters."), field="text")
    if hold and kind != Remark.Kind.CONCERN:
        raise Invalid(_("Only a concern can be held for review."), field="hold")
    journal.check_roll(section, day, student_id)
    try:
        with transaction.atomic():
            remark = Remark.objects.create(
                school_id=section.school_id,
                section=section,
                student_id=student_id,
                subject=subject,
                day=day,
                kind=kind,
                text=text,
                status=Remark.Status.HELD if hold else Remark.Status.VISIBLE,
                client_uuid=client_uuid,
                written_by=by,
                written_at=timezone.now(),
            )
            audit_record(
                user=by,
                action="journal.remark",
                obj=remark,
                school_id=section.school_id,
                detail={"kind": kind, "status": remark.status},
            )
    except IntegrityError:
        found = Remark.objects.filter(school_id=section.school_id, client_uuid=client_uuid).first()
        if found is None:
            raise Conflict(
                _("The remark was written meanwhile: send it again."), field="text"
            ) from None
        return found, False
    return remark, True


def remark_review(*, remark: Remark, release: bool, note: str, by: Any) -> tuple[Remark, bool]:
    """The class teacher releases a held concern to the family or withdraws it. The
    same decision again answers the remark as it stands (changed False)."""
    who.require_reviewer(actor_of(by), remark.section, journal.today_of(remark.section))
    wanted = Remark.Status.VISIBLE if release else Remark.Status.WITHDRAWN
    with transaction.atomic():
        locked = Remark.objects.select_for_update().get(pk=remark.pk, school_id=remark.school_id)
        if locked.status == wanted and locked.reviewed_by_id is not None:
            return locked, False
        if locked.status != Remark.Status.HELD:
            raise Conflict(
                _("This remark is not held for review."), field="remark", code="not_held"
            )
        locked.status = wanted
        locked.reviewed_by = by
        locked.reviewed_at = timezone.now()
        locked.review_note = note.strip()[:500]
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        audit_record(
            user=by,
            action="journal.remark_review",
            obj=locked,
            school_id=locked.school_id,
            detail={"status": wanted},
        )
    return locked, True
