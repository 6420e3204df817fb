"""The teacher's lessons of a day in the JSON API, with what the offline app needs to
grade without a connection: the school, the day, the scheme's kinds of work and the
scale's grades."""

from typing import Any

import pytest
from django.test import Client

from hazri.journal import rules
from hazri.journal.models import Scheme
from hazri.testing.world import World

from .journal_fixtures import DAY, journal_world

pytestmark = pytest.mark.django_db


def _today(client: Client) -> list[dict[str, Any]]:
    answer = client.get(f"/api/v1/journal/today?day={DAY.isoformat()}")
    assert answer.status_code == 200, answer.content
    return answer.json()  # type: ignore[no-any-return]


def test_a_subject_teachers_day_carries_the_kinds_and_the_scale(world: World) -> None:
    j = journal_world(world, scale="cbse-letters")
    client = Client()
    assert j.farah is not None
    client.force_login(j.farah)
    [lesson] = _today(client)
    assert (lesson["section"], lesson["subject"], lesson["period"]) == (
        world.section.pk,
        j.maths.pk,
        1,
    )
    assert lesson["school"] == world.school.pk
    assert lesson["day"] == DAY.isoformat()
    assert [k["code"] for k in lesson["kinds"]] == ["test", "oral"]  # the weightiest first
    assert lesson["kinds"][0] == {
        "id": j.test.pk,
        "code": "test",
        "name": "Test",
        "name_local": "",
        "weight": "2.00",
    }
    assert lesson["scale"] == {
        "name": "cbse-letters",
        "kind": "letters",
        "values": ["A1", "A2", "B1", "B2", "C1", "C2", "D", "E"],
    }


def test_a_points_scale_lists_its_grades_and_no_scheme_gives_none(world: World) -> None:
    j = journal_world(world)
    client = Client()
    assert j.farah is not None
    client.force_login(j.farah)
    assert _today(client)[0]["scale"]["values"] == ["5", "4", "3", "2", "1"]
    Scheme.objects.all().delete()
    [lesson] = _today(client)
    assert lesson["kinds"] == []
    assert lesson["scale"] is None


@pytest.mark.parametrize(
    ("name", "values"),
    [("10-point", [str(n) for n in range(10, 0, -1)]), ("percent", [])],
)
def test_each_scale_says_its_grades(name: str, values: list[str]) -> None:
    scale = rules.SCALES[name]
    assert list(scale.values()) == values
    for value in values:
        scale.points(value)  # every listed grade is one the scale takes
