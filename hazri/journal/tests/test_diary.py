"""The diary week: what a family reads, in a fixed number of queries."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hazri.accounts.models import User
from hazri.journal.models import (
    AbsenceNotice,
    Acknowledgement,
    Attachment,
    Homework,
    Term,
    WorkKind,
)
from hazri.journal.selectors.diary import diary_weeks
from hazri.journal.tests.diary_world import MONDAY, WEDNESDAY, DiaryWorld, build_diary, grade
from hazri.people.models import Enrolment, Guardian, Guardianship
from hazri.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def diary(world: World) -> DiaryWorld:
    return build_diary(world)


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _day(child: dict[str, Any], day: dt.date) -> dict[str, Any]:
    return next(d for d in child["days"] if d["day"] == day.isoformat())


def test_the_week_as_the_family_reads_it(diary: DiaryWorld) -> None:
    response = client_of(diary.world.imran).get(
        f"/api/v1/students/{diary.zoya.pk}/diary", {"week": WEDNESDAY.isoformat()}
    )
    assert response.status_code == 200, response.content
    week = response.json()
    assert week["week"] == MONDAY.isoformat()
    monday = _day(week, MONDAY)
    first = monday["lessons"][0]
    # The timetable with the bell's times; the homework set in Monday's lesson is the
    # one that replaced the first version.
    assert (first["period"], first["starts_at"], first["ends_at"]) == (1, "08:00:00", "08:40:00")
    assert first["subject_name"] == "Mathematics"
    assert [h["text"] for h in first["homework_set"]] == ["Exercise 3.1, questions 1 to 5"]
    tuesday = _day(week, MONDAY + dt.timedelta(days=1))
    assert tuesday["lessons"][0]["change"] == "substitute"
    assert tuesday["lessons"][0]["teacher"] == "Ravi Verma"
    assert tuesday["lessons"][0]["note"] == "Asha on training"
    wednesday = _day(week, WEDNESDAY)
    maths = wednesday["lessons"][0]
    assert maths["topic"] == "Fractions: halves and quarters"
    assert [h["text"] for h in maths["homework_due"]] == ["Exercise 3.1, questions 1 to 5"]
    # Current grades only, with their comment; the older version and the withdrawn one
    # are left out, and last week's grade is not this week's.
    assert [(g["subject"], g["value"], g["kind"], g["comment"]) for g in week["grades"]] == [
        ("Mathematics", "5", "Test", "Neat work")
    ]
    # The praise the family may see; the concern held for the class teacher is not.
    assert [(r["kind"], r["text"]) for r in week["remarks"]] == [
        ("praise", "Helped a classmate with sums")
    ]
    # Absent on Wednesday, told in advance: excused, with the reason.
    assert wednesday["absences"] == [
        {
            "day": WEDNESDAY.isoformat(),
            "meeting": 1,
            "code": "A",
            "excused": True,
            "reason": "Fever",
        }
    ]
    assert [m["title"] for m in week["meetings"]] == ["Annual day rehearsal", "Class 5 A parents"]
    # Progress: maths 60 (oral, weight 1) then with the 100 of a test (weight 2): 86.67.
    series = week["progress"]["series"]["Mathematics"]
    assert series[-1] == pytest.approx(86.67)
    assert series[week["progress"]["weeks"].index("2026-11-02")] == pytest.approx(60.0)
    assert week["progress"]["weeks"][0] == "2026-09-28"


def test_an_absence_not_told_is_not_excused_and_leave_is(diary: DiaryWorld) -> None:
    weeks = diary_weeks([diary.aarav, diary.bhavna], WEDNESDAY)
    aarav, bhavna = weeks
    assert [(a.code, a.excused, a.reason) for a in aarav.absences] == [("A", False, "")]
    assert [(a.code, a.excused) for a in bhavna.absences] == [("L", True)]
    # Nothing of Zoya's reaches another child's week.
    assert aarav.grades == [] and aarav.remarks == []


def test_a_parent_of_two_children_in_two_schools(diary: DiaryWorld) -> None:
    client = client_of(diary.world.imran)
    response = client.get("/api/v1/diary", {"week": WEDNESDAY.isoformat()})
    assert response.status_code == 200
    children = {c["name"]: c for c in response.json()["children"]}
    assert set(children) == {"Zoya Khan", "Gopal Das"}
    assert children["Gopal Das"]["school"] == diary.world.other_school.pk
    evs = _day(children["Gopal Das"], MONDAY)["lessons"]
    assert [lesson["subject_name"] for lesson in evs] == ["Environment"]
    # Rampur's meetings are not Khedi's.
    assert children["Gopal Das"]["meetings"] == []
    page = client.get("/diary/", {"week": WEDNESDAY.isoformat()})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-student="{diary.zoya.pk}"' in html and f'data-student="{diary.gopal.pk}"' in html
    assert "Helped a classmate with sums" in html and "Talked through the lesson" not in html


def test_acknowledging_a_week_once(diary: DiaryWorld) -> None:
    client = client_of(diary.world.imran)
    url = f"/api/v1/students/{diary.zoya.pk}/diary/acknowledgement"
    first = client.post(url, {"week": WEDNESDAY.isoformat()}, content_type="application/json")
    assert first.status_code == 201, first.content
    again = client.post(url, {"week": MONDAY.isoformat()}, content_type="application/json")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert first.json()["week"] == MONDAY.isoformat()
    week = client.get(f"/api/v1/students/{diary.zoya.pk}/diary", {"week": MONDAY.isoformat()})
    assert [a["id"] for a in week.json()["acknowledgements"]] == [first.json()["id"]]
    # Gopal's week is not signed by signing Zoya's.
    other = client.get(f"/api/v1/students/{diary.gopal.pk}/diary", {"week": MONDAY.isoformat()})
    assert other.json()["acknowledgements"] == []


def test_a_week_not_begun_cannot_be_signed(diary: DiaryWorld) -> None:
    response = client_of(diary.world.imran).post(
        f"/api/v1/students/{diary.zoya.pk}/diary/acknowledgement",
        {"week": "2199-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "week"


def test_the_class_teacher_sees_who_signed(diary: DiaryWorld) -> None:
    client_of(diary.world.imran).post(
        f"/api/v1/students/{diary.zoya.pk}/diary/acknowledgement",
        {"week": MONDAY.isoformat()},
        content_type="application/json",
    )
    asha = client_of(diary.world.asha)
    response = asha.get(
        f"/api/v1/sections/{diary.world.section.pk}/acknowledgements", {"week": MONDAY.isoformat()}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    signed = {row["name"]: row["acknowledged"] for row in body["students"]}
    assert signed["Zoya Khan"] is True
    assert signed["Aarav Sharma"] is False
    assert body["signed"] == 1
    zoya = next(row for row in body["students"] if row["name"] == "Zoya Khan")
    assert zoya["guardians"] == ["Imran Khan"]
    assert zoya["acknowledgements"][0]["signed_by"] == "Imran Khan"
    page = asha.get(
        f"/journal/sections/{diary.world.section.pk}/acknowledgements/",
        {"week": MONDAY.isoformat()},
    )
    assert page.status_code == 200
    assert f'data-student="{diary.zoya.pk}" data-acknowledged="yes"' in page.content.decode()
    # A week later nobody has signed.
    later = asha.get(
        f"/api/v1/sections/{diary.world.section.pk}/acknowledgements", {"week": "2026-11-23"}
    )
    assert later.json()["signed"] == 0
    # Suresh teaches at Khedi: not Rampur's section (404); a subject teacher is refused.
    suresh = client_of(diary.world.suresh)
    assert (
        suresh.get(f"/api/v1/sections/{diary.world.section.pk}/acknowledgements").status_code == 404
    )


def test_the_student_reads_and_changes_nothing(diary: DiaryWorld) -> None:
    zoya = client_of(diary.zoya_user)
    assert zoya.get("/api/v1/diary").json()["children"][0]["student"] == diary.zoya.pk
    assert zoya.get(f"/diary/students/{diary.zoya.pk}/").status_code == 200
    json = "application/json"
    writes = [
        (f"/api/v1/students/{diary.zoya.pk}/diary/acknowledgement", {"week": "2026-11-16"}),
        (
            f"/api/v1/students/{diary.zoya.pk}/absence-notices",
            {"starts_on": "2199-01-01", "ends_on": "2199-01-01", "reason": "Trip"},
        ),
    ]
    for url, body in writes:
        assert zoya.post(url, body, content_type=json).status_code == 403, url
    notice = zoya.get(f"/api/v1/students/{diary.zoya.pk}/absence-notices")
    notice_id = notice.json()[0]["id"]
    assert zoya.post(f"/api/v1/absence-notices/{notice_id}/withdraw").status_code == 403
    assert (
        zoya.post(
            f"/api/v1/schools/{diary.world.school.pk}/meetings",
            {"title": "x", "starts_at": "2026-11-20T10:00:00+05:30"},
            content_type=json,
        ).status_code
        == 404
    )
    # The pages' forms too: no button, and a post is refused.
    page = zoya.get(f"/diary/students/{diary.zoya.pk}/", {"week": MONDAY.isoformat()})
    assert "data-acknowledge" not in page.content.decode()
    ack = zoya.post(f"/diary/students/{diary.zoya.pk}/acknowledge/", {"week": "2026-11-16"})
    assert ack.status_code == 403
    assert zoya.post(f"/diary/notices/{notice_id}/withdraw/").status_code == 403
    assert Acknowledgement.objects.count() == 0
    assert AbsenceNotice.objects.filter(withdrawn_at__isnull=False).count() == 0


def test_another_familys_child_is_not_found(diary: DiaryWorld) -> None:
    zoya = client_of(diary.zoya_user)
    imran = client_of(diary.world.imran)
    for client, other in [(zoya, diary.aarav), (imran, diary.aarav), (zoya, diary.gopal)]:
        assert client.get(f"/api/v1/students/{other.pk}/diary").status_code == 404
        assert client.get(f"/diary/students/{other.pk}/").status_code == 404
        assert (
            client.post(
                f"/api/v1/students/{other.pk}/diary/acknowledgement",
                {"week": "2026-11-16"},
                content_type="application/json",
            ).status_code
            == 404
        )
    assert imran.get("/api/v1/students/999999999/diary").status_code == 404


def test_bad_weeks_are_refused_by_field(diary: DiaryWorld) -> None:
    imran = client_of(diary.world.imran)
    response = imran.get("/api/v1/diary", {"week": "2026-13-01"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "week"
    assert imran.get("/diary/", {"week": "tomorrow"}).status_code == 422


def _measure(students: list[Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        weeks = diary_weeks(students, WEDNESDAY)
    assert weeks
    return len(queries)


@pytest.mark.parametrize("periods", [1, 5])
def test_the_week_reads_in_fixed_queries(
    world: World, periods: int, django_assert_max_num_queries: Any
) -> None:
    """The small week (5 lessons) and the full one (30 lessons, more grades) read in
    as many queries; so do one child and two in two schools."""
    diary = build_diary(world, periods=periods)
    term = Term.objects.get(school=world.school)
    kind = WorkKind.objects.get(code="test")
    for n in range(1 if periods == 1 else 25):
        day = MONDAY + dt.timedelta(days=n % 6)
        grade(diary.zoya, world.section, diary.maths, kind, term, day, "4", 80, world.asha)
    weeks = diary_weeks([diary.zoya], WEDNESDAY)
    lessons = sum(len(day.lessons) for day in weeks[0].days)
    assert lessons == (5 if periods == 1 else 30)
    budget = 16  # with the homework's files
    with django_assert_max_num_queries(budget):
        diary_weeks([diary.zoya, diary.gopal], WEDNESDAY)
    assert _measure([diary.zoya]) == _measure([diary.zoya, diary.gopal, diary.aarav])
    # The parent's page and the API, whole: the request's session, user and roles too.
    client = client_of(world.imran)
    client.get("/api/v1/me")
    with django_assert_max_num_queries(22):
        assert client.get("/api/v1/diary", {"week": "2026-11-18"}).status_code == 200
    # The page: the API's reads, and three for the header's unread messages and notices.
    with django_assert_max_num_queries(29):
        assert client.get("/diary/", {"week": "2026-11-18"}).status_code == 200


def test_the_family_gets_the_homework_files(diary: DiaryWorld, world: World) -> None:
    """A file given with homework is listed in the diary, and the child's family (and no
    other) downloads it."""
    homework = Homework.objects.get(replaced_by__isnull=True, section=world.section)
    given = Attachment.objects.create(
        school=world.school,
        homework=homework,
        name="fractions.pdf",
        media_type="application/pdf",
        size=9,
        data=b"%PDF-1.7\n",
    )
    week = client_of(world.imran).get("/api/v1/diary", {"week": "2026-11-18"}).json()
    files = [
        f
        for child in week["children"]
        for day in child["days"]
        for lesson in day["lessons"]
        for hw in lesson["homework_set"] + lesson["homework_due"]
        for f in hw["files"]
    ]
    assert {f["name"] for f in files} == {"fractions.pdf"}
    url = files[0]["url"]
    page = client_of(world.imran).get("/diary/", {"week": "2026-11-18"})
    assert f'data-homework-file="{given.pk}"'.encode() in page.content
    got = client_of(world.imran).get(url)
    assert got.status_code == 200 and b"".join(got) == b"%PDF-1.7\n"
    # Another family (Gopal's school, another section) and nobody's: the same 404.
    other = User.objects.create_user("sunita", password="x")
    guardian = Guardian.objects.create(name="Sunita", user=other)
    Guardianship.objects.create(guardian=guardian, student=world.students[0], relation="mother")
    Enrolment.objects.filter(student=world.students[0]).update(section=world.other_section)
    assert client_of(other).get(url).status_code == 404
