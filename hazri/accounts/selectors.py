"""Who may see and do what, in one place: every view and endpoint asks here.

A head or teacher acts for the schools they are posted to (people.Posting); an
officer sees every school under the units of their grants; a superuser sees all.
"""

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hazri.common import sql
from hazri.common.errors import Forbidden, NotFound
from hazri.org.models import AcademicYear, OrgUnit, School, Section
from hazri.people.models import Enrolment, Posting, Student


def _postings(user, day: dt.date) -> QuerySet[Posting]:  # type: ignore[no-untyped-def]
    return Posting.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day), staff__user=user, starts_on__lte=day
    )


def schools_posted_to(user, day: dt.date | None = None) -> QuerySet[School]:  # type: ignore[no-untyped-def]
    day = day or timezone.localdate()
    return School.objects.filter(pk__in=_postings(user, day).values("school_id"))


def schools_visible_to(user) -> QuerySet[School]:  # type: ignore[no-untyped-def]
    if not user.is_authenticated:
        return School.objects.none()
    if user.is_superuser:
        return School.objects.all()
    condition = Q(pk__in=_postings(user, timezone.localdate()).values("school_id"))
    for path in user.officer_grants.values_list("unit__path", flat=True):
        condition |= Q(unit_path__startswith=path)
    return School.objects.filter(condition)


def school_visible(user, school_id: int) -> School:  # type: ignore[no-untyped-def]
    school = schools_visible_to(user).filter(pk=school_id).first()
    if school is None:
        # Same answer for "does not exist" and "not yours": ids are not probed.
        raise NotFound(f"No school {school_id} in your area.", field="school")
    return school


def section_visible(user, section_id: int) -> Section:  # type: ignore[no-untyped-def]
    section = (
        Section.objects.select_related("school", "academic_year")
        .filter(pk=section_id, school__in=schools_visible_to(user))
        .first()
    )
    if section is None:
        raise NotFound(f"No section {section_id} in your area.", field="section")
    return section


class PostingSpan(NamedTuple):
    school_id: int
    role: str
    starts_on: dt.date
    ends_on: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def postings_of(user) -> list[PostingSpan]:  # type: ignore[no-untyped-def]
    """Every posting of the user, past and future, in one query: a request that checks
    several schools or days asks these instead of the database each time."""
    if not user.is_authenticated:
        return []
    # Plain SQL: every submit asks this, and building the ORM query cost more than running it.
    rows = sql.select(
        "SELECT p.school_id, p.role, p.starts_on, p.ends_on FROM people_posting p "
        "JOIN people_staff s ON s.id = p.staff_id WHERE s.user_id = %s",
        [user.pk],
        [None, None, sql.field(Posting, "starts_on"), sql.field(Posting, "ends_on")],
    )
    return [PostingSpan(*row) for row in rows]


def _role_of(roles: Iterable[str]) -> str | None:
    roles = set(roles)
    if Posting.Role.HEAD in roles:
        return Posting.Role.HEAD
    if Posting.Role.TEACHER in roles:
        return Posting.Role.TEACHER
    return None


def sections_visible(  # type: ignore[no-untyped-def]
    user, section_ids: Iterable[int], *, postings: list[PostingSpan] | None = None
) -> dict[int, Section]:
    """The sections among these ids that the user may see (as section_visible judges),
    by id, in one query for the sections, the user's postings if not given, and their
    officer grants only if a posting does not already show the section."""
    if not user.is_authenticated:
        return {}
    sections = sections_by_id(section_ids)
    if user.is_superuser or not sections:
        return sections
    today = timezone.localdate()
    posted = {
        p.school_id
        for p in (postings_of(user) if postings is None else postings)
        if p.covers(today)
    }
    paths: list[str] | None = None
    visible = {}
    for pk, section in sections.items():
        if section.school_id not in posted:
            if paths is None:
                paths = list(user.officer_grants.values_list("unit__path", flat=True))
            if not any(section.school.unit_path.startswith(path) for path in paths):
                continue
        visible[pk] = section
    return visible


