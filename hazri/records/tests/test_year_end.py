"""Year end through the API: the whole section promoted by its recorded results, the
children who failed or sit supplementary exams first on next session's roll (§3.2)."""

import json

from hazri.people.models import Enrolment
from hazri.people.selectors import section_roll
from hazri.testing.world import World

from .conftest import NextYear, next_year_of, results, signed_in


def promote(client, world: World, **body: int):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/sections/{world.section.pk}/year-end",
        json.dumps(body),
        content_type="application/json",
    )


def test_promotion_places_each_child_by_result_with_repeaters_first(
    world: World, next_year: NextYear
) -> None:
    # Aarav passed, Zoya failed, Bhavna sits a supplementary, Kabir passed, Diya absent.
    results(world, "passed", "failed", "supplementary", "passed", "absent")
    ravi = signed_in(world.ravi)
    plan = ravi.get(f"/api/v1/sections/{world.section.pk}/year-end").json()
    assert plan["to"]["id"] == next_year.up.pk and plan["repeat_in"]["id"] == next_year.same.pk
    assert {c["name"]: c["placement"] for c in plan["children"]} == {
        "Aarav Sharma": "promote",
        "Zoya Khan": "repeat",
        "Bhavna Meena": "promote_first",
        "Kabir Singh": "promote",
        "Diya Rajput": "repeat",
    }
    done = promote(ravi, world)
    assert done.status_code == 201, done.content
    first_day = next_year.year.starts_on
    # Class 6: the supplementary child first, then the promoted in alphabetical order.
    assert [m.name for m in section_roll(next_year.up, first_day)] == [
        "Bhavna Meena",
        "Aarav Sharma",
        "Kabir Singh",
    ]
    # Class 5 again: the repeaters, alphabetical.
    assert [m.name for m in section_roll(next_year.same, first_day)] == [
        "Diya Rajput",
        "Zoya Khan",
    ]
    origins = dict(
        Enrolment.objects.filter(section=next_year.up).values_list("student__name", "origin")
    )
    assert origins["Bhavna Meena"] == "repeater" and origins["Aarav Sharma"] == "promoted"
    # Everyone left this session's roll on its last day, and nobody twice.
    assert not Enrolment.objects.filter(section=world.section, ends_on__isnull=True).exists()
    again = promote(ravi, world)
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "already_promoted"


def test_a_changed_result_moves_the_child(world: World, next_year: NextYear) -> None:
    from hazri.registers.services import exam_result_set

    results(world, "passed", "failed", "passed", "passed", "passed")
    exam_result_set(
        section=world.section,
        student=world.students[1],
        result="passed",
        reason="Revaluation",
        by=world.ravi,
    )
    assert promote(signed_in(world.ravi), world).status_code == 201
    assert Enrolment.objects.filter(section=next_year.up).count() == 5


def test_promotion_is_refused_cleanly(world: World) -> None:
    ravi = signed_in(world.ravi)
    before = Enrolment.objects.count()
    # Results missing: named, and nothing written.
    results_missing = promote(ravi, world)
    assert results_missing.status_code == 422
    assert results_missing.json()["errors"][0]["field"] == "results"
    assert "Aarav Sharma" in results_missing.json()["detail"]
    results(world, "passed", "failed", "passed", "passed", "passed")
    # Next session's sections do not exist yet.
    no_year = promote(ravi, world)
    assert no_year.status_code == 409
    assert no_year.json()["errors"][0] == {
        "field": "to",
        "message": no_year.json()["detail"],
        "code": "next_year_missing",
    }
    following = next_year_of(world)
    # The wrong class; another school's section (not the head's: not found).
    wrong = promote(ravi, world, to=following.same.pk)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "to"
    other = promote(ravi, world, to=world.other_section.pk)
    assert other.status_code == 404 and other.json()["errors"][0]["field"] == "to"
    # Not a head: a teacher may see the section, not promote it; a parent sees nothing.
    assert promote(signed_in(world.asha), world).status_code == 403
    assert promote(signed_in(world.imran), world).status_code == 404
    assert (
        signed_in(world.asha).get(f"/api/v1/sections/{world.section.pk}/year-end").status_code
        == 403
    )
    assert Enrolment.objects.count() == before
    assert promote(ravi, world, to=following.up.pk).status_code == 201
