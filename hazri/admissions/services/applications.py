"""A family's side of an application: applying, resubmitting after a correction,
withdrawing. Each is one transaction; the family is told on commit (signals)."""

import datetime as dt
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hazri.admissions import rules
from hazri.admissions.models import (
    OPEN_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Preference,
)
from hazri.admissions.services.phone import phone_valid
from hazri.admissions.signals import application_changed
from hazri.audit.services import audit_record
from hazri.common import files
from hazri.common.api import NO_CONTROLS
from hazri.common.errors import Conflict, Forbidden, Invalid, NotFound
from hazri.org.models import AcademicYear, School
from hazri.org.selectors import school_today, tree_today
from hazri.people.models import Enrolment, Gender, Guardianship

S = Application.Status
MAX_PREFERENCES = 5
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
DOCUMENT_KINDS = ApplicationDocument.Kind
IMAGES = {"image/jpeg", "image/png", "image/webp"}


@dataclass(frozen=True)
class Family:
    """Who applies: a signed-in user, or (no account) the phone number they verified."""

    user: Any = None
    phone: str = ""

    def __post_init__(self) -> None:
        signed_in = self.user is not None and self.user.is_authenticated
        if not signed_in and not self.phone:
            raise Forbidden(
                _("Sign in, or verify your mobile number, to apply."),
                field="phone",
                code="not_verified",
            )

    @property
    def signed_in(self) -> Any:
        return self.user if self.user is not None and self.user.is_authenticated else None


@dataclass(frozen=True)
class Details:
    """What the family writes about the child and themselves."""

    child_name: str
    gender: str
    date_of_birth: dt.date | None
    guardian_name: str
    guardian_phone: str
    relation: str
    child_name_local: str = ""
    state_id: str = ""
    guardian_name_local: str = ""
    guardian_email: str = ""
    address: str = ""


_LIMITS = {
    "child_name": 200,
    "child_name_local": 200,
    "state_id": 32,
    "guardian_name": 200,
    "guardian_name_local": 200,
    "guardian_email": 254,
    "address": 300,
}


def details_clean(details: Details, *, today: dt.date) -> Details:
    """The details with spaces trimmed, or Invalid naming the first field that is wrong."""
    cleaned: dict[str, Any] = {}
    for name, limit in _LIMITS.items():
        value = " ".join(str(getattr(details, name)).split())
        if len(value) > limit:
            raise Invalid(
                _("At most %(limit)d characters.") % {"limit": limit}, field=name, code="too_long"
            )
        if not re.fullmatch(NO_CONTROLS, value):
            raise Invalid(_("This holds a control character."), field=name, code="control")
        cleaned[name] = value
    for name in ("child_name", "guardian_name"):
        if not cleaned[name]:
            raise Invalid(_("This is required."), field=name, code="required")
    if details.gender not in Gender.values:
        raise Invalid(_("Choose the child's gender."), field="gender", code="bad_gender")
    if details.relation not in Guardianship.Relation.values:
        raise Invalid(_("Choose how you are related."), field="relation", code="bad_relation")
    born = details.date_of_birth
    if born is None:
        raise Invalid(_("This is required."), field="date_of_birth", code="required")
    if not today - dt.timedelta(days=25 * 366) <= born <= today - dt.timedelta(days=2 * 365):
        raise Invalid(
            _("A child applying for school is between 2 and 25 years old."),
            field="date_of_birth",
            code="implausible",
        )
    if cleaned["guardian_email"]:
        try:
            validate_email(cleaned["guardian_email"])
        except ValidationError:
            raise Invalid(
                _("This is not an e-mail address."), field="guardian_email", code="bad_email"
            ) from None
    cleaned["guardian_phone"] = phone_valid(details.guardian_phone, "guardian_phone")
    return replace(details, **cleaned)


def documents_check(documents: Mapping[str, files.Upload]) -> dict[str, str]:
    """Each document's media type (judged from its first bytes by common.files), or
    Invalid naming it: a kind that is not one, a photo that is not an image."""
    types = {}
    for kind, upload in documents.items():
        if kind not in DOCUMENT_KINDS.values:
            raise Invalid(_("Not a kind of document."), field=f"documents.{kind}", code="bad_kind")
        media = files.check_upload(upload, f"documents.{kind}")
        if kind == DOCUMENT_KINDS.PHOTO and media not in IMAGES:
            raise Invalid(
                _("The photo must be a JPEG, PNG or WebP image."),
                field=f"documents.{kind}.data",
                code="bad_type",
            )
        types[kind] = media
    return types


