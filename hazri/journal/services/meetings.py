"""Class and school meetings, added by the head; the diary shows the week's."""

import datetime as dt
from typing import Any

from django.db import transaction

from hazri.accounts.access import Role, actor_of
from hazri.audit.services import audit_record
from hazri.common.errors import Forbidden, Invalid
from hazri.journal.models import Meeting
from hazri.org.models import School, Section


def meeting_add(
    *,
    school: School,
    section: Section | None,
    starts_at: dt.datetime,
    title: str,
    place: str,
    by: Any,
) -> Meeting:
    """A meeting of one section's families, or of the whole school (no section)."""
    if actor_of(by).role_at(school.pk) != Role.HEAD:
        raise Forbidden(
            f"Only the head of {school.name} can add its meetings.", field="school", code="not_head"
        )
    title, place = title.strip(), place.strip()
    if not title:
        raise Invalid("Give the meeting a title.", field="title", code="required")
    if len(title) > 200 or len(place) > 200:
        field = "title" if len(title) > 200 else "place"
        raise Invalid("At most 200 characters.", field=field, code="too_long")
    if section is not None and section.school_id != school.pk:
        raise Invalid(f"Section {section.pk} is not of this school.", field="section")
    if starts_at.tzinfo is None:
        raise Invalid("Give the time with its time zone.", field="starts_at")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            school=school,
            section=section,
            starts_at=starts_at,
            title=title,
            place=place,
            created_by=by,
        )
        audit_record(user=by, action="journal.meeting", obj=meeting, school_id=school.pk)
    return meeting
