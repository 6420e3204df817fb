"""Grades through the service and the API: each scale and the kinds' weights, versions,
withdrawing, closed terms, idempotency, who may grade, term and final grades."""

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hazri.common.errors import Forbidden, Invalid
from hazri.journal.models import Grade, TermGrade
from hazri.journal.selectors import journal
from hazri.journal.services import grades
from hazri.testing.world import World

from .journal_fixtures import DAY, Journal, journal_world

pytestmark = pytest.mark.django_db
API = "/api/v1/journal"


def give(
    j: Journal,
    world: World,
    student: int,
    value: str,
    kind: Any,
    by: Any = None,
    day: dt.date = DAY,
) -> Grade:
    grade, created = grades.grade_give(
        section=world.section,
        subject=j.maths,
        student_id=world.students[student].pk,
        kind_id=kind.pk,
        day=day,
        period=1,
        value=value,
        client_uuid=uuid.uuid4(),
        by=by or j.farah,
    )
    assert created
    return grade


@pytest.mark.parametrize(
    ("scale", "oral", "test", "average", "computed"),
    [
        # (oral × 1 + test × 2) / 3, on 0-100, then back to the scale.
        ("5-point", "5", "3", Decimal("73.33"), "4"),
        ("10-point", "9", "6", Decimal("70.00"), "7"),
        ("percent", "80", "50", Decimal("60.00"), "60"),
        ("cbse-letters", "a1", "C1", Decimal("69.00"), "B2"),
    ],
)
def test_term_grade_per_scale_and_weights(
    world: World, scale: str, oral: str, test: str, average: Decimal, computed: str
) -> None:
    j = journal_world(world, scale=scale)
    give(j, world, 0, oral, j.oral)
    give(j, world, 0, test, j.test)
    give(j, world, 1, oral, j.oral)
    sheet = journal.subject_sheet(j.farah, world.section.pk, j.maths.pk, j.term2.pk)
    first = next(r for r in sheet.rows if r.student.id == world.students[0].pk)
    assert (first.average, first.computed) == (average, computed)
    assert [g.value for g in first.grades] == [
        oral.upper() if scale == "cbse-letters" else oral,
        test,
    ]
    made, _ = grades.computed_term_grade(world.section, j.maths, world.students[0].pk, j.term2)
    assert made == computed


