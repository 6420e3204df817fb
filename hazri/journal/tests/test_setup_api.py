"""The journal set-up over the API and on its pages: the head writes, a teacher reads
and is refused writes, a parent sees nothing; bad input names its field."""

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from hazri.accounts.models import User
from hazri.audit.models import AuditEvent
from hazri.journal.models import Change, Period, Scheme, Slot
from hazri.journal.rules import SCALES
from hazri.journal.selectors.scheme import grading_for
from hazri.people.models import Staff, TeachingAssignment
from hazri.testing.world import SCHOOL_DAY, World

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _send(client: Client, method: str, path: str, body: Any) -> Any:
    call = getattr(client, method)
    return call(f"{API}{path}", data=json.dumps(body), content_type="application/json")


PERIODS = {
    "periods": [
        {"number": 1, "starts_at": "08:00", "ends_at": "08:40"},
        {"number": 2, "starts_at": "08:45", "ends_at": "09:25"},
    ]
}


def test_the_head_sets_up_a_week_and_changes_a_day(world: World) -> None:
    head = _client(world.ravi)
    school, section = world.school.pk, world.section.pk
    bad = _send(
        head,
        "put",
        f"/schools/{school}/periods",
        {
            "periods": [
                {"number": 1, "starts_at": "08:00", "ends_at": "08:40"},
                {"number": 2, "starts_at": "08:30", "ends_at": "09:25"},
            ]
        },
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "periods[1].starts_at"
    typo = _send(
        head,
        "put",
        f"/schools/{school}/periods",
        {"periods": [{"number": 1, "starts_at": 28800, "ends_at": "08:40"}]},
    )
    assert typo.status_code == 422
    assert not Period.objects.exists()
    assert _send(head, "put", f"/schools/{school}/periods", PERIODS).status_code == 200
    maths = _send(head, "post", f"/schools/{school}/subjects", {"code": "MATH", "name": "Maths"})
    assert maths.status_code == 201
    maths_id = maths.json()["id"]
    asha = Staff.objects.get(user=world.asha).pk
    assigned = _send(
        head,
        "post",
        f"/sections/{section}/teaching-assignments",
        {"staff": asha, "subject": maths_id, "starts_on": "2026-11-02"},
    )
    assert assigned.status_code == 201, assigned.content
    week = _send(
        head,
        "put",
        f"/sections/{section}/timetable",
        {
            "starts_on": "2026-11-02",
            "slots": [
                {"weekday": d, "period": 1, "subject": maths_id, "teacher": asha}
                for d in range(1, 7)
            ],
        },
    )
    assert week.status_code == 200, week.content
    assert week.json()["monday"] == "2026-11-02"
    change = _send(
        head,
        "post",
        f"/sections/{section}/timetable-changes",
        {
            "day": SCHOOL_DAY.isoformat(),
            "period": 1,
            "kind": "substitute",
            "teacher": Staff.objects.get(user=world.ravi).pk,
        },
    )
    assert change.status_code == 201, change.content
    got = head.get(f"{API}/sections/{section}/timetable", {"week": SCHOOL_DAY.isoformat()}).json()
    wednesday = next(d for d in got["days"] if d["day"] == SCHOOL_DAY.isoformat())
    assert [(x["subject_name"], x["teacher_name"], x["change"]) for x in wednesday["lessons"]] == [
        ("Maths", "Ravi Verma", "substitute")
    ]
    assert "2026-11-15" not in [d["day"] for d in got["days"]]  # Sunday: a weekly off
    holiday = _send(
        head,
        "post",
        f"/sections/{section}/timetable-changes",
        {
            "day": "2026-11-16",
            "period": 1,
            "kind": "cancelled",
        },
    )
    assert holiday.status_code == 422
    assert holiday.json()["errors"][0] == {
        "field": "day",
        "code": "not_school_day",
        "message": holiday.json()["errors"][0]["message"],
    }
    withdrawn = head.post(f"{API}/timetable-changes/{change.json()['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    assert head.post(f"{API}/timetable-changes/{change.json()['id']}/withdraw").status_code == 409


def test_the_school_set_up_reads_and_refusals(world: World) -> None:
    head, teacher, parent = _client(world.ravi), _client(world.asha), _client(world.imran)
    school = world.school.pk
    scheme = _send(
        head,
        "put",
        f"/schools/{school}/grading-scheme",
        {
            "scale": "cbse-letters",
            "kinds": [{"code": "test", "name": "Unit test", "weight": 2}],
        },
    )
    assert scheme.status_code == 200, scheme.content
    term = _send(
        head,
        "post",
        f"/schools/{school}/terms",
        {
            "name": "Term 1",
            "starts_on": "2026-04-01",
            "ends_on": "2026-09-30",
        },
    )
    assert term.status_code == 201
    overlapping = _send(
        head,
        "post",
        f"/schools/{school}/terms",
        {
            "name": "Term 2",
            "starts_on": "2026-09-30",
            "ends_on": "2027-03-31",
        },
    )
    assert overlapping.status_code == 409
    assert overlapping.json()["errors"][0]["field"] == "starts_on"
    seen = teacher.get(f"{API}/schools/{school}/journal-setup")
    assert seen.status_code == 200
    body = seen.json()
    assert body["scheme"]["scale"] == "cbse-letters" and body["scheme"]["own"] is True
    assert [t["name"] for t in body["terms"]] == ["Term 1"]
    refused = _send(teacher, "post", f"/schools/{school}/subjects", {"code": "X", "name": "X"})
    assert refused.status_code == 403
    assert teacher.post(f"{API}/terms/{term.json()['id']}/close").status_code == 403
    assert parent.get(f"{API}/schools/{school}/journal-setup").status_code == 404
    closed = head.post(f"{API}/terms/{term.json()['id']}/close")
    assert closed.status_code == 200 and closed.json()["closed_at"]
    assert head.post(f"{API}/terms/{term.json()['id']}/close").status_code == 409
    nul = _send(head, "post", f"/schools/{school}/subjects", {"code": "A", "name": "A\u0000"})
    assert nul.status_code == 422


# --- Pages -------------------------------------------------------------------------------


def test_the_set_up_page_for_the_head_and_a_teacher(world: World) -> None:
    head, teacher = _client(world.ravi), _client(world.asha)
    url = f"/schools/{world.school.pk}/journal-setup/"
    page = head.get(url)
    assert page.status_code == 200
    assert b"data-periods-form" in page.content
    saved = head.post(
        url,
        {
            "action": "periods",
            "start_1": "08:00",
            "end_1": "08:40",
            "start_2": "08:45",
            "end_2": "09:25",
        },
    )
    assert saved.status_code == 302
    assert Period.objects.filter(school=world.school).count() == 2
    bad = head.post(
        url,
        {
            "action": "periods",
            "start_1": "08:00",
            "end_1": "09:00",
            "start_2": "08:45",
            "end_2": "09:25",
        },
    )
    assert bad.status_code == 422
    assert b'data-error-field="periods[1].starts_at"' in bad.content
    assert (
        head.post(url, {"action": "subject_add", "code": "HIN", "name": "Hindi"}).status_code == 302
    )
    assert (
        head.post(
            url,
            {
                "action": "term_add",
                "name": "T1",
                "starts_on": "2026-13-01",
                "ends_on": "2026-09-30",
            },
        ).status_code
        == 422
    )
    read = teacher.get(url)
    assert read.status_code == 200 and b"data-periods-form" not in read.content
    assert b"Hindi" in read.content
    assert teacher.post(url, {"action": "subject_add", "code": "X", "name": "X"}).status_code == 403
    day = head.get(f"/schools/{world.school.pk}/")
    assert url.encode() in day.content
    assert f"/sections/{world.section.pk}/timetable/".encode() in day.content


def test_the_timetable_page_sets_a_week_and_a_substitute(world: World) -> None:
    head = _client(world.ravi)
    head.post(
        f"/schools/{world.school.pk}/journal-setup/",
        {"action": "periods", "start_1": "08:00", "end_1": "08:40"},
    )
    head.post(
        f"/schools/{world.school.pk}/journal-setup/",
        {"action": "subject_add", "code": "HIN", "name": "Hindi"},
    )
    asha = Staff.objects.get(user=world.asha)
    url = f"/sections/{world.section.pk}/timetable/"
    subject = world.school.subjects.get().pk
    refused = head.post(
        url,
        {
            "action": "week",
            "starts_on": "2026-11-16",
            "subject_3_1": subject,
            "teacher_3_1": asha.pk,
        },
    )
    assert refused.status_code == 422
    assert b'data-error-field="slots[0].teacher"' in refused.content
    assert (
        head.post(
            url,
            {"action": "assign", "staff": asha.pk, "subject": subject, "starts_on": "2026-11-02"},
        ).status_code
        == 302
    )
    assert TeachingAssignment.objects.filter(staff=asha, subject_id=subject).exists()
    saved = head.post(
        url,
        {
            "action": "week",
            "starts_on": "2026-11-16",
            "subject_3_1": subject,
            "teacher_3_1": asha.pk,
        },
    )
    assert saved.status_code == 302
    assert Slot.objects.filter(section=world.section, weekday=3).count() == 1
    ravi = Staff.objects.get(user=world.ravi)
    added = head.post(
        url,
        {
            "action": "change_add",
            "day": SCHOOL_DAY.isoformat(),
            "period": 1,
            "kind": "substitute",
            "teacher": ravi.pk,
        },
    )
    assert added.status_code == 302
    page = head.get(url, {"week": SCHOOL_DAY.isoformat()})
    assert page.status_code == 200
    assert b'data-change="substitute"' in page.content
    change = Change.objects.get()
    assert head.post(url, {"action": "change_withdraw", "change": change.pk}).status_code == 302
    assert _client(world.asha).get(url).status_code == 200
    assert _client(world.imran).get(url).status_code == 404
    assert head.get(url, {"week": "2026-02-30"}).status_code == 422


def test_the_superuser_sets_a_state_scheme_in_the_admin(world: World) -> None:
    root = User.objects.create_superuser("root", password="x")
    admin = _client(root)
    form = {"unit": world.state.pk, "scale": "cbse-letters", "kinds": "test, Unit test, 2\nbad"}
    refused = admin.post("/admin/journal/scheme/add/", form)
    assert refused.status_code == 200 and not Scheme.objects.exists()
    form["kinds"] = "test, Unit test, 2\noral, Oral, 1"
    assert admin.post("/admin/journal/scheme/add/", form).status_code == 302
    grading = grading_for(world.school)
    assert (grading.scheme.unit_id, grading.scale) == (world.state.pk, SCALES["cbse-letters"])
    assert sorted(k.code for k in grading.kinds.values()) == ["oral", "test"]
    assert AuditEvent.objects.filter(action="journal.scheme_set").count() == 1
    world.ravi.is_staff = True
    world.ravi.save()
    assert _client(world.ravi).get("/admin/journal/scheme/add/").status_code == 403


def test_the_pages_in_hindi(world: World) -> None:
    world.ravi.language = "hi"
    world.ravi.save()
    head = _client(world.ravi)
    assert "पंजिका की व्यवस्था" in head.get(f"/schools/{world.school.pk}/journal-setup/").text
    page = head.get(f"/sections/{world.section.pk}/timetable/", {"week": "2026-11-18"})
    assert "कक्षा 5 A की समय-सारणी" in page.text


def setup_ids(world: World) -> dict[str, int]:
    """Ids of the journal set-up's objects in the test world, for the path parameters of
    its API (the fuzz test's grounds): a subject, a term, a lesson changed on the
    school day, and a teaching assignment, with a bell schedule and a week around them."""
    from hazri.journal.services import setup as services
    from hazri.journal.services import setup_timetable as timetables

    services.periods_set(
        school=world.school,
        periods=[services.PeriodIn(1, dt.time(8), dt.time(8, 40))],
        by=world.ravi,
    )
    subject = services.subject_create(school=world.school, code="EVS", name="EVS", by=world.ravi)
    term = services.term_create(
        school=world.school,
        name="Term 1",
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2026, 9, 30),
        by=world.ravi,
    )
    asha = Staff.objects.get(user=world.asha)
    assignment = TeachingAssignment.objects.create(
        school=world.school,
        staff=asha,
        section=world.section,
        subject=subject,
        starts_on=dt.date(2026, 4, 1),
    )
    timetables.week_set(
        section=world.section,
        starts_on=dt.date(2026, 4, 1),
        slots=[timetables.SlotIn(3, 1, subject.pk, asha.pk)],
        by=world.ravi,
    )
    change = timetables.change_add(
        section=world.section, day=SCHOOL_DAY, period=1, kind="cancelled", by=world.ravi
    )
    return {
        "subject_id": subject.pk,
        "term_id": term.pk,
        "change_id": change.pk,
        "assignment_id": assignment.pk,
    }


def test_the_fuzz_grounds_stand(world: World) -> None:
    ids = setup_ids(world)
    assert Change.objects.get(pk=ids["change_id"]).kind == "cancelled"
