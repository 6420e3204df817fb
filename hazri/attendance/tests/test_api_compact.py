"""The compact form of the marks (ids with one letter each) and the brief batch answer:
what the teacher app sends at every sync, stored exactly as the object form would be."""

from hazri.attendance.models import RollCall, StaffRollCall
from hazri.people.selectors import section_roll
from hazri.testing.world import SCHOOL_DAY

from .conftest import rollcall
from .test_api_school import staff_payload


def compact(payload: dict, ids: str = "students") -> dict:
    """The same roll call with its marks sent compact."""
    marks = payload.pop("marks")
    key = "student" if ids == "students" else "staff"
    return {**payload, ids: [m[key] for m in marks], "codes": "".join(m["code"] for m in marks)}


def test_compact_marks_are_stored_as_the_objects_would_be(world, as_user) -> None:
    api = as_user(world.ravi)
    as_objects = rollcall(world, codes="PAPLD", meeting=1)
    as_compact = compact(
        rollcall(world, codes="PAPLD", meeting=2, captured=as_objects["captured_at"])
    )
    # Sent in another order than the roll: aligned by id all the same.
    order = [4, 0, 3, 1, 2]
    as_compact["students"] = [as_compact["students"][i] for i in order]
    as_compact["codes"] = "".join(as_compact["codes"][i] for i in order)
    one = api.post("/rollcalls", as_objects)
    two = api.post("/rollcalls", as_compact)
    assert (one.status_code, two.status_code) == (201, 201), two.content
    assert one.json()["marks"] == two.json()["marks"]
    assert one.json()["counts"] == two.json()["counts"]
    assert set(RollCall.objects.values_list("marks", flat=True)) == {"PAPLD"}


def test_compact_errors_name_the_id_that_is_wrong(world, as_user) -> None:
    api = as_user(world.ravi)
    payload = compact(rollcall(world))
    stranger = {**payload, "students": [*payload["students"][:4], 999999]}
    twice = {**payload, "students": [*payload["students"][:4], payload["students"][0]]}
    short = {**payload, "students": payload["students"][:4], "codes": payload["codes"][:4]}
    answers = [api.post("/rollcalls", p).json()["errors"][0] for p in (stranger, twice, short)]
    assert [(e["field"], e["code"]) for e in answers] == [
        ("students[4]", "not_on_roll"),
        ("students[4]", "duplicate"),
        ("students", "missing"),
    ]
    assert RollCall.objects.count() == 0


def test_a_compact_roll_call_that_does_not_add_up_is_refused_with_the_reason(
    world, as_user
) -> None:
    api = as_user(world.ravi)
    payload = compact(rollcall(world))
    marks = [{"student": s, "code": "P"} for s in payload["students"]]
    cases = [
        ({**payload, "codes": "PPPP"}, "codes", "4 codes for 5 students"),
        ({**payload, "codes": "PPXPP"}, "codes", "Letter 3 of codes is 'X'"),
        ({k: v for k, v in payload.items() if k != "codes"}, "marks", "students and codes go"),
        ({k: v for k, v in payload.items() if k not in ("codes", "students")}, "marks", "No marks"),
        ({**payload, "marks": marks}, "marks", "Send the marks once"),
    ]
    for body, field, message in cases:
        response = api.post("/rollcalls", body)
        assert response.status_code == 422, body
        [error] = response.json()["errors"]
        assert error["field"] == field and message in error["message"], error
    assert RollCall.objects.count() == 0


def test_a_brief_batch_answers_without_the_marks(world, as_user) -> None:
    api = as_user(world.ravi)
    items = [compact(rollcall(world, codes="PAPPP"))]
    brief = api.post("/rollcalls/batch", {"rollcalls": items, "answer": "brief"}).json()
    [result] = brief["results"]
    assert result["status"] == "created" and "marks" not in result["rollcall"]
    assert result["rollcall"]["counts"]["absent"] == 1
    # The retry answers brief or full, as asked.
    full = api.post("/rollcalls/batch", {"rollcalls": items}).json()["results"][0]
    assert full["status"] == "duplicate" and full["rollcall"]["id"] == result["rollcall"]["id"]
    roll = section_roll(world.section, SCHOOL_DAY)
    assert [m["student"] for m in full["rollcall"]["marks"]] == [m.id for m in roll]
    assert {k: v for k, v in full["rollcall"].items() if k != "marks"} == result["rollcall"]


def test_a_compact_batch_item_that_does_not_parse_is_rejected_alone(world, as_user) -> None:
    api = as_user(world.ravi)
    good = compact(rollcall(world, meeting=1))
    bad = {**compact(rollcall(world, meeting=2)), "codes": "P"}
    results = api.post("/rollcalls/batch", {"rollcalls": [bad, good], "answer": "brief"}).json()
    assert [r["status"] for r in results["results"]] == ["rejected", "created"]
    assert results["results"][0]["errors"][0]["field"] == "codes"
    assert RollCall.objects.count() == 1


def test_staff_marks_come_compact_too(world, as_user) -> None:
    api = as_user(world.ravi)
    response = api.post("/staff-rollcalls", compact(staff_payload(world, "PD"), "staff"))
    assert response.status_code == 201, response.content
    assert StaffRollCall.objects.get().marks == "PD"
    wrong = compact(staff_payload(world, "PP"), "staff")
    wrong["staff"] = [wrong["staff"][0], 999999]
    answer = api.post("/staff-rollcalls", wrong).json()["errors"][0]
    assert (answer["field"], answer["code"]) == ("staff[1]", "not_on_roll")
