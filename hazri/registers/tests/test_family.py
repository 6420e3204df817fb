"""A family's home page and statement: each child's month in meetings and days, the
landing after login, and nothing of the staff's."""

import datetime as dt

import pytest
import time_machine

from hazri.people.models import Student
from hazri.registers.tests.test_pages import login, mark
from hazri.testing.world import PASSWORD, World

OCTOBER_5 = dt.datetime(2026, 10, 5, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))


def zoya_misses_three_meetings_on_two_days(world: World) -> None:
    """Zoya (third on the roll) is absent from both meetings of the 1st and the
    forenoon of the 3rd; everyone else is present."""
    mark(world, dt.date(2026, 10, 1), "PPAPP")
    mark(world, dt.date(2026, 10, 1), "PPAPP", meeting=2, hour=13)
    mark(world, dt.date(2026, 10, 3), "PPAPP")


@pytest.fixture
def october_5():  # type: ignore[no-untyped-def]
    with time_machine.travel(OCTOBER_5, tick=False):
        yield


def test_the_statement_counts_meetings_and_days_apart(world, october_5) -> None:
    zoya_misses_three_meetings_on_two_days(world)
    zoya = world.students[1]
    body = (
        login("imran")
        .get(f"/api/v1/students/{zoya.pk}/attendance", {"start": "2026-10-01", "end": "2026-10-31"})
        .json()
    )
    assert body["total"]["held"] == 3 and body["total"]["absent"] == 3
    assert body["total"]["days_absent"] == 2
    assert body["absent_days"] == ["2026-10-01", "2026-10-03"]
    assert body["months"][0]["days_absent"] == 2 and body["months"][0]["absent"] == 3


def test_a_parent_lands_on_the_month_of_each_child(world, october_5) -> None:
    zoya_misses_three_meetings_on_two_days(world)
    client = login("imran")
    landed = client.post(
        "/accounts/login/", {"username": "imran", "password": PASSWORD}, follow=False
    )
    assert landed.status_code == 302 and landed["Location"] == "/family/"
    # Sent to log in from the start page, he lands on his own page too.
    fresh = login("imran")
    fresh.logout()
    sent = fresh.post("/accounts/login/?next=/", {"username": "imran", "password": PASSWORD})
    assert sent["Location"] == "/family/"
    # The start page, reached by a bookmark, sends him there too: no staff message.
    start = client.get("/")
    assert start.status_code == 302 and start["Location"] == "/family/"
    page = client.get("/family/").content.decode()
    zoya = world.students[1]
    assert f'data-student="{zoya.pk}"' in page and "Zoya Khan" in page
    assert "GPS Rampur" in page and "Class 5 A" in page
    assert "attended 0 of 3 meetings" in page
    assert "Absent 3 meetings on 2 days." in page
    assert "Thu 1 Oct" in page and "Sat 3 Oct" in page
    assert "posted to any school" not in page  # the staff's message
    # Only his own child: the other children of the class are not on it.
    for other in world.students:
        if other != zoya:
            assert other.name not in page


def test_staff_land_where_they_did_and_see_no_family(world) -> None:
    client = login("ravi")
    client.logout()
    landed = client.post("/accounts/login/", {"username": "ravi", "password": PASSWORD})
    assert landed["Location"] == "/"
    page = login("ravi").get("/family/").content.decode()
    assert "No student is linked to your account" in page


def test_a_student_sees_their_own_month(world, october_5) -> None:
    zoya_misses_three_meetings_on_two_days(world)
    Student.objects.filter(pk=world.students[1].pk).update(user=world.asha)
    # Asha (a teacher) is also the student here: her posting keeps her landing on "/";
    # the page itself shows her own record as "self".
    page = login("asha").get("/family/").content.decode()
    assert "Zoya Khan" in page and "Absent 3 meetings on 2 days." in page
    me = login("asha").get("/api/v1/me").json()
    assert [(c["id"], c["relation"]) for c in me["children"]] == [(world.students[1].pk, "self")]
