"""A GET writes nothing: every page and API path of the URL list, asked with GET by
every kind of user of the test world, runs no INSERT, UPDATE, DELETE or SELECT … FOR
UPDATE on a table of Hazri's apps, so that a GET could be served from a read replica.

The paths come from the URL resolver (the API's operations are in it too), with the
test world's ids in their parameters: a new page or endpoint is covered without
touching this test, and one with a parameter it does not know fails it until the
parameter gets an id here.

The deliberate exceptions, stated in docs/deployment.md ("Transaction discipline"):
- reading a child's attendance record is itself recorded (`rollcall.view`,
  `register.view`, `roster.download` in audit_auditevent): an INSERT, on the primary;
- the sync pull cuts the device's next token (sync_synclog): the offline protocol's
  pull is a GET that writes its token (docs/sync.md);
- a device token's `last_used_at`, at most once an hour (idle expiry); the browser
  sessions used here do not touch it.
Django's own tables (sessions, the task queue) are not the apps' and are not checked.
"""

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from hazri.accounts.models import User
from hazri.attendance.models import RollCall
from hazri.audit.models import AuditEvent
from hazri.registers.tests.test_register import mark
from hazri.testing.world import SCHOOL_DAY, World

MORNING = dt.datetime.combine(SCHOOL_DAY, dt.time(10), tzinfo=ZoneInfo("Asia/Kolkata"))
# Paths not asked: Django's admin (its own app, with its own tests), the language switch
# (a POST; Django's view), and the teacher app's versioned static files (no database).
SKIPPED = ("admin/", "i18n/")
SKIPPED_NAMES = {"pwa-asset"}
# Reads that record themselves (see the module's docstring).
READ_AUDITS = {
    "rollcall.view",
    "register.view",
    "roster.download",
    "faces.view_face",
    "faces.view_reference",
}
ALLOWED = {
    ("INSERT", "audit_auditevent"),
    ("INSERT", "sync_synclog"),
}
WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def _app_tables() -> set[str]:
    return {
        model._meta.db_table
        for config in apps.get_app_configs()
        if config.name.startswith("hazri.")
        for model in config.get_models()
    }


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith(SKIPPED):
                yield from _routes(pattern.url_patterns, route)
        elif pattern.name not in SKIPPED_NAMES and not route.startswith(SKIPPED):
            yield route


def paths(ids: dict[str, int]) -> list[str]:
    """Every routable path once, its parameters filled with the world's ids."""
    found = []
    for route in dict.fromkeys(_routes(get_resolver().url_patterns)):
        unknown = [name for name in PARAMETER.findall(route) if name not in ids]
        assert not unknown, f"{route}: give {unknown} an id of the test world in this test"
        found.append("/" + PARAMETER.sub(lambda m: str(ids[m.group(1)]), route))
    return found


def writes(sql: str) -> tuple[str, str] | None:
    """(statement, table) when the statement writes or locks rows of an app's table."""
    if re.search(r"\bFOR\s+UPDATE\b", sql, re.IGNORECASE):
        table = re.search(r'\bFROM\s+"?(\w+)"?', sql, re.IGNORECASE)
        return ("SELECT FOR UPDATE", table.group(1) if table else "?")
    found = WRITE.match(sql)
    if found is None:
        return None
    return (found.group(1).split()[0].upper(), found.group(2))


def test_a_write_is_told_from_a_read() -> None:
    assert writes('INSERT INTO "attendance_rollcall" ("a") VALUES (1)') == (
        "INSERT",
        "attendance_rollcall",
    )
    assert writes("UPDATE dashboards_unitday SET x = 1") == ("UPDATE", "dashboards_unitday")
    assert writes('DELETE FROM "dashboards_unitday" WHERE 1') == ("DELETE", "dashboards_unitday")
    assert writes('SELECT "id" FROM "dashboards_rollupmark" WHERE 1 FOR UPDATE') == (
        "SELECT FOR UPDATE",
        "dashboards_rollupmark",
    )
    assert writes('SELECT "id" FROM "attendance_rollcall"') is None


@pytest.fixture
def marked(world: World) -> Iterator[World]:
    with time_machine.travel(MORNING, tick=True):
        mark(world, SCHOOL_DAY - dt.timedelta(days=1), "PAPPP")
        mark(world, SCHOOL_DAY, "PAPPP")
        yield world


ROLES = ["head", "teacher", "officer", "parent", "superuser"]


def journal_ids(world: World) -> dict[str, Any]:
    """The journal's objects in the world (as the matrix has them): its subject, term,
    a grade's work, a held concern, a homework file, a change to a day's timetable and
    the class teacher's assignment; a lesson is named by its day and period."""
    from hazri.accounts.tests.matrix_world import _journal, _setup_extras
    from hazri.org.models import Subject

    maths = Subject.objects.create(school=world.school, code="MATH", name="Mathematics")
    made = {
        **_journal(world.section, maths, world.students[0], world.asha),
        **_setup_extras(world.section, world.ravi),
    }
    return {
        "subject_id": made["subject"],
        "term_id": made["term"],
        "work": made["work"],
        "remark_id": made["remark"],
        "attachment_id": made["attachment"],
        "change_id": made["change"],
        "assignment_id": made["assignment"],
        "day": SCHOOL_DAY.isoformat(),
        "period": 1,
    }