def sections_by_id(section_ids: Iterable[int]) -> dict[int, Section]:
    """Sections by id with their school and academic year loaded, in one plain query
    (what Section.objects.select_related("school", "academic_year") loads)."""
    ids = sorted(set(section_ids))
    if not ids:
        return {}
    fields = sql.model_fields(Section) + sql.model_fields(School) + sql.model_fields(AcademicYear)
    rows = sql.select(
        f"SELECT {sql.columns(Section, 's')}, {sql.columns(School, 'sc')}, "
        f"{sql.columns(AcademicYear, 'y')} FROM org_section s "
        "JOIN org_school sc ON sc.id = s.school_id "
        "JOIN org_academicyear y ON y.id = s.academic_year_id "
        f"WHERE s.id IN ({sql.placeholders(ids)})",
        ids,
        fields,
    )
    first, second = len(sql.model_fields(Section)), -len(sql.model_fields(AcademicYear))
    found = {}
    for row in rows:
        section = sql.instance(Section, row[:first])
        section.school = sql.instance(School, row[first:second])
        section.academic_year = sql.instance(AcademicYear, row[second:])
        found[section.pk] = section
    return found


def posting_role(  # type: ignore[no-untyped-def]
    user, school: School, day: dt.date, *, postings: list[PostingSpan] | None = None
) -> str | None:
    if postings is not None:
        return _role_of(p.role for p in postings if p.school_id == school.pk and p.covers(day))
    return _role_of(_postings(user, day).filter(school=school).values_list("role", flat=True))


def require_marker(  # type: ignore[no-untyped-def]
    user, school: School, day: dt.date, *, postings: list[PostingSpan] | None = None
) -> str:
    """The user's role if they may mark attendance at this school; else Forbidden.
    `postings` (from postings_of) saves the query when the caller has them."""
    role = posting_role(user, school, day, postings=postings)
    if role is None:
        raise Forbidden(
            f"You are not posted to {school.name} as its head or a teacher; "
            "only its staff can mark its attendance.",
            field="section",
            code="not_marker",
        )
    return role


def require_officer_over(user, school: School) -> None:  # type: ignore[no-untyped-def]
    """Officers whose area contains the school (block officer and above) decide here."""
    paths = list(user.officer_grants.values_list("unit__path", flat=True))
    if not user.is_superuser and not any(school.unit_path.startswith(p) for p in paths):
        raise Forbidden(
            f"Only an officer over {school.name} (block or above) can decide this.",
            field="rollcall",
            code="not_officer",
        )


# How long a child who left a school for none stays on its staff's and officers' lists.
LEFT_FOLLOWED_DAYS = 365


def students_visible_to(user) -> QuerySet[Student]:  # type: ignore[no-untyped-def]
    """Students of the user's schools (staff, officers), their own children (parents),
    or themselves (students)."""
    if not user.is_authenticated:
        return Student.objects.none()
    if user.is_superuser:
        return Student.objects.all()
    # Staff and officers see the students on the roll of their schools now, not every
    # child who ever passed through them; parents their children; students themselves.
    # A child who left one of their schools in the last LEFT_FOLLOWED_DAYS and is on no
    # school's roll now (dropped out, migrated out of the state) stays theirs to follow
    # up (SPEC §1.7); one who joined another school is that school's.
    today = timezone.localdate()
    schools = schools_visible_to(user)
    on_roll = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    condition = Q(
        Q(enrolments__ends_on__isnull=True) | Q(enrolments__ends_on__gte=today),
        enrolments__school__in=schools,
    )
    condition |= Q(
        ~Exists(Enrolment.objects.filter(on_roll, student=OuterRef("pk"))),
        enrolments__school__in=schools,
        enrolments__ends_on__gte=today - dt.timedelta(days=LEFT_FOLLOWED_DAYS),
    )
    condition |= Q(guardians__user=user) | Q(user=user)
    return Student.objects.filter(condition).distinct()


def is_family(user, student: Student) -> bool:  # type: ignore[no-untyped-def]
    """The student or one of their guardians: they see the whole history."""
    return student.user_id == user.pk or student.guardians.filter(user=user).exists()


def student_visible(user, student_id: int) -> Student:  # type: ignore[no-untyped-def]
    student = students_visible_to(user).filter(pk=student_id).first()
    if student is None:
        raise NotFound(f"No student {student_id} that you may see.", field="student")
    return student


def unit_visible(user, unit_id: int | None) -> OrgUnit:  # type: ignore[no-untyped-def]
    """An org unit inside the officer's jurisdiction; without an id, their own top unit."""
    grants = list(user.officer_grants.select_related("unit").order_by("unit__depth"))
    if unit_id is None:
        if grants:
            return grants[0].unit
        if user.is_superuser:
            root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
            if root is not None:
                return root
        raise NotFound("You have no area: dashboards are for officers.", field="unit")
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or not (
        user.is_superuser or any(unit.path.startswith(g.unit.path) for g in grants)
    ):
        raise NotFound(f"No unit {unit_id} in your area.", field="unit")
    return unit
