"""The authorization matrix: every endpoint × every role × an object inside and one
outside the role's scope, with the answer each must get.

The endpoints come from the URL list and the API's OpenAPI document, so a new page or
operation without a row in RULES fails `test_every_endpoint_has_a_rule`. Each row
says which roles may use the endpoint on an object of the test world (the school,
section and pupil of head Ravi, teacher Asha, block officer Meera and parent Imran);
the same request on an object of another state must get the "not yours" answer, the
same 404 as an id that does not exist. Writes run in a savepoint that is rolled back,
so every role meets the same world.
"""

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from config.api import api
from hazri.accounts.models import OfficerGrant, User
from hazri.attendance.models import RollCall
from hazri.attendance.services import Capture, rollcall_submit
from hazri.org.models import AcademicYear, Section, Subject
from hazri.org.services import orgunit_create, school_create
from hazri.people.models import (
    Admission,
    Enrolment,
    Guardianship,
    Posting,
    Staff,
    Student,
    TeachingAssignment,
)
from hazri.people.selectors import section_roll
from hazri.testing.world import PASSWORD, SCHOOL_DAY, World, build_world

ROLES = [
    "anonymous",
    "superuser",
    "state_officer",
    "district_officer",
    "block_officer",
    "cluster_officer",
    "head",
    "school_admin",
    "class_teacher",
    "subject_teacher",
    "other_staff",
    "parent",
    "student",
]
OFFICERS = {"state_officer", "district_officer", "block_officer", "cluster_officer"}
TEACHERS = {"class_teacher", "subject_teacher"}
STAFF = {"head", "school_admin", *TEACHERS, "other_staff"}
SEES_SCHOOL = {"superuser", *OFFICERS, *STAFF}
FAMILY = {"parent", "student"}
SIGNED_IN = set(ROLES) - {"anonymous"}
NOW = dt.datetime(2026, 11, 18, 10, 50, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))


@dataclass
class Place:
    """The objects a request names: the world's own (inside) or another state's."""

    school: int
    section: int
    student: int
    rollcall: int
    unit: int
    staff: int


@dataclass
class Rule:
    """Who may use an endpoint on an object inside their scope, and what they get."""

    method: str
    path: Callable[[Place], str]
    allowed: dict[str, int]  # role -> the answer inside the scope
    denied: int = 404  # every other signed-in role, inside the scope
    body: Callable[[Place], Any] | None = None
    outside: int | None = 404  # a signed-in role on another state's object (None: same as inside)
    anonymous: int = 401
    query: dict[str, str] = field(default_factory=dict)

    def expected(self, role: str, inside: bool) -> int:
        if role == "anonymous":
            return self.anonymous
        if not inside and role != "superuser" and self.outside is not None:
            return self.outside
        if role in FAMILY and role not in self.allowed and self.outside is not None:
            return 404  # a school's records are not a family's to see: not theirs
        return self.allowed.get(role, self.denied)


def each(roles: set[str], status: int) -> dict[str, int]:
    return dict.fromkeys(roles, status)


def marks(section_id: int) -> list[dict[str, Any]]:
    section = Section.objects.get(pk=section_id)
    return [{"student": m.id, "code": "P"} for m in section_roll(section, SCHOOL_DAY)]


def rollcall_body(p: Place) -> dict[str, Any]:
    return {
        "client_uuid": str(uuid.uuid4()),
        "section": p.section,
        "day": SCHOOL_DAY.isoformat(),
        "meeting": 2,
        "captured_at": NOW.isoformat(),
        "marks": marks(p.section),
    }


def staff_rollcall_body(p: Place) -> dict[str, Any]:
    members = Posting.objects.filter(school_id=p.school).values_list("staff_id", flat=True)
    return {
        "client_uuid": str(uuid.uuid4()),
        "school": p.school,
        "day": SCHOOL_DAY.isoformat(),
        "captured_at": NOW.isoformat(),
        "marks": [{"staff": pk, "code": "P"} for pk in sorted(members)],
    }


API = "/api/v1"
SCHOOL_DAY_Q = {"day": SCHOOL_DAY.isoformat()}
MONTH_Q = {"month": "2026-11"}
MARKERS = {"head": 201, "class_teacher": 201, "subject_teacher": 201}
PAGE_MARKERS = {"head": 200, "class_teacher": 200, "subject_teacher": 200}
# The dashboards' area is the world's block: the cluster officer's area is below it.
DASHBOARD = {**each(OFFICERS - {"cluster_officer"} | {"superuser"}, 200)}

