"""The hand-written SQL of ingest (hazri.common.sql) reads exactly what the ORM reads:
the same policies, calendars, sections, postings, tokens and rolls, on SQLite and on
PostgreSQL."""

import datetime as dt

import pytest

from hazri.accounts import selectors as access
from hazri.accounts.auth import device_token
from hazri.accounts.models import DeviceToken
from hazri.accounts.services import token_digest
from hazri.attendance.services import checks
from hazri.dashboards.models import SchoolDay
from hazri.dashboards.services import schoolday_refresh, schooldays_rebuild
from hazri.org import selectors as org
from hazri.org.models import AttendancePolicy, CalendarEntry, Section
from hazri.people import selectors as people_selectors
from hazri.people.roll import RollEntry
from hazri.people.selectors import section_roll
from hazri.testing.world import HOLIDAY, SCHOOL_DAY

from .conftest import local, rollcall
from .test_api_school import staff_payload


def test_policies_and_day_statuses_match_the_org_selectors(world) -> None:  # type: ignore[no-untyped-def]
    # A block's own policy beats the state's; a school's own entry beats the district's.
    AttendancePolicy.objects.create(
        unit=world.block,
        meetings_per_day=1,
        on_time_minutes=45,
        cutoff=dt.time(16, 0),
        weekly_offs=[6, 7],
    )
    CalendarEntry.objects.create(school=world.school, day=HOLIDAY, kind="working", name="Make-up")
    CalendarEntry.objects.create(unit=world.cluster, day=SCHOOL_DAY, kind="holiday", name="Mela")
    schools = [world.school, world.other_school]
    policies = org.schools_policies(schools)
    days = [SCHOOL_DAY + dt.timedelta(days=n) for n in range(-10, 10)] + [HOLIDAY]
    # A batch asks for scattered days; one school's calendar reads a span.
    statuses = org.schools_day_statuses([(s, day) for s in schools for day in days], policies)
    for school in schools:
        assert policies[school.pk] == org.policy_for_school(school)
        for day in days:
            assert statuses[(school.pk, day)] == org.school_day_status(school, day), (school, day)
    assert policies[world.school.pk].meetings_per_day == 1
    assert policies[world.school.pk].cutoff == dt.time(16, 0)
    assert statuses[(world.school.pk, HOLIDAY)].is_school_day
    assert statuses[(world.school.pk, HOLIDAY)].name == "Make-up"
    for school in schools:
        assert statuses[(school.pk, SCHOOL_DAY)].name == "Mela"
        assert not statuses[(school.pk, SCHOOL_DAY)].is_school_day
        saturday = next(day for day in days if day.isoweekday() == 6)
        assert not statuses[(school.pk, saturday)].is_school_day
    assert not statuses[(world.other_school.pk, HOLIDAY)].is_school_day


def test_sections_postings_tokens_and_rolls_load_as_the_orm_loads_them(world) -> None:  # type: ignore[no-untyped-def]
    found = org.sections_by_id([world.section.pk, world.other_section.pk, 10**9])
    orm = Section.objects.select_related("school", "academic_year").in_bulk(
        [world.section.pk, world.other_section.pk]
    )
    assert found.keys() == orm.keys()
    for pk, section in found.items():
        for a, b in ((section, orm[pk]), (section.school, orm[pk].school)):
            assert [getattr(a, f.attname) for f in a._meta.concrete_fields] == [
                getattr(b, f.attname) for f in b._meta.concrete_fields
            ]
        assert section.academic_year.contains(SCHOOL_DAY)
    assert sorted(access.postings_of(world.ravi)) == sorted(
        access.PostingSpan(p.school_id, p.role, p.starts_on, p.ends_on, p.school.timezone)
        for p in world.ravi.staff.postings.all()
    )
    token = DeviceToken.objects.create(user=world.asha, name="phone", key_digest=token_digest("k"))
    loaded = device_token("k")
    assert loaded is not None and loaded.pk == token.pk and loaded.user == world.asha
    assert loaded.created_at == token.created_at and loaded.user.is_active is True
    assert device_token("wrong") is None
    roll = people_selectors.rolls_on([(world.section, SCHOOL_DAY)])[(world.section.pk, SCHOOL_DAY)]
    assert [m.member for m in roll] == [m.id for m in section_roll(world.section, SCHOOL_DAY)]
    assert all(isinstance(m, RollEntry) for m in roll)