def _documents_store(
    application: Application, documents: Mapping[str, files.Upload], now: dt.datetime
) -> None:
    types = documents_check(documents)
    for kind, upload in documents.items():
        ApplicationDocument.objects.update_or_create(
            application=application,
            kind=kind,
            defaults={
                "name": upload.name[:200],
                "media_type": types[kind],
                "size": len(upload.data),
                "data": upload.data,
                "uploaded_at": now,
            },
        )


def _year_and_schools(
    academic_year_id: int, grade: int, school_ids: list[int], today: dt.date
) -> tuple[AcademicYear, list[School]]:
    year = AcademicYear.objects.select_related("unit").filter(pk=academic_year_id).first()
    if year is None or year.ends_on < today:
        raise NotFound(
            _("No academic year %(id)d open for applications.") % {"id": academic_year_id},
            field="academic_year",
        )
    if not 1 <= grade <= 12:
        raise Invalid(_("Classes run from 1 to 12."), field="grade", code="bad_grade")
    if not 1 <= len(school_ids) <= MAX_PREFERENCES:
        raise Invalid(
            _("Name 1 to %(n)d schools, in the order you prefer them.") % {"n": MAX_PREFERENCES},
            field="schools",
            code="bad_count",
        )
    if len(set(school_ids)) != len(school_ids):
        raise Invalid(_("A school is named twice."), field="schools", code="duplicate")
    found = School.objects.in_bulk(school_ids)
    schools = []
    for n, pk in enumerate(school_ids):
        school = found.get(pk)
        if school is None or not school.unit_path.startswith(year.unit.path):
            raise NotFound(_("No school %(id)d.") % {"id": pk}, field=f"schools[{n}]")
        if not school.lowest_grade <= grade <= school.highest_grade:
            raise Invalid(
                _("%(school)s has no class %(grade)d.") % {"school": school.name, "grade": grade},
                field=f"schools[{n}]",
                code="no_such_class",
            )
        schools.append(school)
    return year, schools


def _child_lock(details: Details) -> None:
    """On PostgreSQL, two families' submissions for the same child (same birth date and
    guardian phone, or same state id) wait for each other until the first commits, so
    the duplicate check of the second sees it. SQLite runs one writer at a time."""
    if connection.vendor != "postgresql":
        return
    keys = {f"admission:{details.date_of_birth}:{details.guardian_phone}"}
    if details.state_id:
        keys.add(f"admission:{details.state_id}")
    with connection.cursor() as cursor:
        for key in sorted(keys):  # one order everywhere: no deadlock
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def _duplicates(details: Details, exclude: int | None = None) -> None:
    """Refuses a second open application for the same child (same state id, or same
    name, birth date and guardian phone), or one for a child on a school's roll."""
    _child_lock(details)
    same_child = Q(date_of_birth=details.date_of_birth, guardian_phone=details.guardian_phone)
    candidates = Application.objects.filter(status__in=OPEN_STATUSES)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    query = same_child
    if details.state_id:
        query |= Q(state_id=details.state_id)
    name = rules.normal_name(details.child_name)
    for other in candidates.filter(query).only("state_id", "child_name"):
        if (details.state_id and other.state_id == details.state_id) or rules.normal_name(
            other.child_name
        ) == name:
            raise Conflict(
                _("An application for this child is already open; follow that one."),
                field="state_id" if details.state_id else "child_name",
                code="duplicate_application",
            )
    on_roll = Enrolment.objects.filter(ends_on__isnull=True)
    student: Q | None = None
    if details.state_id:
        student = Q(student__state_id=details.state_id)
    same = Q(
        student__date_of_birth=details.date_of_birth,
        student__guardians__phone=details.guardian_phone,
    )
    student = same if student is None else student | same
    for enrolment in on_roll.filter(student).select_related("student", "school")[:5]:
        if (
            details.state_id and enrolment.student.state_id == details.state_id
        ) or rules.normal_name(enrolment.student.name) == name:
            raise Conflict(
                _(
                    "This child is on the roll of %(school)s: that school issues a "
                    "transfer certificate before another admits them."
                )
                % {"school": enrolment.school.name},
                field="state_id" if details.state_id else "child_name",
                code="on_roll",
            )