RULES: dict[str, Rule] = {
    # --- API ------------------------------------------------------------------------
    "GET /api/v1/me": Rule("GET", lambda p: f"{API}/me", each(SIGNED_IN, 200), outside=None),
    "POST /api/v1/auth/token": Rule(
        "POST",
        lambda p: f"{API}/auth/token",
        {},
        denied=403,  # wrong credentials, whoever asks
        body=lambda p: {"username": "nobody", "password": "wrong"},
        outside=None,
        anonymous=403,
    ),
    "DELETE /api/v1/auth/token": Rule(
        "DELETE", lambda p: f"{API}/auth/token", each(SIGNED_IN, 204), outside=None
    ),
    "GET /api/v1/schools/{school_id}/day": Rule(
        "GET", lambda p: f"{API}/schools/{p.school}/day", each(SEES_SCHOOL, 200), query=SCHOOL_DAY_Q
    ),
    "GET /api/v1/schools/{school_id}/rosters": Rule(
        "GET",
        lambda p: f"{API}/schools/{p.school}/rosters",
        each(SEES_SCHOOL, 200),
        query=SCHOOL_DAY_Q,
    ),
    "GET /api/v1/schools/{school_id}/staff-rollcall": Rule(
        "GET",
        lambda p: f"{API}/schools/{p.school}/staff-rollcall",
        each(SEES_SCHOOL, 200),
        query=SCHOOL_DAY_Q,
    ),
    "POST /api/v1/schools/{school_id}/meals": Rule(
        "POST",
        lambda p: f"{API}/schools/{p.school}/meals",
        each(set(MARKERS), 200),
        denied=403,
        body=lambda p: {"day": SCHOOL_DAY.isoformat(), "meals_served": 3},
    ),
    "GET /api/v1/sections/{section_id}/rollcall": Rule(
        "GET",
        lambda p: f"{API}/sections/{p.section}/rollcall",
        each(SEES_SCHOOL, 200),
        query={**SCHOOL_DAY_Q, "meeting": "1"},
    ),
    "POST /api/v1/rollcalls": Rule(
        "POST", lambda p: f"{API}/rollcalls", {**MARKERS}, denied=403, body=rollcall_body
    ),
    "POST /api/v1/rollcalls/batch": Rule(
        "POST",
        lambda p: f"{API}/rollcalls/batch",
        each(SIGNED_IN, 200),
        body=lambda p: {"rollcalls": [rollcall_body(p)]},
        outside=None,  # a batch answers 200 and judges each item (checked below)
    ),
    "POST /api/v1/staff-rollcalls": Rule(
        "POST", lambda p: f"{API}/staff-rollcalls", MARKERS, denied=403, body=staff_rollcall_body
    ),
    "GET /api/v1/rollcalls/{rollcall_id}": Rule(
        "GET", lambda p: f"{API}/rollcalls/{p.rollcall}", each(SEES_SCHOOL, 200)
    ),
    "POST /api/v1/rollcalls/{rollcall_id}/decision": Rule(
        "POST",
        lambda p: f"{API}/rollcalls/{p.rollcall}/decision",
        # Nothing waits for a decision in this world: the officers get past the
        # permission check to "nothing to decide" (409); staff are refused.
        {**each(OFFICERS | {"superuser"}, 409)},
        denied=403,
        body=lambda p: {"approve": True},
    ),
    "GET /api/v1/corrections/pending": Rule(
        "GET", lambda p: f"{API}/corrections/pending", each(SIGNED_IN, 200), outside=None
    ),
    "GET /api/v1/sections/{section_id}/register": Rule(
        "GET",
        lambda p: f"{API}/sections/{p.section}/register",
        each(SEES_SCHOOL, 200),
        query=MONTH_Q,
    ),
    "POST /api/v1/sections/{section_id}/register/certify": Rule(
        "POST",
        lambda p: f"{API}/sections/{p.section}/register/certify",
        {"head": 201},
        denied=403,
        body=lambda p: {"month": "2026-10", "checked_by": "Asha Patel"},
    ),
    "PUT /api/v1/sections/{section_id}/exam-results/{student_id}": Rule(
        "PUT",
        lambda p: f"{API}/sections/{p.section}/exam-results/{p.student}",
        each(set(MARKERS), 200),
        denied=403,
        body=lambda p: {"result": "passed", "percentage": 71.5},
    ),
    "GET /api/v1/students/{student_id}/attendance": Rule(
        "GET",
        lambda p: f"{API}/students/{p.student}/attendance",
        each(SEES_SCHOOL | FAMILY, 200),
        query={"start": "2026-11-01", "end": "2026-11-30"},
    ),
    "GET /api/v1/students/{student_id}/fees": Rule(
        "GET", lambda p: f"{API}/students/{p.student}/fees", each(SEES_SCHOOL | FAMILY, 200)
    ),
    "POST /api/v1/students/{student_id}/fees": Rule(
        "POST",
        lambda p: f"{API}/students/{p.student}/fees",
        MARKERS,
        denied=403,
        body=lambda p: {
            "school": p.school,
            "description": "Exam fee",
            "amount": 50,
            "receipt_no": "R-1",
        },
    ),
    "GET /api/v1/students/{student_id}/follow-ups": Rule(
        "GET", lambda p: f"{API}/students/{p.student}/follow-ups", each(SEES_SCHOOL | FAMILY, 200)
    ),
    "POST /api/v1/students/{student_id}/follow-ups": Rule(
        "POST",
        lambda p: f"{API}/students/{p.student}/follow-ups",
        {**each(OFFICERS | {"superuser", "head", "school_admin"}, 201), **each(TEACHERS, 201)},
        denied=403,
        body=lambda p: {"school": p.school, "reason": "illness", "action": "home_visit"},
    ),
    "GET /api/v1/reports/monthly-summary": Rule(
        "GET",
        lambda p: f"{API}/reports/monthly-summary?school={p.school}&month=2026-11",
        each(SEES_SCHOOL, 200),
    ),
    "GET /api/v1/sync/pull": Rule(
        "GET", lambda p: f"{API}/sync/pull", each(SIGNED_IN, 200), outside=None
    ),
}