def test_the_rollup_recount_matches_a_rebuild(world, as_user) -> None:  # type: ignore[no-untyped-def]
    api = as_user(world.ravi)
    for meeting, codes, hour in ((1, "PAPLP", 8), (2, "PPPPA", 13), (1, "AAPPP", 9)):
        body = rollcall(world, meeting=meeting, codes=codes, captured=local(SCHOOL_DAY, hour))
        assert api.post("/rollcalls", body).status_code == 201
    assert api.post("/staff-rollcalls", staff_payload(world, "PD")).status_code == 201
    schoolday_refresh(school=world.school, day=SCHOOL_DAY)
    fields = [f.attname for f in SchoolDay._meta.concrete_fields if f.attname != "updated_at"]
    refreshed = SchoolDay.objects.filter(school=world.school, day=SCHOOL_DAY).values(*fields)[0]
    schooldays_rebuild(schools=[world.school], start=SCHOOL_DAY, end=SCHOOL_DAY)
    rebuilt = SchoolDay.objects.filter(school=world.school, day=SCHOOL_DAY).values(*fields)[0]
    assert refreshed == rebuilt
    assert rebuilt["meetings_marked"] == 2 and rebuilt["absent"] == 3 and rebuilt["leave"] == 0
    assert rebuilt["staff_marked"] and rebuilt["staff_attended"] == 2


def test_a_batch_with_no_roll_call_to_store_asks_nothing_of_an_empty_list(world, as_user) -> None:  # type: ignore[no-untyped-def]
    # An empty IN () is refused by PostgreSQL: such a batch must not build one.
    api = as_user(world.ravi)
    body = {"rollcalls": [{"client_uuid": "nope"}], "staff_rollcalls": [staff_payload(world)]}
    response = api.post("/rollcalls/batch", body)
    assert response.status_code == 200, response.content
    assert [r["status"] for r in response.json()["results"]] == ["rejected"]
    assert [r["status"] for r in response.json()["staff_results"]] == ["created"]


def test_many_rows_insert_as_the_orm_stores_them_and_get_their_ids_in_order(world) -> None:  # type: ignore[no-untyped-def]
    # On PostgreSQL several rows go in as one array a column (unnest): every type of
    # column must come back as given, None and JSON included, ids in the order given.
    from django.utils import timezone

    from hazri.audit.models import AuditEvent
    from hazri.audit.services import audit_records
    from hazri.common import sql

    start = timezone.now()
    sections = list(Section.objects.order_by("pk"))[:2]
    events = [
        ("rollcall.submit", sections[0], world.school.pk, {"version": 1, "नाम": "रवि"}),
        ("rollcall.correct", sections[1], None, None),
        ("rollcall.submit", sections[0], world.school.pk, {"nested": {"a": [1, 2]}}),
    ]
    assert audit_records(user=world.ravi, events=events) == 3
    stored = list(
        AuditEvent.objects.filter(at__gte=start)
        .order_by("pk")
        .values_list("user_id", "school_id", "action", "object_type", "object_id", "detail")
    )
    assert stored == [
        (
            world.ravi.pk,
            world.school.pk,
            "rollcall.submit",
            "Section",
            str(sections[0].pk),
            {"version": 1, "नाम": "रवि"},
        ),
        (world.ravi.pk, None, "rollcall.correct", "Section", str(sections[1].pk), {}),
        (
            world.ravi.pk,
            world.school.pk,
            "rollcall.submit",
            "Section",
            str(sections[0].pk),
            {"nested": {"a": [1, 2]}},
        ),
    ]

    rows = [
        {
            "unit_id": None,
            "school_id": world.school.pk,
            "day": SCHOOL_DAY + dt.timedelta(days=400 + i),
            "kind": CalendarEntry.Kind.HOLIDAY,
            "name": f"Day {i}",
            "name_local": "" if i else "दिवस",
        }
        for i in range(3)
    ]
    ids = sql.insert_rows(CalendarEntry, rows)
    assert ids == sorted(ids) and len(set(ids)) == 3
    for pk, row in zip(ids, rows, strict=True):
        again = CalendarEntry.objects.get(pk=pk)
        assert (again.day, again.name, again.name_local, again.school_id, again.unit_id) == (
            row["day"],
            row["name"],
            row["name_local"],
            world.school.pk,
            None,
        )
    # Every column is given: a row that leaves one out is refused before any SQL.
    with pytest.raises(KeyError):
        sql.insert_rows(CalendarEntry, [{k: v for k, v in rows[0].items() if k != "kind"}])