def test_a_value_the_scale_lacks_is_a_422_naming_value(world: World) -> None:
    j = journal_world(world, scale="cbse-letters")
    client = Client()
    client.force_login(j.farah)
    body = _grade_body(j, world, "B3")
    response = client.post(f"{API}/grades", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "value"
    assert "A1" in error["message"] and "E" in error["message"]
    assert not Grade.objects.exists()


def _grade_body(j: Journal, world: World, value: str, **extra: Any) -> dict[str, Any]:
    return {
        "client_uuid": str(uuid.uuid4()),
        "section": world.section.pk,
        "subject": j.maths.pk,
        "student": world.students[0].pk,
        "kind": j.oral.pk,
        "day": DAY.isoformat(),
        "period": 1,
        "value": value,
        **extra,
    }


def test_a_change_is_a_new_version_and_the_old_one_stays(world: World) -> None:
    j = journal_world(world)
    first = give(j, world, 0, "3", j.oral)
    with pytest.raises(Invalid) as refused:
        grades.grade_change(
            current=first, value="4", reason=" ", client_uuid=uuid.uuid4(), by=j.farah
        )
    assert refused.value.field == "reason"
    second, _ = grades.grade_change(
        current=first, value="4", reason="Re-checked", client_uuid=uuid.uuid4(), by=j.farah
    )
    versions = list(Grade.objects.filter(work=first.work).order_by("version"))
    assert [(g.value, g.version, g.is_current) for g in versions] == [
        ("3", 1, False),
        ("4", 2, True),
    ]
    assert second.reason == "Re-checked" and second.work == first.work == first.client_uuid
    # The API shows every version, the current one last.
    client = Client()
    client.force_login(j.farah)
    shown = client.get(f"{API}/grades/{first.work}").json()
    assert [g["value"] for g in shown] == ["3", "4"] and shown[-1]["is_current"]


def test_withdrawing_is_a_version_and_leaves_the_average(world: World) -> None:
    j = journal_world(world)
    give(j, world, 0, "5", j.oral)
    low = give(j, world, 0, "2", j.test)
    client = Client()
    client.force_login(j.farah)
    body = {"client_uuid": str(uuid.uuid4()), "reason": "Wrong student", "withdraw": True}
    response = client.post(
        f"{API}/grades/{low.work}/versions", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["withdrawn"] and response.json()["version"] == 2
    assert Grade.objects.filter(work=low.work).count() == 2
    sheet = journal.subject_sheet(j.farah, world.section.pk, j.maths.pk, j.term2.pk)
    row = next(r for r in sheet.rows if r.student.id == world.students[0].pk)
    assert (row.average, row.computed) == (Decimal("100.00"), "5")


def test_after_a_term_is_closed_only_the_head_grades_it(world: World) -> None:
    j = journal_world(world)
    old_day = dt.date(2026, 9, 2)
    grade = give(j, world, 0, "3", j.oral, day=old_day)
    j.term1.closed_at = timezone.now()
    j.term1.save()
    with pytest.raises(Forbidden) as refused:
        give(j, world, 1, "4", j.oral, day=old_day)
    assert refused.value.field == "term"
    client = Client()
    client.force_login(j.farah)
    body = {"client_uuid": str(uuid.uuid4()), "value": "4", "reason": "Late"}
    response = client.post(
        f"{API}/grades/{grade.work}/versions", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["errors"][0]["field"] == "term"
    client.force_login(world.ravi)  # the head
    response = client.post(
        f"{API}/grades/{grade.work}/versions", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201
    give(j, world, 1, "4", j.oral, by=world.ravi, day=old_day)
    confirmed, _ = grades.term_grade_confirm(
        section=world.section,
        subject=j.maths,
        student=world.students[0],
        term=j.term1,
        value="4",
        by=world.ravi,
    )
    assert confirmed.value == "4"
    with pytest.raises(Forbidden):
        grades.term_grade_confirm(
            section=world.section,
            subject=j.maths,
            student=world.students[0],
            term=j.term1,
            value="4",
            by=j.farah,
        )


def test_the_same_uuid_answers_the_stored_grade(world: World) -> None:
    j = journal_world(world)
    client = Client()
    client.force_login(j.farah)
    body = _grade_body(j, world, "4", comment="Good")
    first = client.post(f"{API}/grades", json.dumps(body), content_type="application/json")
    again = client.post(
        f"{API}/grades", json.dumps({**body, "value": "5"}), content_type="application/json"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["value"] == "4"
    assert Grade.objects.count() == 1


def test_another_subject_is_403_and_another_school_404(world: World) -> None:
    j = journal_world(world)
    client = Client()
    client.force_login(j.farah)
    body = _grade_body(j, world, "4", subject=j.english.pk)
    response = client.post(f"{API}/grades", json.dumps(body), content_type="application/json")
    assert response.status_code == 403 and response.json()["errors"][0]["field"] == "subject"
    client.force_login(world.suresh)  # a teacher of Khedi school
    response = client.post(
        f"{API}/grades", json.dumps(_grade_body(j, world, "4")), content_type="application/json"
    )
    assert response.status_code == 404
    assert not Grade.objects.exists()


def test_term_and_final_grades_are_confirmed_with_a_reason_where_they_differ(world: World) -> None:
    j = journal_world(world)
    zoya = world.students[1]
    give(j, world, 1, "4", j.oral)
    give(j, world, 1, "5", j.test)  # (80 + 200) / 3 = 93.33 → 5
    client = Client()
    client.force_login(j.farah)
    body = {
        "section": world.section.pk,
        "subject": j.maths.pk,
        "student": zoya.pk,
        "term": j.term2.pk,
        "value": "4",
    }
    refused = client.post(f"{API}/term-grades", json.dumps(body), content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "reason"
    made = client.post(
        f"{API}/term-grades", json.dumps({**body, "value": "5"}), content_type="application/json"
    )
    again = client.post(
        f"{API}/term-grades", json.dumps({**body, "value": "5"}), content_type="application/json"
    )
    assert (made.status_code, again.status_code) == (201, 200)
    assert made.json()["computed"] == "5" and again.json()["id"] == made.json()["id"]
    changed = client.post(
        f"{API}/term-grades",
        json.dumps({**body, "reason": "Missed the final test"}),
        content_type="application/json",
    )
    assert changed.status_code == 201 and changed.json()["version"] == 2
    assert TermGrade.objects.filter(student=zoya).count() == 2
    # Term 1 confirmed as 3 (60 points) and term 2 as 4 (80): the year comes to 70 → 4.
    TermGrade.objects.create(
        school=world.school,
        section=world.section,
        subject=j.maths,
        student=zoya,
        term=j.term1,
        computed="3",
        value="3",
        points=Decimal(60),
        confirmed_by=j.farah,
        confirmed_at=timezone.now(),
    )
    computed, _ = grades.computed_term_grade(world.section, j.maths, zoya.pk, None)
    assert computed == "4"