def _dashboard(name: str, *, allowed: dict[str, int] | None = None) -> Rule:
    return Rule(
        "GET",
        lambda p: f"{API}/dashboards/{name}?unit={p.unit}",
        {**DASHBOARD} if allowed is None else allowed,
    )


for _name in [
    "adoption",
    "area",
    "compliance",
    "compliance/areas",
    "low-attendance/schools",
    "low-attendance/students",
    "meals",
]:
    RULES[f"GET /api/v1/dashboards/{_name}"] = _dashboard(_name)
RULES["GET /api/v1/dashboards/schools/{school_id}"] = Rule(
    "GET", lambda p: f"{API}/dashboards/schools/{p.school}", each(SEES_SCHOOL, 200)
)


def _page(path: Callable[[Place], str], allowed: dict[str, int], **kw: Any) -> Rule:
    return Rule("GET", path, allowed, **{"anonymous": 302, **kw})


PAGES: dict[str, Rule] = {
    "login": _page(lambda p: "/accounts/login/", each(SIGNED_IN, 302), outside=None, anonymous=200),
    "logout": Rule(
        "POST", lambda p: "/accounts/logout/", each(SIGNED_IN, 302), anonymous=302, outside=None
    ),
    "language": Rule(
        "POST",
        lambda p: "/accounts/language/",
        each(SIGNED_IN, 302),
        anonymous=302,
        outside=None,
        body=lambda p: {"language": "hi"},
    ),
    # Staff of one school go straight to it, officers to their dashboard.
    "home": _page(lambda p: "/", each(SIGNED_IN - FAMILY, 302) | each(FAMILY, 200), outside=None),
    "school_day": _page(lambda p: f"/schools/{p.school}/", each(SEES_SCHOOL, 200)),
    "staff_mark": _page(lambda p: f"/schools/{p.school}/staff/", PAGE_MARKERS, denied=403),
    "staff_history": _page(
        lambda p: f"/schools/{p.school}/staff/history/?day=2026-11-18", each(SEES_SCHOOL, 200)
    ),
    "section_mark": _page(lambda p: f"/sections/{p.section}/mark/", PAGE_MARKERS, denied=403),
    "section_history": _page(
        lambda p: f"/sections/{p.section}/history/?day=2026-11-18&meeting=1", each(SEES_SCHOOL, 200)
    ),
    "section_register": _page(
        lambda p: f"/sections/{p.section}/register/?month=2026-11", each(SEES_SCHOOL, 200)
    ),
    "section_register_pdf": _page(
        lambda p: f"/sections/{p.section}/register.pdf?month=2026-11", each(SEES_SCHOOL, 200)
    ),
    "section_register_xlsx": _page(
        lambda p: f"/sections/{p.section}/register.xlsx?month=2026-11", each(SEES_SCHOOL, 200)
    ),
    "dashboard": _page(lambda p: f"/dashboard/?unit={p.unit}", {**DASHBOARD}),
    "dashboard_school": _page(lambda p: f"/dashboard/schools/{p.school}/", each(SEES_SCHOOL, 200)),
    "dashboard_section": _page(
        lambda p: f"/dashboard/sections/{p.section}/", each(SEES_SCHOOL, 200)
    ),
    "dashboard_student": _page(
        # For the school's staff and officers: a family has its own pages.
        lambda p: f"/dashboard/students/{p.student}/",
        each(SEES_SCHOOL, 200),
    ),
    "dashboard_compliance": _page(lambda p: f"/dashboard/compliance/?unit={p.unit}", {**DASHBOARD}),
    "dashboard_low": _page(lambda p: f"/dashboard/low/?unit={p.unit}", {**DASHBOARD}),
    "dashboard_meals": _page(lambda p: f"/dashboard/meals/?unit={p.unit}", {**DASHBOARD}),
    "dashboard_adoption": _page(lambda p: f"/dashboard/adoption/?unit={p.unit}", {**DASHBOARD}),
    # The offline app's shell and assets carry no data: anyone may load them.
    "pwa-app": _page(lambda p: "/app/", each(SIGNED_IN, 200), anonymous=200, outside=None),
    "pwa-worker": _page(lambda p: "/app/sw.js", each(SIGNED_IN, 200), anonymous=200, outside=None),
    "pwa-manifest": _page(
        lambda p: "/app/manifest.webmanifest", each(SIGNED_IN, 200), anonymous=200, outside=None
    ),
    "pwa-asset": _page(
        lambda p: "/app/static/0/nothing.js", {}, denied=404, anonymous=404, outside=None
    ),
}
# Django's own: the admin checks is_staff itself; set_language is the language switch.
NOT_OURS = {"admin", "set_language", "api"}