def face_ids(world: World) -> dict[str, int]:
    """Photo attendance's objects in the world: a consent, a reference face, a set of
    class photos proposed for review and a face found in it (as the matrix has them)."""
    from hazri.accounts.tests.matrix_world import _faces

    made = _faces(world.section, world.students[0], world.asha)
    return {
        "consent_id": made["consent"],
        "reference_id": made["reference"],
        "set_id": made["photo_set"],
        "face_id": made["face"],
        "index": 0,
    }


def signon_ids(world: World) -> dict[str, Any]:
    """A live invitation (hazri.signon) and its code, for /invite/<code>/."""
    from hazri.signon.services import invitation_issue

    issued = invitation_issue(
        by=world.ravi, school=world.school, kind="student", target=world.students[0]
    )
    return {"invitation_id": issued.invitation.pk, "code": issued.code}


def message_ids(world: World) -> dict[str, int]:
    """Messaging's objects in the world: a thread about a student between the teacher
    and the parent, its message with a file, and the teacher's notice to the section."""
    from hazri.messaging.tests.msg_world import message_objects
    from hazri.people.models import Staff

    made = message_objects(
        world.section, world.students[1], Staff.objects.get(user=world.asha), world.imran
    )
    return {
        "thread_id": made.thread.pk,
        "message_id": made.message.pk,
        "file_id": made.file.pk,
        "class_notice_id": made.notice.pk,
    }


def records_ids(world: World) -> dict[str, int]:
    """A transfer certificate (hazri.records) of a student of the world's section."""
    from hazri.records.tests.records_world import tc_object

    return {"tc_id": tc_object(world.school, world.students[1], world.ravi).pk}


def report_card_ids(world: World) -> dict[str, int]:
    """An issued report card (hazri.reportcards) and a unit for its rank policy."""
    from hazri.reportcards.tests.rc_world import report_card_of

    card = report_card_of(world.section, world.students[1], world.ravi)
    return {"card_id": card, "unit_id": world.block.pk}


def credential_ids(world: World) -> dict[str, int]:
    """A signed report card of a student (hazri.credentials) and the first status list."""
    from hazri.credentials.testing import signed_sample

    made = signed_sample(world.school, world.students[0], world.ravi)
    return {"credential_id": made.pk, "list_number": 0}


def admission_ids(world: World) -> dict[str, Any]:
    """Online admission's objects in the world: parent Imran's application for class 5,
    held by the world's school, with its birth certificate."""
    from hazri.admissions.tests.adm_world import matrix_application

    return {
        "application_id": matrix_application(world.section, user=world.imran),
        "document": "birth_certificate",
    }


def support_ids(world: World) -> dict[str, int]:
    """A support ticket raised by the teacher at her school, with a file (hazri.support)."""
    from hazri.support.tests.support_world import ticket_objects

    made = ticket_objects(world.school.pk, world.asha)
    return {"ticket_id": made.ticket.pk, "ticket_file_id": made.file.pk}


def roster_ids(world: World) -> dict[str, int]:
    """A roster import previewed for the world's school and a mapping of its block
    (hazri.rosters)."""
    from hazri.rosters.tests.rosters_world import matrix_job, matrix_mapping

    return {"job_id": matrix_job(world.school.pk), "mapping_id": matrix_mapping(world.block.pk)}


def oneroster_ids(world: World) -> dict[str, int]:
    """A OneRoster export of the school by its head, still running (hazri.interop)."""
    from hazri.accounts.tests.matrix_world import exchange_of

    return {"exchange_id": exchange_of(world.school, world.ravi)}


def _user(world: World, role: str) -> User:
    if role == "superuser":
        return User.objects.create_superuser("root", password="not-used-here")
    return {"head": world.ravi, "teacher": world.asha, "officer": world.meera}.get(
        role, world.imran
    )


@pytest.mark.parametrize("role", ROLES)
def test_no_get_writes(marked: World, role: str) -> None:
    world = marked
    rollcall = RollCall.objects.filter(section=world.section, is_current=True).first()
    assert rollcall is not None
    ids = {
        "school_id": world.school.pk,
        "section_id": world.section.pk,
        "student_id": world.students[0].pk,
        "rollcall_id": rollcall.pk,
        **face_ids(world),
        **journal_ids(world),
        **signon_ids(world),
        **message_ids(world),
        **records_ids(world),
        **report_card_ids(world),
        **credential_ids(world),
        **admission_ids(world),
        **support_ids(world),
        **roster_ids(world),
        **oneroster_ids(world),
        "notice_id": 1,
    }
    client = Client()
    client.force_login(_user(world, role))
    tables = _app_tables()
    audited_before = AuditEvent.objects.count()
    answered: dict[int, int] = {}
    found: list[str] = []
    for path in paths(ids):
        # As the page asks, and as its download (a table, a CSV): both are reads.
        for query in ({}, {"format": "csv"}):
            with CaptureQueriesContext(connection) as queries:
                status = client.get(path, query).status_code
            answered[status] = answered.get(status, 0) + 1
            for statement in queries.captured_queries:
                write = writes(statement["sql"])
                if write is None or write[1] not in tables or write in ALLOWED:
                    continue
                found.append(f"GET {path} {query or ''}: {write[0]} {write[1]}")
    assert not found, "\n".join(found)
    # The reads that record themselves record only reads.
    recorded = AuditEvent.objects.order_by("pk")[audited_before:]
    assert {event.action for event in recorded} <= READ_AUDITS
    # The test asked real pages, not only refusals.
    assert answered.get(200, 0) > 10, answered
