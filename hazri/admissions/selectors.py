"""Reading applications: a family's own, a school's queue with its seats, one
application for whoever may see it. "Not yours" and "does not exist" are one 404."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from hazri.accounts.access import Action, Actor, require, restrict
from hazri.admissions import rules
from hazri.admissions.models import (
    OPEN_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Preference,
    SeatPlan,
)
from hazri.admissions.services.applications import Family
from hazri.common.errors import NotFound
from hazri.org.models import AcademicYear, School, Section
from hazri.org.selectors import school_today, tree_today
from hazri.people.models import Enrolment

S = Application.Status


def applications_of_family(family: Family) -> QuerySet[Application]:
    """The family's applications: those the signed-in user made, or those made with the
    verified phone number."""
    query = Q(pk__in=[])
    if family.signed_in is not None:
        query |= Q(applicant=family.signed_in)
    if family.phone:
        query |= Q(verified_phone=family.phone)
    return (
        Application.objects.filter(query)
        .select_related("school", "academic_year")
        .order_by("-created_at", "-pk")
    )


def application_of_family(family: Family, application_id: int) -> Application:
    found = applications_of_family(family).filter(pk=application_id).first()
    if found is None:
        raise NotFound(f"No application {application_id} of yours.", field="application")
    return found


def applications_for_school(actor: Actor) -> QuerySet[Application]:
    """Applications in the queues of the schools where the user admits."""
    return restrict(Application.objects.all(), actor, Action.ADMIT)


def application_for_school(actor: Actor, application_id: int) -> Application:
    return require(
        Application.objects.select_related("school", "academic_year"),
        actor,
        Action.ADMIT,
        application_id,
        field="application",
        noun="application",
    )


def school_for_admissions(actor: Actor, school_id: int) -> School:
    return require(
        School.objects.all(), actor, Action.ADMIT, school_id, field="school", noun="school"
    )


def events(application: Application) -> list[ApplicationEvent]:
    return list(application.events.select_related("school", "by").order_by("at", "pk"))


def preferences(application: Application) -> list[Preference]:
    return list(application.preferences.select_related("school").order_by("rank"))


def documents(application: Application) -> list[ApplicationDocument]:
    return list(application.documents.defer("data").order_by("kind"))


def document(application: Application, kind: str) -> ApplicationDocument:
    found = application.documents.filter(kind=kind).first()
    if found is None:
        raise NotFound(f"No {kind} with this application.", field="kind")
    return found


@dataclass(frozen=True)
class ClassSeats:
    grade: int
    seats: int | None  # None: no plan set
    on_roll: int  # on the roll now (not through an application admitted this year)
    admitted: int  # admitted through applications this year
    waiting: int  # open applications in the queue
    left: int | None


def seats(school: School, year: AcademicYear, grade: int | None = None) -> list[ClassSeats]:
    """Seats per class of the school in the year: the plan, the roll, the admitted and
    waiting applications, and what is left (seats − on roll − admitted). Four queries."""
    grades = (
        [grade] if grade is not None else list(range(school.lowest_grade, school.highest_grade + 1))
    )
    plans = dict(
        SeatPlan.objects.filter(school=school, academic_year=year, grade__in=grades).values_list(
            "grade", "seats"
        )
    )
    mine = Application.objects.filter(school=school, academic_year=year, grade__in=grades)
    admitted_rows = mine.filter(status=S.ADMITTED).values_list("grade", "admission_id")
    admitted: dict[int, int] = {}
    through_applications = set()
    for g, admission in admitted_rows:
        admitted[g] = admitted.get(g, 0) + 1
        through_applications.add(admission)
    today = school_today(school)
    roll = dict(
        Enrolment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            school_id=school.pk,
            section__academic_year=year,
            section__grade__in=grades,
        )
        .exclude(admission_id__in=sorted(through_applications))
        .values("section__grade")
        .annotate(n=Count("student_id", distinct=True))
        .values_list("section__grade", "n")
    )
    waiting = dict(
        mine.filter(status__in=OPEN_STATUSES)
        .values("grade")
        .annotate(n=Count("pk"))
        .values_list("grade", "n")
    )
    return [
        ClassSeats(
            grade=g,
            seats=plans.get(g),
            on_roll=roll.get(g, 0),
            admitted=admitted.get(g, 0),
            waiting=waiting.get(g, 0),
            left=rules.seats_left(plans.get(g), roll.get(g, 0), admitted.get(g, 0)),
        )
        for g in grades
    ]


def queue(
    school: School, year: AcademicYear, *, grade: int | None = None, status: str = ""
) -> list[Application]:
    """The school's applications for the year, open ones first, oldest first."""
    found = Application.objects.filter(school=school, academic_year=year)
    if grade is not None:
        found = found.filter(grade=grade)
    if status:
        found = found.filter(status=status)
    rows = list(found.order_by("submitted_on", "created_at", "pk"))
    return sorted(rows, key=lambda a: a.status not in OPEN_STATUSES)


def years_for(school: School) -> list[AcademicYear]:
    """The academic years of the school's state, newest first."""
    path_ids = [int(part) for part in school.unit_path.strip("/").split("/") if part]
    return list(AcademicYear.objects.filter(unit_id__in=path_ids).order_by("-starts_on"))


def year_for(school: School, year_id: int | None) -> AcademicYear:
    """The year named (one of the school's), or the latest that has not ended."""
    years = years_for(school)
    if year_id is not None:
        for year in years:
            if year.pk == year_id:
                return year
        raise NotFound(f"No academic year {year_id} at {school.name}.", field="academic_year")
    today = school_today(school)
    running = [y for y in years if y.contains(today)]
    if running:
        return running[0]
    upcoming = [y for y in years if y.starts_on > today]
    if upcoming:
        return upcoming[-1]  # newest first: the last is the soonest
    if years:
        return years[0]
    raise NotFound(f"No academic year at {school.name}.", field="academic_year")


def sections_for(application: Application) -> list[Section]:
    """The sections the school may admit the child to: its class in the year."""
    return list(
        Section.objects.filter(
            school_id=application.school_id,
            academic_year_id=application.academic_year_id,
            grade=application.grade,
        ).order_by("name")
    )


def schools_to_apply(query: str = "", limit: int = 50) -> list[School]:
    """Schools a family may name (by name or UDISE code), for the application form."""
    found = School.objects.all()
    query = " ".join(query.split())
    if query:
        found = found.filter(
            Q(name__icontains=query) | Q(name_local__icontains=query) | Q(code=query)
        )
    return list(found.order_by("name", "pk")[:limit])


def open_years(today: dt.date | None = None) -> list[AcademicYear]:
    """The academic years a family may apply for: not ended yet."""
    return list(
        AcademicYear.objects.filter(ends_on__gte=today or tree_today()).order_by("starts_on")
    )


def family_visible(
    family: Family | None, actor: Actor, application_id: int
) -> tuple[Application, str]:
    """The application for its family ("family") or its school ("school")."""
    if family is not None:
        found = applications_of_family(family).filter(pk=application_id).first()
        if found is not None:
            return found, "family"
    return application_for_school(actor, application_id), "school"


def actor_label(event: ApplicationEvent) -> str:
    by: Any = event.by
    if by is not None:
        return str(by.get_full_name() or by.get_username())
    return event.by_phone
