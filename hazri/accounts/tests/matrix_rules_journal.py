"""The authorization matrix's rows for the journal and the diary (hazri.journal): its
set-up, the teacher's journal and the pages of both (test_authorization_matrix.py joins
them to matrix_rules.RULES and PAGES)."""

import uuid
from collections.abc import Callable
from typing import Any

from hazri.testing.world import SCHOOL_DAY

from .matrix_rules import (
    API,
    FAMILY,
    SCHOOL_DAY_Q,
    SEES_SCHOOL,
    SETS_UP,
    SIGNED_IN,
    Place,
    Rule,
    _page,
    each,
)

# The diary: a guardian signs the week and tells absences; the student reads only. The
# class teacher (and the head) see who signed.
GUARDIAN_WRITES = {"parent": 201, "student": 403}
DIARY_SIGNATURES = {"head": 200, "class_teacher": 200, "superuser": 200}

RULES: dict[str, Rule] = {
    # --- The diary ------------------------------------------------------------------
    "GET /api/v1/diary": Rule("GET", lambda p: f"{API}/diary", each(SIGNED_IN, 200), outside=None),
    "GET /api/v1/students/{student_id}/diary": Rule(
        "GET",
        lambda p: f"{API}/students/{p.student}/diary",
        each(SEES_SCHOOL | FAMILY, 200),
        query=SCHOOL_DAY_Q,
    ),
    # Only a guardian signs; the student and the school read it.
    "POST /api/v1/students/{student_id}/diary/acknowledgement": Rule(
        "POST",
        lambda p: f"{API}/students/{p.student}/diary/acknowledgement",
        GUARDIAN_WRITES,
        denied=403,
        body=lambda p: {"week": SCHOOL_DAY.isoformat()},
    ),
    "GET /api/v1/sections/{section_id}/acknowledgements": Rule(
        "GET",
        lambda p: f"{API}/sections/{p.section}/acknowledgements",
        DIARY_SIGNATURES,
        denied=403,
        query={"week": SCHOOL_DAY.isoformat()},
    ),
    "GET /api/v1/students/{student_id}/absence-notices": Rule(
        "GET",
        lambda p: f"{API}/students/{p.student}/absence-notices",
        each(SEES_SCHOOL | FAMILY, 200),
    ),
    "POST /api/v1/students/{student_id}/absence-notices": Rule(
        "POST",
        lambda p: f"{API}/students/{p.student}/absence-notices",
        GUARDIAN_WRITES,
        denied=403,
        body=lambda p: {"starts_on": "2026-11-20", "ends_on": "2026-11-20", "reason": "Fever"},
    ),
    "POST /api/v1/absence-notices/{notice_id}/withdraw": Rule(
        "POST",
        lambda p: f"{API}/absence-notices/{p.notice}/withdraw",
        {**GUARDIAN_WRITES, "parent": 200},
        denied=403,
    ),
    "GET /api/v1/schools/{school_id}/meetings": Rule(
        "GET", lambda p: f"{API}/schools/{p.school}/meetings", each(SEES_SCHOOL, 200)
    ),
    "POST /api/v1/schools/{school_id}/meetings": Rule(
        "POST",
        lambda p: f"{API}/schools/{p.school}/meetings",
        {"head": 201},
        denied=403,
        body=lambda p: {
            "section": p.section,
            "starts_at": "2026-11-20T15:00:00+05:30",
            "title": "Parents' meeting",
        },
    ),
}
PAGES: dict[str, Rule] = {
    # The diary: a family's own page takes no id; one child's to those who see them.
    "diary": _page(lambda p: "/diary/", each(SIGNED_IN, 200), outside=None),
    "diary_student": _page(
        lambda p: f"/diary/students/{p.student}/?week=2026-11-18", each(SEES_SCHOOL | FAMILY, 200)
    ),
    "diary_acknowledge": Rule(
        "POST",
        lambda p: f"/diary/students/{p.student}/acknowledge/",
        {"parent": 302, "student": 403},
        denied=403,
        anonymous=302,
        body=lambda p: {"week": "2026-11-18"},
    ),
    "diary_notices": _page(
        lambda p: f"/diary/students/{p.student}/absences/", each(SEES_SCHOOL | FAMILY, 200)
    ),
    "diary_notice_withdraw": Rule(
        "POST",
        lambda p: f"/diary/notices/{p.notice}/withdraw/",
        {"parent": 302, "student": 403},
        denied=403,
        anonymous=302,
    ),
    "section_acknowledgements": _page(
        lambda p: f"/journal/sections/{p.section}/acknowledgements/?week=2026-11-18",
        DIARY_SIGNATURES,
        denied=403,
    ),
    # The journal's set-up: the school's staff and the officers over it see it.
    "journal_setup": _page(lambda p: f"/schools/{p.school}/journal-setup/", each(SEES_SCHOOL, 200)),
    "journal_timetable": _page(
        lambda p: f"/sections/{p.section}/timetable/?week=2026-11-18", each(SEES_SCHOOL, 200)
    ),
}

