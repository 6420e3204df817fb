"""The sync protocol (docs/sync.md) through the API, with a simulated device."""

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hazri.accounts.models import User
from hazri.attendance.models import RollCall
from hazri.attendance.tests.conftest import Api, local, login, rollcall
from hazri.org.models import Section
from hazri.people.models import Admission, Enrolment, Posting, Staff, Student
from hazri.sync.models import SyncLog
from hazri.testing.world import PASSWORD, SCHOOL_DAY, World

ENROLMENT = [
    "id",
    "student",
    "section",
    "admission_no",
    "admitted_on",
    "origin",
    "roll_no",
    "starts_on",
    "ends_on",
]
STUDENT = ["id", "name", "name_local", "gender"]


class Device:
    """What the teacher app keeps in IndexedDB, reduced to the protocol."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.token = ""
        self.students: dict[int, dict[str, Any]] = {}
        self.enrolments: dict[int, dict[str, Any]] = {}
        self.rollcalls: dict[int, dict[str, Any]] = {}
        self.last: dict[str, Any] = {}

    def state(self) -> str:
        # The same bytes as JSON.stringify([enrolmentRows, studentRows]) in the app.
        rows = [
            [[e[f] for f in ENROLMENT] for _, e in sorted(self.enrolments.items())],
            [[s[f] for f in STUDENT] for _, s in sorted(self.students.items())],
        ]
        text = json.dumps(rows, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest() if self.token else ""

    def pull(self, *, check: bool = True) -> dict[str, Any]:
        response = self.api.get("/sync/pull", token=self.token, state=self.state())
        assert response.status_code == 200, response.content
        body = response.json()
        if body["full"]:
            self.students, self.enrolments = {}, {}
        self.students.update({s["id"]: s for s in body["students"]})
        self.enrolments.update({e["id"]: e for e in body["enrolments"]})
        self.rollcalls.update({r["id"]: r for r in body["rollcalls"]})
        self.token = body["token"]
        self.last = body
        if check:
            assert self.state() == body["state_hash"], "device and server disagree after applying"
        return body


# The pull sends the last 14 days of roll calls: pin "now" two days after the world's
# school day so these tests do not depend on the date they run.
FROZEN_NOW = dt.datetime(2026, 11, 20, 6, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setattr(timezone, "now", lambda: FROZEN_NOW)
    return FROZEN_NOW


@pytest.fixture
def device(world: World, client: Client) -> Device:
    # The world was loaded an hour ago: only what changes from now on is news.
    hour_ago = timezone.now() - dt.timedelta(hours=1)
    for model in (Student, Admission, Enrolment):
        model.objects.update(updated_at=hour_ago)
    return Device(login(client, world.ravi))


def test_a_first_pull_is_full_and_complete(world, device) -> None:
    body = device.pull()
    assert body["full"] is True
    assert [s["name"] for s in body["schools"]] == ["GPS Rampur"]
    school = body["schools"][0]
    assert (school["role"], school["meetings_per_day"], school["cutoff"]) == ("head", 2, "17:00")
    assert len(body["days"]) == 14 + 60 + 1
    assert [s["grade"] for s in body["sections"]] == [5]
    assert {s["name"] for s in body["staff"]} == {"Ravi Verma", "Asha Patel"}
    assert len(device.students) == 5 and len(device.enrolments) == 5
    assert SyncLog.objects.get().full


def test_each_school_carries_its_policy_window(world, device) -> None:
    # The app shows when the roll call opens from these (a state policy: 30 by default).
    assert device.pull()["schools"][0]["opens_before_minutes"] == 30
    world.policy.opens_before_minutes = 45
    world.policy.save()
    school = device.pull()["schools"][0]
    assert (school["start_time"], school["on_time_minutes"]) == ("08:00", 60)
    assert school["opens_before_minutes"] == 45


def test_nothing_changed_means_an_empty_delta(world, device) -> None:
    device.pull()
    body = device.pull()
    assert body["full"] is False
    assert body["students"] == [] and body["enrolments"] == []
    assert body["sections"] and body["days"]  # small things always come whole


def test_office_changes_reach_the_device_on_its_next_sync(world, device) -> None:
    device.pull()
    aarav = world.students[0]
    aarav.name_local = "आरव शर्मा (बड़ा)"
    aarav.save()
    admission = Admission.objects.get(student=world.students[2])
    admission.admission_no = "0099"
    admission.save()
    body = device.pull()
    assert body["full"] is False
    assert [s["id"] for s in body["students"]] == [aarav.pk]
    assert [e["admission_no"] for e in body["enrolments"]] == ["0099"]


def test_an_unknown_token_forces_a_full_resync(world, device) -> None:
    device.pull()
    device.token = str(uuid.uuid4())
    assert device.pull()["full"] is True
    device.token = "not-a-token"
    assert device.pull()["full"] is True


def test_another_users_token_is_not_honoured(world, client, device) -> None:
    device.pull()
    asha = Device(login(client, world.asha))
    asha.token = device.token
    asha.students, asha.enrolments = dict(device.students), dict(device.enrolments)
    assert asha.pull()["full"] is True


def test_a_device_whose_store_drifted_is_resynced_in_full(world, device) -> None:
    device.pull()
    device.enrolments.popitem()  # a lost write on the phone
    body = device.pull()
    assert body["full"] is True
    assert len(device.enrolments) == 5


def test_a_deleted_enrolment_heals_by_state_hash(world, device) -> None:
    device.pull()
    Enrolment.objects.filter(student=world.students[4]).delete()
    # A delete leaves no row to send: the device still holds it after the delta...
    delta = device.pull(check=False)
    assert delta["full"] is False and len(device.enrolments) == 5
    assert device.state() != delta["state_hash"]
    # ...but the server's state hash already lacks it, so the next pull is full.
    assert device.pull()["full"] is True
    assert len(device.enrolments) == 4


def test_snapshot_plus_deltas_equals_a_fresh_snapshot(world, client, device) -> None:
    device.pull()
    # The office works through the day: a new admission, a leaver, a renamed child.
    student = Student.objects.create(name="Esha Gupta", name_local="ईशा गुप्ता", gender="F")
    admission = Admission.objects.create(
        school=world.school, student=student, admission_no="0006", admitted_on=dt.date(2026, 11, 19)
    )
    Enrolment.objects.create(
        school=world.school,
        section=world.section,
        student=student,
        admission=admission,
        origin="new",
        starts_on=dt.date(2026, 11, 19),
    )
    device.pull()
    leaver = Enrolment.objects.get(student=world.students[3])
    leaver.ends_on = dt.date(2026, 11, 20)
    leaver.save()
    world.students[1].name = "Zoya Khan Pathan"
    world.students[1].save()
    device.pull()
    fresh = Device(login(client, world.ravi))
    fresh.pull()
    assert device.students == fresh.students
    assert device.enrolments == fresh.enrolments
    assert device.state() == fresh.state()


def test_roll_calls_by_others_and_corrections_reach_every_device(world, client, device) -> None:
    device.pull()
    asha = login(client, world.asha)
    first = asha.post("/rollcalls", rollcall(world, codes="PAPPP")).json()
    assert [r["id"] for r in device.pull()["rollcalls"]] == [first["id"]]
    corrected = device.api.post(
        "/rollcalls",
        rollcall(world, codes="PPPPP", captured=timezone.now().isoformat(), note="came late"),
    ).json()
    body = device.pull()
    assert corrected["id"] in [r["id"] for r in body["rollcalls"]]
    current = [
        r for r in device.rollcalls.values() if r["is_current"] and r["id"] == corrected["id"]
    ]
    assert current and current[0]["timing"] == "correction"


def test_two_devices_marking_one_class_both_see_both(world, client) -> None:
    ravi, asha = Device(login(client, world.ravi)), Device(login(client, world.asha))
    later = ravi.api.post(
        "/rollcalls/batch",
        {"rollcalls": [rollcall(world, codes="PPPPA", captured=local(SCHOOL_DAY, 9, 0))]},
    ).json()["results"][0]
    earlier = asha.api.post(
        "/rollcalls/batch",
        {"rollcalls": [rollcall(world, codes="APPPP", captured=local(SCHOOL_DAY, 8, 40))]},
    ).json()["results"][0]
    assert earlier["status"] == "created" and earlier["rollcall"]["is_current"] is False
    for device in (ravi, asha):
        device.pull()
        versions = sorted(device.rollcalls.values(), key=lambda r: r["version"])
        assert [(v["taken_by"], v["is_current"]) for v in versions] == [
            ("ravi", True),
            ("asha", False),
        ]
    assert later["rollcall"]["is_current"] is True
    assert RollCall.objects.count() == 2
    # The phone whose version lost is told so at once, with the person's name and when
    # the version that counts was captured; the winner is told nothing.
    assert later["replaced_by"] is None
    assert earlier["replaced_by"] == {
        "version": 1,
        "taken_by_name": "Ravi Verma",
        "captured_at": later["rollcall"]["captured_at"],
    }
    assert [
        v["taken_by_name"] for v in sorted(asha.rollcalls.values(), key=lambda r: r["version"])
    ] == [
        "Ravi Verma",
        "Asha Patel",
    ]


def test_a_device_learns_from_its_delta_that_its_roll_call_was_replaced(world, client) -> None:
    """Ravi's phone stores its roll call, then Asha's phone sends one captured later:
    Ravi's next (delta) pull brings his own version, no longer current, and hers, with
    her name and capture time, so his phone can say who replaced it and when."""
    ravi, asha = Device(login(client, world.ravi)), Device(login(client, world.asha))
    first = ravi.api.post(
        "/rollcalls/batch",
        {"rollcalls": [rollcall(world, codes="PPPPA", captured=local(SCHOOL_DAY, 9, 0))]},
    ).json()["results"][0]
    assert first["replaced_by"] is None
    ravi.pull()
    second = asha.api.post(
        "/rollcalls/batch",
        {"rollcalls": [rollcall(world, codes="APPPP", captured=local(SCHOOL_DAY, 9, 20))]},
    ).json()["results"][0]
    body = ravi.pull()
    assert body["full"] is False
    changed = {r["id"]: r for r in body["rollcalls"]}
    mine, theirs = changed[first["rollcall"]["id"]], changed[second["rollcall"]["id"]]
    assert mine["is_current"] is False and theirs["is_current"] is True
    assert (theirs["taken_by_name"], theirs["captured_at"]) == (
        "Asha Patel",
        second["rollcall"]["captured_at"],
    )
    # Sending his again (a lost answer) says the same as the pull.
    again = ravi.api.post(
        "/rollcalls/batch",
        {
            "rollcalls": [
                rollcall(
                    world,
                    codes="PPPPA",
                    captured=local(SCHOOL_DAY, 9, 0),
                    client_uuid=first["client_uuid"],
                )
            ]
        },
    ).json()["results"][0]
    assert again["status"] == "duplicate"
    assert again["replaced_by"]["taken_by_name"] == "Asha Patel"
    assert again["replaced_by"]["version"] == 2


def test_the_app_offers_meals_to_exactly_those_the_api_lets_record_them(world, client) -> None:
    """The app shows the mid-day meals to whoever the pull gives a role at the school;
    POST /schools/{id}/meals must agree, for the head, a teacher and other staff."""
    clerk = User.objects.create_user("kamla", password=PASSWORD, first_name="Kamla")
    member = Staff.objects.create(employee_code="EMP009", name="Kamla", gender="F", user=clerk)
    Posting.objects.create(
        staff=member, school=world.school, role=Posting.Role.OTHER, starts_on=dt.date(2026, 4, 1)
    )
    for user in (world.ravi, world.asha, clerk):
        api = login(client, user)
        [school] = [s for s in Device(api).pull()["schools"] if s["id"] == world.school.pk]
        answer = api.post(
            f"/schools/{world.school.pk}/meals", {"day": SCHOOL_DAY.isoformat(), "meals_served": 4}
        )
        assert (school["role"] is not None) == (answer.status_code == 200), (user, answer.content)
        assert answer.status_code in (200, 403)
    assert school["role"] is None  # the clerk: neither sees the meals nor may record them


def test_a_device_three_hours_slow_syncs_on_time_and_is_flagged(world, device) -> None:
    now = timezone.now()
    slow = dt.timedelta(hours=3)
    # Marked at 08:30 on the school day by a phone that read 05:30 then; it syncs now,
    # still three hours slow.
    item = rollcall(world, captured=local(SCHOOL_DAY, 5, 30))
    body = device.api.post(
        "/rollcalls/batch", {"device_clock": (now - slow).isoformat(), "rollcalls": [item]}
    ).json()
    assert abs(body["clock_skew_seconds"] - 10800) < 60
    stored = body["results"][0]["rollcall"]
    assert stored["timing"] == "on_time" and stored["clock_suspect"] is True
    captured = dt.datetime.fromisoformat(stored["captured_at"])
    assert abs(captured - dt.datetime.fromisoformat(local(SCHOOL_DAY, 8, 30))) < dt.timedelta(
        minutes=1
    )


def test_an_officer_has_nothing_to_sync(world, client) -> None:
    body = Device(login(client, world.meera)).pull()
    assert body["schools"] == [] and body["students"] == []


def test_pull_needs_a_login(world, client) -> None:
    assert client.get("/api/v1/sync/pull").status_code == 401


def test_a_full_pull_reads_a_bounded_number_of_queries(
    world, device, django_assert_max_num_queries
) -> None:
    for grade in range(1, 9):
        Section.objects.create(school=world.school, academic_year=world.year, grade=grade, name="B")
    with django_assert_max_num_queries(25):
        device.pull()


def _queries(device: Device) -> int:
    with CaptureQueriesContext(connection) as queries:
        device.pull()
    return len(queries.captured_queries)


def test_a_pull_reads_as_many_queries_for_two_schools_as_for_one(world, device) -> None:
    """No read a school: a teacher posted to two schools syncs in the queries of one,
    full or delta, and the second school's roll calls, sections and staff come too."""
    device.pull()  # the first, with no sync token yet
    # A state the server did not send makes the next pull full, with the token read as
    # it is read when the schools change.
    device.students.clear()
    one_full, one_delta = _queries(device), _queries(device)
    ravi = Staff.objects.get(user=world.ravi)
    Posting.objects.create(
        staff=ravi, school=world.other_school, role=Posting.Role.TEACHER, starts_on=SCHOOL_DAY
    )
    Section.objects.create(school=world.other_school, academic_year=world.year, grade=4, name="A")
    gopal = Enrolment.objects.get(section=world.other_section).student_id
    other = rollcall(
        world, codes="", section=world.other_section.pk, marks=[{"student": gopal, "code": "P"}]
    )
    assert login(Client(), world.suresh).post("/rollcalls", other).status_code == 201
    assert _queries(device) == one_full  # the schools changed: a full pull
    assert _queries(device) == one_delta
    body = device.last
    assert [(s["name"], s["role"]) for s in body["schools"]] == [
        ("GPS Rampur", "head"),
        ("GPS Khedi", "teacher"),
    ]
    assert {(s["school"], s["grade"]) for s in body["sections"]} == {
        (world.school.pk, 5),
        (world.other_school.pk, 3),
        (world.other_school.pk, 4),
    }
    assert len(body["days"]) == 2 * (14 + 60 + 1)
    assert {s["name"] for s in body["staff"]} == {"Ravi Verma", "Asha Patel", "Suresh Yadav"}
    assert len(device.students) == 6
    assert [r["section"] for r in device.rollcalls.values()] == [world.other_section.pk]


