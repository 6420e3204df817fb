"""The authorization matrix's rows: for every API operation and page, who may use it on
an object of the test world and what each role gets (test_authorization_matrix.py)."""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hazri.org.models import Section
from hazri.people.models import Posting
from hazri.people.selectors import section_roll
from hazri.testing.world import SCHOOL_DAY

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
    # Photo attendance (hazri.faces): the student's consent and a reference face, and
    # a set of the section's photos proposed for review, with one face found in it.
    consent: int = 0
    reference: int = 0
    photo_set: int = 0
    face: int = 0
    # The journal (hazri.journal): Mathematics of the section, the term SCHOOL_DAY is in,
    # a kind of work, the student's grade (its work UUID), a concern held for review,
    # and a homework file.
    subject: int = 0
    term: int = 0
    kind: int = 0
    work: str = ""
    remark: int = 0
    attachment: int = 0
    # The diary (hazri.journal): an absence the student's family told in advance.
    notice: int = 0
    # The journal's set-up (hazri.journal; its subject and term are the journal's
    # above): a change to a day's timetable, the section's class-teacher assignment,
    # and the school's head.
    change: int = 0
    assignment: int = 0
    staff: int = 0
    # Personal invitations (hazri.signon): one for the student, live.
    invitation: int = 0
    # Messages (hazri.messaging): a thread about the student with the class teacher
    # (the head, outside), its first message (by the guardian; the head, outside) with a
    # file, and the class teacher's notice to the section.
    thread: int = 0
    message: int = 0
    message_file: int = 0
    class_notice: int = 0
    # Records (hazri.records): a transfer certificate of the student, issued.
    transfer_certificate: int = 0
    # Report cards (hazri.reportcards): the student's card of the year, issued.
    report_card: int = 0
    # Signed documents (hazri.credentials): a report card issued for the student.
    credential: int = 0
    # Online admission (hazri.admissions): an application held by the school.
    application: int = 0
    # Support (hazri.support): a ticket at the school's level raised by the class
    # teacher (the head, outside), with a file.
    ticket: int = 0
    ticket_file: int = 0
    # OneRoster (hazri.interop): an export of the school asked for by its head, running.
    exchange: int = 0


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


def photo_set_body(p: Place) -> dict[str, Any]:
    return {
        "client_uuid": str(uuid.uuid4()),
        "section": p.section,
        "day": SCHOOL_DAY.isoformat(),
        "meeting": 1,
        "device_clock": NOW.isoformat(),
        "photos": [{"size": 1000, "sha256": "a" * 64, "captured_at": NOW.isoformat()}],
    }


API = "/api/v1"
SCHOOL_DAY_Q = {"day": SCHOOL_DAY.isoformat()}
MONTH_Q = {"month": "2026-11"}
MARKERS = {"head": 201, "class_teacher": 201, "subject_teacher": 201}
PAGE_MARKERS = {"head": 200, "class_teacher": 200, "subject_teacher": 200}
# The dashboards' area is the world's block: the cluster officer's area is below it.
DASHBOARD = {**each(OFFICERS - {"cluster_officer"} | {"superuser"}, 200)}
# Who records consent and reference faces: the head and administrator, and teachers
# who may mark the student's section (this world's policy: any teacher of the school).
FACE_MANAGERS = {"head", "school_admin", "class_teacher", "subject_teacher"}
# Who sets up the journal: the head and the school administrator (and the superuser).
SETS_UP = {"superuser", "head", "school_admin"}