# --- The teacher's journal ---------------------------------------------------------------
# Its teachers of the subject and the head keep it; the class teacher reads the whole
# class; a family reaches none of it here (the diary is theirs).
GRADERS = {"head": 201, "subject_teacher": 201}
READERS = {"head": 200, "class_teacher": 200, "subject_teacher": 200}
REVIEWERS = {"head": 200, "class_teacher": 200}
J = f"{API}/journal"


def _lesson_key(p: Place) -> dict[str, Any]:
    return {"section": p.section, "day": SCHOOL_DAY.isoformat(), "period": 1}


def _new(p: Place) -> dict[str, Any]:
    return {"client_uuid": str(uuid.uuid4()), **_lesson_key(p)}


RULES.update(
    {
        "GET /api/v1/journal/today": Rule(
            "GET", lambda p: f"{J}/today", each(SIGNED_IN, 200), outside=None, query=SCHOOL_DAY_Q
        ),
        "GET /api/v1/journal/sections/{section_id}/lessons/{day}/{period}": Rule(
            "GET", lambda p: f"{J}/sections/{p.section}/lessons/{SCHOOL_DAY}/1", READERS, denied=403
        ),
        "GET /api/v1/journal/sections/{section_id}/subjects/{subject_id}/sheet": Rule(
            "GET",
            lambda p: f"{J}/sections/{p.section}/subjects/{p.subject}/sheet",
            READERS,
            denied=403,
        ),
        "GET /api/v1/journal/sections/{section_id}/class": Rule(
            "GET", lambda p: f"{J}/sections/{p.section}/class", REVIEWERS, denied=403
        ),
        "GET /api/v1/journal/grades/{work}": Rule(
            "GET", lambda p: f"{J}/grades/{p.work}", each(SEES_SCHOOL | FAMILY, 200)
        ),
        "POST /api/v1/journal/lessons": Rule(
            "POST",
            lambda p: f"{J}/lessons",
            GRADERS,
            denied=403,
            body=lambda p: {**_new(p), "topic": "Fractions"},
        ),
        "POST /api/v1/journal/homework": Rule(
            "POST",
            lambda p: f"{J}/homework",
            GRADERS,
            denied=403,
            body=lambda p: {**_new(p), "text": "Page 12", "due_on": "2026-11-20"},
        ),
        "POST /api/v1/journal/grades": Rule(
            "POST",
            lambda p: f"{J}/grades",
            GRADERS,
            denied=403,
            body=lambda p: {
                **_new(p),
                "subject": p.subject,
                "student": p.student,
                "kind": p.kind,
                "value": "5",
            },
        ),
        # The family sees the grade (its child's) but changes nothing: 403.
        "POST /api/v1/journal/grades/{work}/versions": Rule(
            "POST",
            lambda p: f"{J}/grades/{p.work}/versions",
            {**GRADERS, **each(FAMILY, 403)},
            denied=403,
            body=lambda p: {"client_uuid": str(uuid.uuid4()), "value": "5", "reason": "Re-checked"},
        ),
        "POST /api/v1/journal/term-grades": Rule(
            "POST",
            lambda p: f"{J}/term-grades",
            GRADERS,
            denied=403,
            body=lambda p: {
                "section": p.section,
                "subject": p.subject,
                "student": p.student,
                "term": p.term,
                "value": "4",
            },
        ),
        "POST /api/v1/journal/remarks": Rule(
            "POST",
            lambda p: f"{J}/remarks",
            GRADERS,
            denied=403,
            body=lambda p: {
                "client_uuid": str(uuid.uuid4()),
                "section": p.section,
                "subject": p.subject,
                "student": p.student,
                "day": SCHOOL_DAY.isoformat(),
                "kind": "praise",
                "text": "Neat work",
            },
        ),
        # The concern is held: the family does not see it (404), staff see it and only
        # the class teacher and the head decide.
        "POST /api/v1/journal/remarks/{remark_id}/review": Rule(
            "POST",
            lambda p: f"{J}/remarks/{p.remark}/review",
            REVIEWERS,
            denied=403,
            body=lambda p: {"release": True, "note": "Spoke to the parent"},
        ),
    }
)


def _setup(method: str, path: Callable[[Place], str], status: int, **kw: Any) -> Rule:
    """A journal set-up write: those who set up get `status`, other staff and officers 403."""
    return Rule(method, path, each(SETS_UP, status), denied=403, **kw)