def test_an_officers_approval_reaches_the_device(world, client, monkeypatch) -> None:
    from hazri.registers.services import month_certify

    # Early November: October is certified, and a correction to its 30th is approved.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 11, 3, 6, 30, tzinfo=dt.UTC))
    october_30 = dt.date(2026, 10, 30)
    device = Device(login(client, world.ravi))
    device.api.post(
        "/rollcalls",
        rollcall(world, day=october_30, codes="PAPPP", captured=local(october_30, 8, 30)),
    )
    month_certify(
        section=world.section, month=dt.date(2026, 10, 1), checked_by="S. Mishra", by=world.ravi
    )
    pending = device.api.post(
        "/rollcalls",
        rollcall(
            world,
            day=october_30,
            codes="PPPPP",
            captured=local(october_30, 18, 0),
            note="marked wrongly",
        ),
    ).json()
    assert pending["approval"] == "pending"
    device.pull()
    meera = login(client, world.meera)
    assert meera.post(f"/rollcalls/{pending['id']}/decision", {"approve": True}).status_code == 200
    body = device.pull()
    assert body["full"] is False
    changed = {r["id"]: (r["is_current"], r["approval"]) for r in body["rollcalls"]}
    assert changed[pending["id"]] == (True, "approved")
    assert [r for r in device.rollcalls.values() if r["is_current"]] == [
        device.rollcalls[pending["id"]]
    ]