RULES: dict[str, Rule] = {
    # --- API ------------------------------------------------------------------------
    "GET /api/v1/me": Rule("GET", lambda p: f"{API}/me", each(SIGNED_IN, 200), outside=None),
    "POST /api/v1/auth/token": Rule(
        "POST",
        lambda p: f"{API}/auth/token",
        {},
        denied=403,  # wrong credentials, whoever asks
        # A username of its own each time: 13 tries of one would lock it (429).
        body=lambda p: {"username": f"nobody-{uuid.uuid4().hex[:8]}", "password": "wrong"},
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
    # Everyone signed in gets their queue: empty for those who decide nothing.
    "GET /api/v1/approvals": Rule(
        "GET", lambda p: f"{API}/approvals", each(SIGNED_IN, 200), outside=None
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
    # --- Photo attendance -----------------------------------------------------------
    "GET /api/v1/students/{student_id}/faces": Rule(
        "GET", lambda p: f"{API}/students/{p.student}/faces", each(SEES_SCHOOL | FAMILY, 200)
    ),
    # Zoya's consent is recorded already: those who may record one get past the
    # permission check to "already recorded" (409).
    "POST /api/v1/faces/consents": Rule(
        "POST",
        lambda p: f"{API}/faces/consents",
        {**each(FACE_MANAGERS, 409), "parent": 409, "student": 403},
        denied=403,
        body=lambda p: {
            "student": p.student,
            "given_by": "Imran Khan",
            "method": "form",
            "reference": "F-2",
        },
    ),
    "POST /api/v1/faces/consents/{consent_id}/withdraw": Rule(
        "POST",
        lambda p: f"{API}/faces/consents/{p.consent}/withdraw",
        {**each(FACE_MANAGERS, 200), "parent": 200, "student": 403},
        denied=403,
        body=lambda p: {"note": "Asked by the family"},
    ),
    # The body is not a photo: those allowed get past the permission check to 422.
    "POST /api/v1/students/{student_id}/references": Rule(
        "POST",
        lambda p: f"{API}/students/{p.student}/references",
        {**each(FACE_MANAGERS, 422), **each(FAMILY, 403)},
        denied=403,
        body=lambda p: {},
    ),
    "DELETE /api/v1/faces/references/{reference_id}": Rule(
        "DELETE",
        lambda p: f"{API}/faces/references/{p.reference}",
        {**each(FACE_MANAGERS, 204), **each(FAMILY, 403)},
        denied=403,
    ),
    "POST /api/v1/photo-sets": Rule(
        "POST", lambda p: f"{API}/photo-sets", MARKERS, denied=403, body=photo_set_body
    ),
    "GET /api/v1/photo-sets/{set_id}": Rule(
        "GET", lambda p: f"{API}/photo-sets/{p.photo_set}", each(SEES_SCHOOL, 200)
    ),
    # The set is complete: a chunk is past the permission check and changes nothing.
    "PUT /api/v1/photo-sets/{set_id}/photos/{index}": Rule(
        "PUT",
        lambda p: f"{API}/photo-sets/{p.photo_set}/photos/0",
        each(set(MARKERS), 200),
        denied=403,
        body=lambda p: {},
    ),
    "GET /api/v1/photo-sets/{set_id}/proposal": Rule(
        "GET", lambda p: f"{API}/photo-sets/{p.photo_set}/proposal", each(SEES_SCHOOL, 200)
    ),
    "POST /api/v1/photo-sets/{set_id}/review": Rule(
        "POST",
        lambda p: f"{API}/photo-sets/{p.photo_set}/review",
        MARKERS,
        denied=403,
        body=lambda p: {"marks": marks(p.section)},
    ),
}


def _dashboard(name: str) -> Rule:
    return Rule("GET", lambda p: f"{API}/dashboards/{name}?unit={p.unit}", {**DASHBOARD})


for _name in [
    "adoption",
    "area",
    "compliance",
    "compliance/areas",
    "learning",
    "low-attendance/schools",
    "low-attendance/students",
    "meals",
    "photos",
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
    # Everyone sees their own sign-ins, and no one else's.
    "signins": _page(lambda p: "/accounts/signins/", each(SIGNED_IN, 200), outside=None),
    # Staff of one school go straight to it, officers to their dashboard, a family to its page.
    "home": _page(lambda p: "/", each(SIGNED_IN, 302), outside=None),
    "school_day": _page(lambda p: f"/schools/{p.school}/", each(SEES_SCHOOL, 200)),
    "staff_mark": _page(lambda p: f"/schools/{p.school}/staff/", PAGE_MARKERS, denied=403),
    "staff_history": _page(
        lambda p: f"/schools/{p.school}/staff/history/?day=2026-11-18", each(SEES_SCHOOL, 200)
    ),
    "section_mark": _page(lambda p: f"/sections/{p.section}/mark/", PAGE_MARKERS, denied=403),
    "section_history": _page(
        lambda p: f"/sections/{p.section}/history/?day=2026-11-18&meeting=1", each(SEES_SCHOOL, 200)
    ),
    # The queue page: each user's own queue (empty where they decide nothing).
    "approvals": _page(lambda p: "/approvals/", each(SIGNED_IN, 200), outside=None),
    # A family's page takes no id: each user sees their own (none for staff).
    "family": _page(lambda p: "/family/", each(SIGNED_IN, 200), outside=None),
    "section_register": _page(
        lambda p: f"/sections/{p.section}/register/?month=2026-11", each(SEES_SCHOOL, 200)
    ),
    "section_register_pdf": _page(
        lambda p: f"/sections/{p.section}/register.pdf?month=2026-11", each(SEES_SCHOOL, 200)
    ),
    "section_register_xlsx": _page(
        lambda p: f"/sections/{p.section}/register.xlsx?month=2026-11", each(SEES_SCHOOL, 200)
    ),
    "faces_section_photos": _page(
        lambda p: f"/sections/{p.section}/photos/?day=2026-11-18", PAGE_MARKERS, denied=403
    ),
    "faces_section": _page(lambda p: f"/sections/{p.section}/faces/", each(SEES_SCHOOL, 200)),
    "faces_student": _page(
        lambda p: f"/students/{p.student}/faces/", each(SEES_SCHOOL | FAMILY, 200)
    ),
    "faces_review": _page(lambda p: f"/photo-sets/{p.photo_set}/", each(SEES_SCHOOL, 200)),
    # Face images: to those who see the section (a family sees its own child's references).
    "faces_seen_crop": _page(lambda p: f"/faces/seen/{p.face}.jpg", each(SEES_SCHOOL, 200)),
    "faces_reference_crop": _page(
        lambda p: f"/faces/references/{p.reference}.jpg", each(SEES_SCHOOL | FAMILY, 200)
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
    "dashboard_photos": _page(lambda p: f"/dashboard/photos/?unit={p.unit}", {**DASHBOARD}),
    "dashboard_learning": _page(lambda p: f"/dashboard/learning/?unit={p.unit}", {**DASHBOARD}),
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
