"""Absences told in advance (shown on the roll call of those days) and the head's
meetings."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from hazri.attendance import seams
from hazri.journal.models import AbsenceNotice, Meeting
from hazri.journal.tests.diary_world import IST, NOW, WEDNESDAY, DiaryWorld, build_diary
from hazri.journal.tests.test_diary import client_of
from hazri.testing.world import World

pytestmark = pytest.mark.django_db
JSON = "application/json"
TUESDAY_EVENING = dt.datetime(2026, 11, 17, 19, 0, tzinfo=IST)


@pytest.fixture
def diary(world: World) -> DiaryWorld:
    d = build_diary(world)
    AbsenceNotice.objects.all().delete()  # each test tells its own
    return d


def _tell(client: Client, student_id: int, **body: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = client.post(
        f"/api/v1/students/{student_id}/absence-notices", body, content_type=JSON
    )
    return response.status_code, response.json()


def test_a_notice_shows_on_the_roll_call_of_its_days(diary: DiaryWorld) -> None:
    imran = client_of(diary.world.imran)
    with time_machine.travel(TUESDAY_EVENING, tick=False):
        status, notice = _tell(
            imran,
            diary.zoya.pk,
            starts_on="2026-11-18",
            ends_on="2026-11-19",
            reason="A wedding in the family",
        )
    assert status == 201, notice
    assert seams.notes_for(diary.world.section, WEDNESDAY) == {
        diary.zoya.pk: "A wedding in the family"
    }
    assert seams.notes_for(diary.world.section, WEDNESDAY + dt.timedelta(days=2)) == {}
    with time_machine.travel(NOW, tick=False):
        page = client_of(diary.world.asha).get(
            f"/sections/{diary.world.section.pk}/mark/", {"day": "2026-11-18", "meeting": "2"}
        )
    assert page.status_code == 200
    html = page.content.decode()
    zoya = html[html.index(f'data-member="{diary.zoya.pk}"') :]
    zoya = zoya[: zoya.index("</li>")]
    assert "absence told in advance: A wedding in the family" in zoya
    assert html.count("data-told") == 1
    # The diary's week shows the reason beside the absence marked that day.
    week = imran.get(f"/api/v1/students/{diary.zoya.pk}/diary", {"week": "2026-11-18"}).json()
    assert week["absences"][0]["reason"] == "A wedding in the family"


def test_bad_notices_are_refused_by_field(diary: DiaryWorld) -> None:
    imran = client_of(diary.world.imran)
    cases = [
        ({"starts_on": "2026-11-17", "ends_on": "2026-11-18", "reason": "x"}, "starts_on"),
        ({"starts_on": "2026-11-20", "ends_on": "2026-11-19", "reason": "x"}, "ends_on"),
        ({"starts_on": "2026-11-20", "ends_on": "2027-03-01", "reason": "x"}, "ends_on"),
        ({"starts_on": "2026-11-20", "ends_on": "2026-11-20", "reason": "   "}, "reason"),
        ({"starts_on": "2026-11-20", "ends_on": "2026-11-20", "reason": ""}, "reason"),
        ({"starts_on": "2026-11-20", "ends_on": "2026-11-20", "reason": "a\x00b"}, "reason"),
        ({"starts_on": "20-11-2026", "ends_on": "2026-11-20", "reason": "x"}, "starts_on"),
    ]
    with time_machine.travel(NOW, tick=False):
        for body, field in cases:
            status, answer = _tell(imran, diary.zoya.pk, **body)
            assert status == 422, body
            assert answer["errors"][0]["field"] == field, answer
        # Today itself may still be told.
        assert (
            _tell(imran, diary.zoya.pk, starts_on="2026-11-18", ends_on="2026-11-18", reason="Ill")[
                0
            ]
            == 201
        )
    assert AbsenceNotice.objects.count() == 1


def test_a_notice_is_withdrawn_until_its_day(diary: DiaryWorld) -> None:
    imran = client_of(diary.world.imran)
    with time_machine.travel(TUESDAY_EVENING, tick=False):
        _, first = _tell(
            imran, diary.zoya.pk, starts_on="2026-11-18", ends_on="2026-11-18", reason="Ill"
        )
        _, second = _tell(
            imran, diary.zoya.pk, starts_on="2026-11-19", ends_on="2026-11-19", reason="Trip"
        )
        withdrawn = imran.post(f"/api/v1/absence-notices/{second['id']}/withdraw")
        assert withdrawn.status_code == 200
        assert withdrawn.json()["withdrawn_at"] is not None
        assert imran.post(f"/api/v1/absence-notices/{second['id']}/withdraw").status_code == 409
    assert seams.notes_for(diary.world.section, dt.date(2026, 11, 19)) == {}
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        late = imran.post(f"/api/v1/absence-notices/{first['id']}/withdraw")
    assert late.status_code == 409
    assert late.json()["errors"][0]["code"] == "begun"


def test_the_notice_page(diary: DiaryWorld) -> None:
    imran = client_of(diary.world.imran)
    url = f"/diary/students/{diary.zoya.pk}/absences/"
    with time_machine.travel(NOW, tick=False):
        assert "data-notice-form" in imran.get(url).content.decode()
        bad = imran.post(url, {"starts_on": "2026-11-01", "ends_on": "", "reason": "Ill"})
        assert bad.status_code == 422
        assert 'data-error-field="starts_on"' in bad.content.decode()
        ok = imran.post(url, {"starts_on": "2026-11-19", "ends_on": "", "reason": "Fever"})
        assert ok.status_code == 302
        notice = AbsenceNotice.objects.get()
        assert (notice.starts_on, notice.ends_on, notice.reason) == (
            dt.date(2026, 11, 19),
            dt.date(2026, 11, 19),
            "Fever",
        )
        assert imran.post(f"/diary/notices/{notice.pk}/withdraw/").status_code == 302
    notice.refresh_from_db()
    assert notice.withdrawn_at is not None
    # The class teacher sees the notices but cannot tell one.
    teacher = client_of(diary.world.asha).get(url).content.decode()
    assert "data-notice-form" not in teacher and f'data-notice="{notice.pk}"' in teacher


def test_the_head_adds_meetings_that_the_diary_shows(diary: DiaryWorld) -> None:
    head = client_of(diary.world.ravi)
    school = diary.world.school.pk
    body = {
        "section": diary.world.section.pk,
        "starts_at": "2026-11-19T15:00:00+05:30",
        "title": "Report cards",
        "place": "Room 2",
    }
    made = head.post(f"/api/v1/schools/{school}/meetings", body, content_type=JSON)
    assert made.status_code == 201, made.content
    teacher = client_of(diary.world.asha)
    refused = teacher.post(f"/api/v1/schools/{school}/meetings", body, content_type=JSON)
    assert refused.status_code == 403
    other = {**body, "section": diary.world.other_section.pk}
    assert (
        head.post(f"/api/v1/schools/{school}/meetings", other, content_type=JSON).status_code == 404
    )
    no_title = head.post(
        f"/api/v1/schools/{school}/meetings", {**body, "title": ""}, content_type=JSON
    )
    assert no_title.status_code == 422
    assert no_title.json()["errors"][0]["field"] == "title"
    listed = teacher.get(f"/api/v1/schools/{school}/meetings", {"week": "2026-11-18"}).json()
    assert "Report cards" in [m["title"] for m in listed]
    assert Meeting.objects.filter(title="Report cards").count() == 1
    week = client_of(diary.world.imran).get(
        f"/api/v1/students/{diary.zoya.pk}/diary", {"week": "2026-11-18"}
    )
    assert "Report cards" in [m["title"] for m in week.json()["meetings"]]