def _page_names(patterns: list[Any], namespace: str = "") -> list[str]:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or pattern.app_name or ""
            if ns in NOT_OURS:
                continue
            names += _page_names(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name and pattern.name not in NOT_OURS:
            names.append(pattern.name)
    return names


def _operations() -> list[str]:
    schema = api.get_openapi_schema()
    return [f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops]


def test_every_endpoint_has_a_rule() -> None:
    """A new page or API operation must say who may use it."""
    assert sorted(set(_operations()) - set(RULES)) == []
    assert sorted(set(_page_names(get_resolver().url_patterns)) - set(PAGES)) == []
    assert sorted(set(RULES) - set(_operations())) == []
    assert sorted(set(PAGES) - set(_page_names(get_resolver().url_patterns))) == []


# --- The world: a user for every role, and another state's school ----------------------


def _user(name: str, *, superuser: bool = False) -> User:
    if superuser:
        return User.objects.create_superuser(name, password=PASSWORD)
    return User.objects.create_user(name, password=PASSWORD)


def _posted(world: World, name: str, role: str, code: str) -> tuple[User, Staff]:
    user = _user(name)
    staff = Staff.objects.create(employee_code=code, name=name, gender="F", user=user)
    Posting.objects.create(
        staff=staff, school=world.school, role=role, starts_on=dt.date(2026, 4, 1)
    )
    return user, staff


def _outside(world: World) -> Place:
    """A school, section, pupil and roll call in another state: nobody's but the superuser's."""
    state = orgunit_create(parent=None, kind="state", code="RJ", name="Rajasthan")
    school = school_create(unit=state, code="08000000001", name="GPS Bikaner")
    year = AcademicYear.objects.create(
        unit=state, name="2026-27", starts_on=dt.date(2026, 4, 1), ends_on=world.year.ends_on
    )
    section = Section.objects.create(school=school, academic_year=year, grade=4, name="A")
    student = Student.objects.create(name="Lakshmi", gender="F")
    admission = Admission.objects.create(
        school=school, student=student, admission_no="1", admitted_on=dt.date(2026, 4, 1)
    )
    Enrolment.objects.create(
        school=school,
        section=section,
        student=student,
        admission=admission,
        origin="new",
        starts_on=dt.date(2026, 4, 1),
    )
    head = _user("bhanu")
    staff = Staff.objects.create(employee_code="RJ001", name="Bhanu", gender="M", user=head)
    Posting.objects.create(staff=staff, school=school, role="head", starts_on=dt.date(2026, 4, 1))
    return Place(
        school=school.pk,
        section=section.pk,
        student=student.pk,
        rollcall=_rollcall(section, head),
        unit=state.pk,
        staff=staff.pk,
    )


def _rollcall(section: Section, by: User) -> int:
    roll = section_roll(section, SCHOOL_DAY)
    submitted = rollcall_submit(
        section=section,
        day=SCHOOL_DAY,
        meeting=1,
        marks=[(m.id, "P") for m in roll],
        capture=Capture(client_uuid=uuid.uuid4(), captured_at=NOW, device_clock=None),
        by=by,
        now=NOW,
    )
    return submitted.sheet.pk


@pytest.fixture
def matrix(db: None) -> tuple[dict[str, User | None], Place, Place]:
    with time_machine.travel(NOW, tick=False):
        world = build_world()
        users: dict[str, User | None] = {
            "anonymous": None,
            "superuser": _user("root", superuser=True),
            "block_officer": world.meera,
            "head": world.ravi,
            "class_teacher": world.asha,
            "parent": world.imran,
        }
        for role, unit in [
            ("state_officer", world.state),
            ("district_officer", world.district),
            ("cluster_officer", world.cluster),
        ]:
            users[role] = _user(role)
            OfficerGrant.objects.create(user=users[role], unit=unit, title=role)
        users["school_admin"], _ = _posted(world, "anil", Posting.Role.ADMIN, "EMP010")
        users["other_staff"], _ = _posted(world, "gita", Posting.Role.OTHER, "EMP011")
        users["subject_teacher"], farah = _posted(world, "farah", Posting.Role.TEACHER, "EMP012")
        maths = Subject.objects.create(school=world.school, code="MATH", name="Mathematics")
        asha = Staff.objects.get(user=world.asha)
        for staff, subject in [(asha, None), (farah, maths)]:
            TeachingAssignment.objects.create(
                school=world.school,
                staff=staff,
                section=world.section,
                subject=subject,
                starts_on=dt.date(2026, 4, 1),
            )
        zoya = world.students[1]  # Imran's daughter
        users["student"] = _user("zoya")
        zoya.user = users["student"]
        zoya.save(update_fields=["user"])
        inside = Place(
            school=world.school.pk,
            section=world.section.pk,
            student=zoya.pk,
            rollcall=_rollcall(world.section, world.asha),
            unit=world.block.pk,
            staff=asha.pk,
        )
        outside = _outside(world)
        assert Guardianship.objects.filter(student=zoya, guardian__user=world.imran).exists()
        assert RollCall.objects.count() == 2
    return users, inside, outside


@contextmanager
def rolled_back() -> Iterator[None]:
    """A savepoint rolled back after the request, so every role meets the same world.
    The services are durable (the outer transaction); Django lets them run inside a
    test case's own atomic blocks, which it marks `_from_testcase`, and this block is
    one of those in spirit: it only exists to undo the test's request."""
    block = transaction.atomic()
    block.__enter__()
    connection.atomic_blocks[-1]._from_testcase = True
    try:
        yield
    finally:
        transaction.set_rollback(True)
        block.__exit__(None, None, None)


def _request(client: Client, rule: Rule, place: Place) -> tuple[int, str]:
    path = rule.path(place)
    kwargs: dict[str, Any] = {}
    if rule.body is not None:
        body = rule.body(place)
        if path.startswith(API):
            kwargs = {"data": json.dumps(body), "content_type": "application/json"}
        else:
            kwargs = {"data": body}
    call = getattr(client, rule.method.lower())
    response = (
        call(path, rule.query or None, **kwargs) if rule.method == "GET" else call(path, **kwargs)
    )
    text = (
        ""
        if getattr(response, "streaming", False)
        else response.content[:160].decode(errors="replace")
    )
    return int(response.status_code), text


ALL = {**dict(RULES.items()), **{f"page:{k}": v for k, v in PAGES.items()}}


@pytest.mark.parametrize("endpoint", sorted(ALL))
def test_matrix(endpoint: str, matrix: tuple[dict[str, User | None], Place, Place]) -> None:
    users, inside, outside = matrix
    rule = ALL[endpoint]
    wrong = []
    with time_machine.travel(NOW, tick=False):
        for role in ROLES:
            for is_inside, place in [(True, inside), (False, outside)]:
                client = Client()
                user = users[role]
                if user is not None:
                    client.force_login(user)
                with rolled_back():
                    got, text = _request(client, rule, place)
                want = rule.expected(role, is_inside)
                if got != want:
                    where = "inside" if is_inside else "outside"
                    wrong.append(f"{role} {where}: {got}, want {want} {text if got >= 400 else ''}")
    assert not wrong, "\n".join(wrong)