# --- The journal's set-up -----------------------------------------------------------------
RULES |= {
    "GET /api/v1/schools/{school_id}/journal-setup": Rule(
        "GET", lambda p: f"{API}/schools/{p.school}/journal-setup", each(SEES_SCHOOL, 200)
    ),
    "POST /api/v1/schools/{school_id}/subjects": _setup(
        "POST",
        lambda p: f"{API}/schools/{p.school}/subjects",
        201,
        body=lambda p: {"code": "SCI", "name": "Science"},
    ),
    "PUT /api/v1/subjects/{subject_id}": _setup(
        "PUT", lambda p: f"{API}/subjects/{p.subject}", 200, body=lambda p: {"name": "EVS"}
    ),
    # The world's school has given grades on its 5-point scale: those who set up get
    # past the permission check to "it cannot change now" (409).
    "PUT /api/v1/schools/{school_id}/grading-scheme": _setup(
        "PUT",
        lambda p: f"{API}/schools/{p.school}/grading-scheme",
        409,
        body=lambda p: {"scale": "cbse-letters", "kinds": [{"code": "test", "name": "Test"}]},
    ),
    # The world's two terms cover its year: past the permission check to the overlap (409).
    "POST /api/v1/schools/{school_id}/terms": _setup(
        "POST",
        lambda p: f"{API}/schools/{p.school}/terms",
        409,
        body=lambda p: {"name": "Term 3", "starts_on": "2026-10-01", "ends_on": "2026-12-31"},
    ),
    # Closing a term is the head's alone.
    "POST /api/v1/terms/{term_id}/close": Rule(
        "POST", lambda p: f"{API}/terms/{p.term}/close", {"head": 200}, denied=403
    ),
    "PUT /api/v1/schools/{school_id}/periods": _setup(
        "PUT",
        lambda p: f"{API}/schools/{p.school}/periods",
        200,
        body=lambda p: {
            "periods": [
                {"number": 1, "starts_at": "08:00", "ends_at": "08:40"},
                {"number": 2, "starts_at": "08:45", "ends_at": "09:25"},
            ]
        },
    ),
    "GET /api/v1/sections/{section_id}/timetable": Rule(
        "GET",
        lambda p: f"{API}/sections/{p.section}/timetable",
        each(SEES_SCHOOL, 200),
        query={"week": "2026-11-18"},
    ),
    "PUT /api/v1/sections/{section_id}/timetable": _setup(
        "PUT",
        lambda p: f"{API}/sections/{p.section}/timetable",
        200,
        body=lambda p: {
            "starts_on": "2026-11-23",
            "slots": [{"weekday": 3, "period": 1, "subject": p.subject}],
        },
    ),
    "POST /api/v1/sections/{section_id}/timetable-changes": _setup(
        "POST",
        lambda p: f"{API}/sections/{p.section}/timetable-changes",
        201,
        body=lambda p: {"day": "2026-11-18", "period": 1, "kind": "cancelled"},
    ),
    "POST /api/v1/timetable-changes/{change_id}/withdraw": _setup(
        "POST", lambda p: f"{API}/timetable-changes/{p.change}/withdraw", 200
    ),
    "POST /api/v1/sections/{section_id}/teaching-assignments": _setup(
        "POST",
        lambda p: f"{API}/sections/{p.section}/teaching-assignments",
        201,
        body=lambda p: {"staff": p.staff, "subject": p.subject, "starts_on": "2026-11-20"},
    ),
    "POST /api/v1/teaching-assignments/{assignment_id}/end": _setup(
        "POST",
        lambda p: f"{API}/teaching-assignments/{p.assignment}/end",
        200,
        body=lambda p: {"ends_on": "2026-11-30"},
    ),
}


PAGES.update(
    {
        "journal_home": _page(lambda p: "/journal/", each(SIGNED_IN, 200), outside=None),
        "journal_lesson": _page(
            lambda p: f"/journal/sections/{p.section}/lessons/{SCHOOL_DAY}/1/",
            dict.fromkeys(READERS, 200),
            denied=403,
        ),
        "journal_sheet": _page(
            lambda p: f"/journal/sections/{p.section}/subjects/{p.subject}/",
            dict.fromkeys(READERS, 200),
            denied=403,
        ),
        "journal_class": _page(
            lambda p: f"/journal/sections/{p.section}/class/", REVIEWERS, denied=403
        ),
        # A homework file: the school's, and the family of a child of that section.
        "journal_attachment": _page(
            lambda p: f"/journal/attachments/{p.attachment}/", each(SEES_SCHOOL | FAMILY, 200)
        ),
    }
)
