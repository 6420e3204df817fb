"""A school's side of an application: seats per class, review, asking for a correction,
admitting (the admission and enrolment through people's services), refusing.

The caller is allowed to admit at the school (access.Action.ADMIT), checked here again
on the school that holds the application, under a lock on its row."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazri.accounts.access import Action, actor_of, require_role
from hazri.admissions import rules, selectors
from hazri.admissions.models import Application, Preference, SeatPlan
from hazri.admissions.services.applications import event_log
from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Invalid, NotFound
from hazri.org.models import AcademicYear, School, Section
from hazri.org.selectors import school_today
from hazri.people.models import Admission, Guardian, Student
from hazri.people.services import guardian_add, guardian_link, student_admit

S = Application.Status
MAX_SEATS = 5000
NOTE_CHARS = 500


def _may_admit(by: Any, school: School) -> None:
    require_role(actor_of(by), Action.ADMIT, school, field="school")


def _note(text: str, field: str) -> str:
    note = " ".join(text.split())
    if not note:
        raise Invalid(_("Say why."), field=field, code="required")
    if len(note) > NOTE_CHARS:
        raise Invalid(
            _("At most %(limit)d characters.") % {"limit": NOTE_CHARS}, field=field, code="too_long"
        )
    return note


def _locked(application: Application, by: Any, new: str) -> Application:
    """The application, locked, held by a school where `by` admits, and able to move to
    `new` from where it stands."""
    found = (
        Application.objects.select_for_update()
        .select_related("school", "academic_year")
        .get(pk=application.pk)
    )
    _may_admit(by, found.school)
    if not rules.step_allowed(found.status, new, rules.SCHOOL):
        raise Conflict(
            _("The application is %(status)s: it cannot be %(new)s now.")
            % {"status": found.get_status_display(), "new": S(new).label},
            field="status",
            code="bad_step",
        )
    return found


@transaction.atomic(durable=True)
def seat_plan_set(
    *, school: School, academic_year: AcademicYear, grade: int, seats: int, by: Any
) -> SeatPlan:
    """The seats the school offers in a class this year (the head sets them)."""
    _may_admit(by, school)
    if not school.lowest_grade <= grade <= school.highest_grade:
        raise Invalid(
            _("%(school)s has no class %(grade)d.") % {"school": school.name, "grade": grade},
            field="grade",
            code="no_such_class",
        )
    if not 0 <= seats <= MAX_SEATS:
        raise Invalid(
            _("Seats run from 0 to %(n)d.") % {"n": MAX_SEATS}, field="seats", code="bad_seats"
        )
    plan, _created = SeatPlan.objects.update_or_create(
        school=school, academic_year=academic_year, grade=grade, defaults={"seats": seats}
    )
    audit_record(
        user=by,
        action="seat_plan.set",
        obj=plan,
        school_id=school.pk,
        detail={"year": academic_year.pk, "grade": grade, "seats": seats},
    )
    return plan


@transaction.atomic(durable=True)
def application_review(
    *, application: Application, by: Any, now: dt.datetime | None = None
) -> Application:
    """The school starts looking at the application (the family sees "under review")."""
    found = _locked(application, by, S.UNDER_REVIEW)
    found.status = S.UNDER_REVIEW
    found.save(update_fields=["status", "updated_at"])
    event_log(found, by=by, now=now or timezone.now())
    return found


@transaction.atomic(durable=True)
def application_correction_ask(
    *, application: Application, note: str, by: Any, now: dt.datetime | None = None
) -> Application:
    """Ask the family to fix something (`note` says what); they edit and resubmit."""
    note = _note(note, "note")
    found = _locked(application, by, S.CORRECTION_ASKED)
    found.status = S.CORRECTION_ASKED
    found.correction_note = note
    found.save(update_fields=["status", "correction_note", "updated_at"])
    event_log(found, by=by, note=note, now=now or timezone.now())
    return found


@transaction.atomic(durable=True)
def application_admit(
    *,
    application: Application,
    section_id: int,
    by: Any,
    admitted_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """Admit the child to a section of the class applied for: the Admission under the
    school's next admission number and the Enrolment (people.services.student_admit,
    in this transaction), the same Student where the state id is known (one record for
    life), the applying guardian linked to the child."""
    now = now or timezone.now()
    found = _locked(application, by, S.ADMITTED)
    school = School.objects.select_for_update().get(pk=found.school_id)  # numbers in turn
    section = Section.objects.filter(
        pk=section_id,
        school_id=school.pk,
        academic_year_id=found.academic_year_id,
        grade=found.grade,
    ).first()
    if section is None:
        raise NotFound(
            _("No section of class %(grade)d at %(school)s for that year.")
            % {"grade": found.grade, "school": school.name},
            field="section",
        )
    (row,) = selectors.seats(school, found.academic_year, found.grade)
    if row.left is not None and row.left <= 0:
        raise Conflict(
            _("No seats are left in class %(grade)d.") % {"grade": found.grade},
            field="section",
            code="no_seats",
        )
    on = admitted_on or school_today(school, now)
    number = rules.next_admission_no(
        Admission.objects.filter(school_id=school.pk).values_list("admission_no", flat=True)
    )
    enrolment = student_admit.nested(
        section=section,
        admission_no=number,
        admitted_on=on,
        on_roll_from=max(on, found.academic_year.starts_on),
        by=by,
        state_id=found.state_id or None,
        name=found.child_name,
        name_local=found.child_name_local,
        gender=found.gender,
        date_of_birth=found.date_of_birth,
    )
    _guardian_of(found, enrolment.student, by)
    found.status = S.ADMITTED
    found.admission = enrolment.admission
    found.decided_at = now
    found.save(update_fields=["status", "admission", "decided_at", "updated_at"])
    Preference.objects.filter(application=found, school_id=school.pk).update(
        outcome=Preference.Outcome.ADMITTED
    )
    event_log(
        found,
        by=by,
        note=_("Admission number %(number)s, class %(section)s")
        % {"number": number, "section": section.label},
        now=now,
    )
    return found


def _guardian_of(application: Application, student: Student, by: Any) -> None:
    """The applying guardian, linked to the child (their own record where they have one)."""
    guardian = None
    if application.applicant_id is not None:
        guardian = Guardian.objects.filter(user_id=application.applicant_id).first()
    if guardian is None:
        guardian = Guardian.objects.filter(
            phone=application.guardian_phone, name=application.guardian_name
        ).first()
    if guardian is None:
        guardian = guardian_add.nested(
            name=application.guardian_name,
            name_local=application.guardian_name_local,
            phone=application.guardian_phone,
            email=application.guardian_email,
            user=application.applicant,
            by=by,
        )
    if not guardian.children.filter(pk=student.pk).exists():
        guardian_link.nested(
            guardian=guardian, student=student, relation=application.relation, by=by
        )


@transaction.atomic(durable=True)
def application_refuse(
    *,
    application: Application,
    reason: str,
    by: Any,
    no_seats: bool = False,
    now: dt.datetime | None = None,
) -> Application:
    """Refuse with a reason. For lack of seats the application passes to the family's
    next preferred school (back to "submitted" there); otherwise, or from the last
    preference, it is refused."""
    now = now or timezone.now()
    reason = _note(reason, "reason")
    found = _locked(application, by, S.REFUSED)
    refused_at = found.school
    Preference.objects.filter(application=found, school_id=refused_at.pk).update(
        outcome=Preference.Outcome.NO_SEATS if no_seats else Preference.Outcome.REFUSED
    )
    following = (
        found.preferences.filter(outcome=Preference.Outcome.WAITING)
        .select_related("school")
        .order_by("rank")
        .first()
        if no_seats
        else None
    )
    found.refusal_reason = reason
    if following is None:
        found.status = S.REFUSED
        found.decided_at = now
        found.save(update_fields=["status", "refusal_reason", "decided_at", "updated_at"])
        event_log(found, by=by, note=reason, now=now)
        return found
    # The refusing school's step stays in the log at that school; the next one starts.
    found.status = S.REFUSED
    event_log(found, by=by, note=reason, now=now)
    following.outcome = Preference.Outcome.CONSIDERING
    following.save(update_fields=["outcome"])
    found.school = following.school
    found.status = S.SUBMITTED
    found.correction_note = ""
    found.save(
        update_fields=["school", "status", "correction_note", "refusal_reason", "updated_at"]
    )
    event_log(
        found,
        by=by,
        note=_("Passed on from %(school)s: no seats left there.") % {"school": refused_at.name},
        now=now,
    )
    return found