def test_marks_dated_before_the_devices_last_sync_are_refused(world, device) -> None:
    # The phone pulled on the 20th; on the 21st it "finds" marks of the 18th, 16:59, to
    # replace the head's roll call. An honest device would have sent them before pulling.
    device.api.post("/rollcalls", rollcall(world, codes="PPPPP"))
    device.pull()
    forged = rollcall(world, codes="AAAAA", captured=local(SCHOOL_DAY, 16, 59))
    response = device.api.post("/rollcalls/batch", {"rollcalls": [forged]})
    result = response.json()["results"][0]
    assert result["status"] == "rejected"
    assert result["errors"][0]["code"] == "captured_before_last_sync"


def test_the_state_hash_is_the_hash_of_json_stringify() -> None:
    """The bytes hashed are JSON.stringify's (the device hashes what it holds so), for
    any text a name can hold: quotes, backslashes, control characters, line and
    paragraph separators, Devanagari, Persian, emoji."""
    from hazri.sync import selectors

    names = ['Zoya "Z" Khan', "back\\slash", "tab\there\nline\x07bell\x7f", "\u2028\u2029"]
    names += ["ज़ोया ख़ान", "زهرا", "😀", ""]
    students = [[n, name, name[::-1], "F"] for n, name in enumerate(names, start=1)]
    enrolments = [[9, 1, 3, "0001", "2026-04-01", "new", None, "2026-04-01", None]]
    stringified = json.dumps([enrolments, students], separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256(stringified.encode()).hexdigest()
    assert selectors.state_hash(enrolments, list(reversed(students))) == expected