def event_log(
    application: Application,
    *,
    by: Any = None,
    by_phone: str = "",
    note: str = "",
    now: dt.datetime,
) -> ApplicationEvent:
    """A step of the application as it now stands, and the family told once it commits."""
    event = ApplicationEvent.objects.create(
        application=application,
        school_id=application.school_id,
        status=application.status,
        by=by if by is not None and by.is_authenticated else None,
        by_phone=by_phone,
        note=note,
        at=now,
    )
    transaction.on_commit(
        lambda: application_changed.send(sender=Application, application=application, note=note)
    )
    return event


def _reference() -> str:
    while True:
        found = "".join(secrets.choice(REFERENCE_ALPHABET) for _n in range(10))
        if not Application.objects.filter(reference=found).exists():
            return found


@transaction.atomic(durable=True)
def application_submit(
    *,
    family: Family,
    academic_year_id: int,
    grade: int,
    school_ids: list[int],
    details: Details,
    documents: Mapping[str, files.Upload],
    now: dt.datetime | None = None,
) -> Application:
    """A new application to the first of `school_ids` (the rest wait in order)."""
    now = now or timezone.now()
    today = tree_today(now)
    year, schools = _year_and_schools(academic_year_id, grade, school_ids, today)
    details = details_clean(details, today=today)
    documents_check(documents)
    if DOCUMENT_KINDS.BIRTH_CERTIFICATE not in documents:
        raise Invalid(
            _("Attach the child's birth certificate."),
            field="documents.birth_certificate",
            code="required",
        )
    _duplicates(details)
    application = Application.objects.create(
        reference=_reference(),
        school=schools[0],
        academic_year=year,
        grade=grade,
        status=S.SUBMITTED,
        applicant=family.signed_in,
        verified_phone=family.phone,
        submitted_on=today,
        **vars(details),
    )
    Preference.objects.bulk_create(
        Preference(
            application=application,
            school=school,
            rank=rank,
            outcome=Preference.Outcome.CONSIDERING if rank == 1 else Preference.Outcome.WAITING,
        )
        for rank, school in enumerate(schools, start=1)
    )
    _documents_store(application, documents, now)
    event_log(application, by=family.signed_in, by_phone=family.phone, now=now)
    audit_record(
        user=family.signed_in,
        action="application.submit",
        obj=application,
        school_id=application.school_id,
        detail={"schools": school_ids, "grade": grade, "phone": family.phone},
    )
    return application


def _family_step(application: Application, new: str) -> None:
    if not rules.step_allowed(application.status, new, rules.FAMILY):
        raise Conflict(
            _("The application is %(status)s: it cannot be %(new)s now.")
            % {"status": application.get_status_display(), "new": S(new).label},
            field="status",
            code="bad_step",
        )


@transaction.atomic(durable=True)
def application_resubmit(
    *,
    application: Application,
    family: Family,
    details: Details,
    documents: Mapping[str, files.Upload],
    now: dt.datetime | None = None,
) -> Application:
    """The family's corrected details (and any document sent again), back to the school."""
    now = now or timezone.now()
    application = Application.objects.select_for_update().get(pk=application.pk)
    _family_step(application, S.RESUBMITTED)
    details = details_clean(details, today=school_today(application.school, now))
    documents_check(documents)
    _duplicates(details, exclude=application.pk)
    for name, value in vars(details).items():
        setattr(application, name, value)
    application.status = S.RESUBMITTED
    application.save()
    _documents_store(application, documents, now)
    event_log(application, by=family.signed_in, by_phone=family.phone, now=now)
    return application


@transaction.atomic(durable=True)
def application_withdraw(
    *, application: Application, family: Family, reason: str = "", now: dt.datetime | None = None
) -> Application:
    now = now or timezone.now()
    application = Application.objects.select_for_update().get(pk=application.pk)
    _family_step(application, S.WITHDRAWN)
    reason = " ".join(reason.split())[:500]
    application.status = S.WITHDRAWN
    application.decided_at = now
    application.save(update_fields=["status", "decided_at", "updated_at"])
    event_log(application, by=family.signed_in, by_phone=family.phone, note=reason, now=now)
    return application
