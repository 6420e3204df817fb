"""Ingest cost and batch semantics: the queries of a submit are pinned, a batch costs
a constant few queries per school-day however many roll calls it carries (an N+1
fails here), and a batch written together ends exactly as if sent one by one."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hazri.attendance.models import RollCall
from hazri.audit.models import AuditEvent
from hazri.dashboards.models import SchoolDay
from hazri.dashboards.services import schooldays_rebuild
from hazri.testing.world import SCHOOL_DAY

from .conftest import local, rollcall

# A submit: the token with its user, postings, the section, one query for its repeat,
# certification and the device's last sync, the policy, the roll, the calendar; then
# the current and latest versions (locked), the roster, the current switch, the
# insert, the rollup (locked on PostgreSQL, then recounted in one UPDATE) and the
# audit event, plus the transaction (a savepoint in tests).
SINGLE_MAX = 16
# A batch's answer says whether the device's next pull would bring anything (sync's
# changed_since_pull): the device's last pull, then one statement (one query when it
# never pulled).
NEWS = 2
# A retry: the token, postings, the section, the repeat check, and the stored roll call.
RETRY_MAX = 5
# A batch reads the repeats, the certifications and the last sync apart; the rolls of
# all its school-days are one query, and their rollups one lock and one recount.
BATCH_MAX = SINGLE_MAX + 2 + NEWS
OTHER_DAY = SCHOOL_DAY + dt.timedelta(days=1)
SCHOOL_DAYS = [SCHOOL_DAY - dt.timedelta(days=n) for n in (0, 1, 4, 5, 6)]  # not Sun, holiday


def _queries(api, path, body) -> tuple[int, object]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = api.post(path, body)
    assert response.status_code in (200, 201), response.content
    return len(queries.captured_queries), response


def _batch(world, n: int, days=(SCHOOL_DAY,)) -> dict:  # type: ignore[no-untyped-def]
    items = []
    for i in range(n):
        day = days[i % len(days)]
        item = rollcall(world, day=day, meeting=1 + i % 2, captured=local(day, 8, i % 50))
        item.pop("device_clock")
        items.append(item)
    return {"rollcalls": items}


def test_a_single_submit_is_a_pinned_number_of_queries(world, as_user) -> None:
    api = as_user(world.ravi)
    api.post("/rollcalls", rollcall(world))  # a current version exists: it is switched off
    count, response = _queries(api, "/rollcalls", rollcall(world, captured=local(SCHOOL_DAY, 9)))
    assert response.status_code == 201
    assert count <= SINGLE_MAX
    retry = rollcall(world)
    api.post("/rollcalls", retry)
    count, response = _queries(api, "/rollcalls", retry)
    assert response.status_code == 200 and count <= RETRY_MAX


@pytest.mark.parametrize("days", [(SCHOOL_DAY,), (SCHOOL_DAY, OTHER_DAY), tuple(SCHOOL_DAYS)])
def test_a_batch_costs_the_same_queries_for_3_or_30_roll_calls(world, as_user, days) -> None:
    api = as_user(world.ravi)
    # The first roll calls of a school-day make its rollup row and the roster.
    api.post("/rollcalls/batch", _batch(world, len(days), days))
    small, response = _queries(api, "/rollcalls/batch", _batch(world, 3 * len(days), days))
    assert {r["status"] for r in response.json()["results"]} == {"created"}
    large, response = _queries(api, "/rollcalls/batch", _batch(world, 30, days))
    assert {r["status"] for r in response.json()["results"]} == {"created"}
    assert large == small
    # The same queries for one school-day or five, not a few per roll call or day.
    assert small <= BATCH_MAX


def test_a_batch_ends_as_if_sent_one_by_one(world, as_user) -> None:
    api = as_user(world.ravi)
    early = rollcall(world, codes="AAPPP", captured=local(SCHOOL_DAY, 8, 10))
    late = rollcall(world, codes="PPPPA", captured=local(SCHOOL_DAY, 8, 40))
    middle = rollcall(world, codes="PAPPP", captured=local(SCHOOL_DAY, 8, 20))
    afternoon = rollcall(world, meeting=2, codes="PPPPP", captured=local(SCHOOL_DAY, 13, 0))
    again = {**late}  # the same UUID twice in one batch: the second is a duplicate
    clash = {**middle, "meeting": 2}  # the same UUID for another roll call
    bad = rollcall(world, codes="PPP")  # marks missing: refused alone
    body = {"rollcalls": [early, late, middle, afternoon, again, clash, bad]}
    results = api.post("/rollcalls/batch", body).json()["results"]
    assert [r["status"] for r in results] == [
        "created",
        "created",
        "created",
        "created",
        "duplicate",
        "rejected",
        "rejected",
    ]
    assert [r["http_status"] for r in results[4:]] == [200, 409, 422]
    assert results[4]["rollcall"]["id"] == results[1]["rollcall"]["id"]
    versions = list(
        RollCall.objects.filter(section=world.section, day=SCHOOL_DAY, meeting=1).order_by(
            "version"
        )
    )
    assert [v.version for v in versions] == [1, 2, 3]
    # The later capture is current, whichever came first in the batch.
    assert [v.is_current for v in versions] == [False, True, False]
    assert versions[1].marks.count("A") == 1
    assert AuditEvent.objects.filter(action="rollcall.submit").count() == 4
    # The rollup is what a full recount gives.
    refreshed = SchoolDay.objects.get(school=world.school, day=SCHOOL_DAY)
    schooldays_rebuild(schools=[world.school], start=SCHOOL_DAY, end=SCHOOL_DAY)
    rebuilt = SchoolDay.objects.get(school=world.school, day=SCHOOL_DAY)
    fields = ["meetings_marked", "attended", "absent", "leave", "slots_marked", "first_marked_at"]
    assert [getattr(refreshed, f) for f in fields] == [getattr(rebuilt, f) for f in fields]
    assert refreshed.meetings_marked == 2 and refreshed.absent == 1


def test_a_batch_retried_after_a_lost_answer_is_all_duplicates(world, as_user) -> None:
    api = as_user(world.asha)
    body = _batch(world, 4)
    first = api.post("/rollcalls/batch", body).json()["results"]
    count, response = _queries(api, "/rollcalls/batch", body)
    second = response.json()["results"]
    assert [r["status"] for r in second] == ["duplicate"] * 4
    assert [r["rollcall"] for r in second] == [r["rollcall"] for r in first]
    assert RollCall.objects.count() == 4
    assert count <= RETRY_MAX + NEWS


def test_a_section_out_of_reach_is_refused_alone(world, as_user) -> None:
    api = as_user(world.suresh)  # teaches at Khedi, not at Rampur
    theirs = rollcall(world)
    results = api.post("/rollcalls/batch", {"rollcalls": [theirs]}).json()["results"]
    assert results[0]["http_status"] == 404
    assert results[0]["client_uuid"] == theirs["client_uuid"]
    assert not RollCall.objects.filter(client_uuid=uuid.UUID(theirs["client_uuid"])).exists()


def test_a_batch_over_days_reads_each_days_roll_and_recounts_each_day(world, as_user) -> None:
    from hazri.people.models import Enrolment

    # A student who joined the section on the later day is on that day's roll only.
    joined = Enrolment.objects.filter(section=world.section).order_by("pk").last()
    assert joined is not None
    joined.starts_on = SCHOOL_DAY
    joined.save()
    earlier = SCHOOL_DAYS[1]
    api = as_user(world.ravi)
    items = [
        rollcall(world, day=SCHOOL_DAY, codes="PPPPA", captured=local(SCHOOL_DAY, 8, 30)),
        rollcall(world, day=earlier, codes="AAPP", captured=local(earlier, 8, 30)),
    ]
    assert len(items[1]["marks"]) == 4  # rollcall() marks the roll of its day
    SchoolDay.objects.filter(school=world.school, day=earlier).delete()  # built on the way
    results = api.post("/rollcalls/batch", {"rollcalls": items}).json()["results"]
    assert [r["status"] for r in results] == ["created", "created"], results
    fields = ["meetings_marked", "attended", "absent", "on_roll", "slots_marked"]
    counted = list(SchoolDay.objects.filter(school=world.school).order_by("day").values(*fields))
    schooldays_rebuild(schools=[world.school], start=earlier, end=SCHOOL_DAY)
    rebuilt = list(SchoolDay.objects.filter(school=world.school).order_by("day").values(*fields))
    assert counted == rebuilt
    by_day = {d: SchoolDay.objects.get(school=world.school, day=d) for d in (earlier, SCHOOL_DAY)}
    assert (by_day[earlier].absent, by_day[earlier].on_roll) == (2, 4)
    assert (by_day[SCHOOL_DAY].absent, by_day[SCHOOL_DAY].on_roll) == (1, 5)


def test_a_batch_of_replaced_versions_costs_the_same_queries_for_3_or_30(world, as_user) -> None:
    """A phone resends what another phone's later capture replaced: each item is told who
    replaced it and when, in one query for the batch (and one for the takers who are not
    the sender), not one a roll call or a taker."""
    days = (SCHOOL_DAY, OTHER_DAY)
    keys = [(day, meeting) for day in days for meeting in (1, 2)]
    current = [
        rollcall(world, day=day, meeting=meeting, captured=local(day, 9, 40))
        for day, meeting in keys
    ]
    answers = as_user(world.ravi).post("/rollcalls/batch", {"rollcalls": current})
    assert {r["rollcall"]["is_current"] for r in answers.json()["results"]} == {True}
    captured = {
        (r["rollcall"]["day"], r["rollcall"]["meeting"]): r["rollcall"]["captured_at"]
        for r in answers.json()["results"]
    }
    api = as_user(world.asha)

    def stale(n: int) -> dict:  # type: ignore[type-arg]
        items = []
        for i in range(n):
            day, meeting = keys[i % len(keys)]
            item = rollcall(world, day=day, meeting=meeting, captured=local(day, 8, i % 50))
            item.pop("device_clock")
            items.append(item)
        return {"rollcalls": items}

    api.post("/rollcalls/batch", stale(len(keys)))  # the school-days' rollups exist
    small, response = _queries(api, "/rollcalls/batch", stale(3))
    large, response = _queries(api, "/rollcalls/batch", stale(30))
    assert large == small <= BATCH_MAX + 2
    results = response.json()["results"]
    assert {r["status"] for r in results} == {"created"}
    assert {r["rollcall"]["is_current"] for r in results} == {False}
    for r in results:
        key = (r["rollcall"]["day"], r["rollcall"]["meeting"])
        assert r["replaced_by"] == {
            "version": 1,
            "taken_by_name": "Ravi Verma",
            "captured_at": captured[key],
        }
    # Replaced by the sender's own later capture: no query for the taker.
    ravi = as_user(world.ravi)
    own, response = _queries(ravi, "/rollcalls/batch", stale(30))
    assert own == large - 1
    assert {r["replaced_by"]["taken_by_name"] for r in response.json()["results"]} == {"Ravi Verma"}