def test_the_versions_read_finds_each_keys_current_and_latest_whatever_its_history(
    world, as_user
) -> None:  # type: ignore[no-untyped-def]
    # The read that decides a submit's version: per key the current version and the
    # latest, which differ when an earlier capture arrived last; nothing for a key never
    # marked, and nothing of the other versions, days or meetings around it.
    from hazri.attendance.models import RollCall
    from hazri.attendance.services.rollcalls import _versions_locked

    api = as_user(world.ravi)
    for hour, minute in ((8, 10), (8, 20), (8, 30), (8, 40)):  # each captured later
        body = rollcall(world, captured=local(SCHOOL_DAY, hour, minute))
        assert api.post("/rollcalls", body).status_code == 201
    for hour in (9, 8):  # the second was captured earlier: stored, not current
        body = rollcall(world, meeting=2, captured=local(SCHOOL_DAY, hour))
        assert api.post("/rollcalls", body).status_code == 201
    day_before = SCHOOL_DAY - dt.timedelta(days=1)
    assert api.post("/rollcalls", rollcall(world, day=day_before)).status_code == 201
    keys = {
        (world.school.pk, world.section.pk, SCHOOL_DAY, 1),
        (world.school.pk, world.section.pk, SCHOOL_DAY, 2),
        (world.school.pk, world.other_section.pk, SCHOOL_DAY, 1),  # never marked
    }
    rows = _versions_locked(keys)
    expected = []
    for school, section, day, meeting in keys:
        versions = RollCall.objects.filter(
            school_id=school, section_id=section, day=day, meeting=meeting
        )
        wanted = {v.pk for v in versions if v.is_current}
        wanted |= {v.pk for v in versions.order_by("-version")[:1]}
        expected += [
            (v.pk, school, section, day, meeting, v.version, v.is_current, v.captured_at)
            for v in versions.filter(pk__in=wanted)
        ]
    assert rows == sorted(expected)  # in id order: two writers lock alike
    assert [(r[4], r[5], r[6]) for r in rows] == [(1, 4, True), (2, 1, True), (2, 2, False)]


def test_the_repeats_read_finds_a_uuid_only_in_the_school_that_stored_it(world, as_user) -> None:  # type: ignore[no-untyped-def]
    # A batch's retry check: each (school, UUID) is looked up on its own. A UUID stored
    # at one school is no repeat at another (UUIDs are unique per school), and a new
    # one finds nothing.
    import uuid

    from hazri.attendance.models import RollCall
    from hazri.attendance.services.common import Capture, RollCallItem

    body = rollcall(world)
    assert as_user(world.ravi).post("/rollcalls", body).status_code == 201
    stored = RollCall.objects.get(client_uuid=body["client_uuid"])

    def item(section: Section, sent: str | uuid.UUID) -> RollCallItem:
        capture = Capture(client_uuid=uuid.UUID(str(sent)), captured_at=stored.captured_at)
        return RollCallItem(section=section, day=SCHOOL_DAY, meeting=1, marks=[], capture=capture)

    items = [
        item(world.other_section, body["client_uuid"]),  # the same UUID at Khedi
        item(world.section, uuid.uuid4()),
        item(world.section, body["client_uuid"]),
    ]
    assert world.other_section.school_id != world.section.school_id
    assert checks._repeats(items) == [stored.pk]
    assert checks._repeats(items[:2]) == []
