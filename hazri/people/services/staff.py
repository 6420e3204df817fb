"""Posting staff to schools and assigning them to teach sections.

A posting changes the school's staff roll (the dashboards count it: `roll_changed`);
devices receive every school's staff whole on each pull (hazri.sync.selectors.
staff_rows), so postings need no delta stamp. Teaching assignments are not sent to
devices nor counted by rollups; the permission model reads them per request.
"""

import datetime as dt

from django.db.models import Q

from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Invalid
from hazri.org.models import School, Section, Subject
from hazri.people.models import Posting, Staff, TeachingAssignment
from hazri.people.services._boundary import Actor, service
from hazri.people.signals import roll_changed


def _overlapping(starts_on: dt.date, ends_on: dt.date | None) -> Q:
    """Spans that share a day with [starts_on, ends_on] (None: open-ended)."""
    q = Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    return q if ends_on is None else q & Q(starts_on__lte=ends_on)


@service
def staff_post(
    *,
    staff: Staff,
    school: School,
    role: str,
    starts_on: dt.date,
    by: Actor,
    ends_on: dt.date | None = None,
) -> Posting:
    """Post a member of staff to a school as head, school administrator, teacher or
    other staff, from `starts_on` (to `ends_on`, inclusive, when known)."""
    if role not in Posting.Role.values:
        raise Invalid(f"'{role}' is not a role.", field="role", code="bad_role")
    _ends_after(starts_on, ends_on)
    Staff.objects.select_for_update().filter(pk=staff.pk).first()  # one posting at a time
    clash = Posting.objects.filter(
        _overlapping(starts_on, ends_on), staff=staff, school=school
    ).first()
    if clash is not None:
        raise Conflict(
            f"{staff.name} is already posted to {school.name} from {clash.starts_on}.",
            field="starts_on",
            code="overlapping_posting",
        )
    if role == Posting.Role.HEAD:
        head = (
            Posting.objects.filter(
                _overlapping(starts_on, ends_on), school=school, role=Posting.Role.HEAD
            )
            .select_related("staff")
            .first()
        )
        if head is not None:
            raise Conflict(
                f"{school.name} has a head ({head.staff.name}) from {head.starts_on}; "
                "end that posting first.",
                field="role",
                code="second_head",
            )
    posting = Posting.objects.create(
        staff=staff, school=school, role=role, starts_on=starts_on, ends_on=ends_on
    )
    audit_record(
        user=by,
        action="posting.start",
        obj=posting,
        school_id=school.pk,
        detail={"staff": staff.pk, "role": role, "starts_on": str(starts_on)},
    )
    roll_changed.send(sender=Posting, school_ids=[school.pk], since=starts_on)
    return posting


@service
def posting_end(*, posting: Posting, ends_on: dt.date, by: Actor) -> Posting:
    """End a posting: `ends_on` is the last day at the school. The staff member's
    teaching assignments there that ran past it end with it."""
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    if posting.ends_on is not None:
        raise Conflict(
            f"The posting already ended on {posting.ends_on}.", field="ends_on", code="ended"
        )
    _ends_after(posting.starts_on, ends_on)
    posting.ends_on = ends_on
    posting.save(update_fields=["ends_on"])
    ended = []
    for assignment in TeachingAssignment.objects.select_for_update().filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=ends_on),
        staff_id=posting.staff_id,
        school_id=posting.school_id,
    ):
        if assignment.starts_on > ends_on:
            raise Conflict(
                f"{assignment} starts on {assignment.starts_on}, after {ends_on}; "
                "end or remove it first.",
                field="ends_on",
                code="assignment_after_posting",
            )
        assignment.ends_on = ends_on
        assignment.save(update_fields=["ends_on"])
        ended.append(assignment.pk)
    audit_record(
        user=by,
        action="posting.end",
        obj=posting,
        school_id=posting.school_id,
        detail={"staff": posting.staff_id, "ends_on": str(ends_on), "assignments": ended},
    )
    roll_changed.send(sender=Posting, school_ids=[posting.school_id], since=ends_on)
    return posting


@service
def assignment_start(
    *,
    staff: Staff,
    section: Section,
    starts_on: dt.date,
    by: Actor,
    subject: Subject | None = None,
    ends_on: dt.date | None = None,
) -> TeachingAssignment:
    """Assign a member of staff to teach `subject` in `section` or, with no subject,
    to be its class teacher, from `starts_on` (to `ends_on`, inclusive)."""
    _ends_after(starts_on, ends_on)
    year = section.academic_year
    if not year.starts_on <= starts_on <= year.ends_on:
        raise Invalid(
            f"{starts_on} is outside section {section.label}'s session {year.name}.",
            field="starts_on",
            code="outside_session",
        )
    if subject is not None and subject.school_id != section.school_id:
        raise Invalid(
            f"{subject.name} is a subject of another school.",
            field="subject",
            code="other_school",
        )
    posted = Posting.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on),
        staff=staff,
        school_id=section.school_id,
        starts_on__lte=starts_on,
    ).exists()
    if not posted:
        raise Invalid(
            f"{staff.name} is not posted to {section.school.name} on {starts_on}.",
            field="staff",
            code="not_posted",
        )
    # Serialise assignments to one section, so two class teachers cannot slip in at once.
    Section.objects.select_for_update().filter(pk=section.pk).first()
    same = TeachingAssignment.objects.filter(
        _overlapping(starts_on, ends_on), section=section, subject=subject
    ).select_related("staff")
    if subject is not None:
        same = same.filter(staff=staff)
    clash = same.first()
    if clash is not None:
        what = subject.name if subject is not None else "class teacher"
        raise Conflict(
            f"{clash.staff.name} is already {section.label}'s {what} from {clash.starts_on}.",
            field="subject" if subject is not None else "section",
            code="overlapping_assignment",
        )
    assignment = TeachingAssignment.objects.create(
        school_id=section.school_id,
        staff=staff,
        section=section,
        subject=subject,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audit_record(
        user=by,
        action="assignment.start",
        obj=assignment,
        school_id=section.school_id,
        detail={
            "staff": staff.pk,
            "section": section.pk,
            "subject": subject.pk if subject else None,
            "starts_on": str(starts_on),
        },
    )
    return assignment


@service
def assignment_end(
    *, assignment: TeachingAssignment, ends_on: dt.date, by: Actor
) -> TeachingAssignment:
    """End a teaching assignment: `ends_on` is its last day."""
    assignment = TeachingAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ends_on is not None:
        raise Conflict(
            f"The assignment already ended on {assignment.ends_on}.",
            field="ends_on",
            code="ended",
        )
    _ends_after(assignment.starts_on, ends_on)
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    audit_record(
        user=by,
        action="assignment.end",
        obj=assignment,
        school_id=assignment.school_id,
        detail={"ends_on": str(ends_on)},
    )
    return assignment


def _ends_after(starts_on: dt.date, ends_on: dt.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise Invalid(
            f"It cannot end ({ends_on}) before it starts ({starts_on}).",
            field="ends_on",
            code="ends_before_start",
        )
