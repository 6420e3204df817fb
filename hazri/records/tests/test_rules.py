import pytest

from hazri.records import rules
from hazri.registers.models import ExamResult


@pytest.mark.parametrize("result", ExamResult.Result.values)
def test_every_result_has_a_placement_and_a_promotion_answer(result: str) -> None:
    assert rules.placement(result) in ("promote", "promote_first", "repeat")
    assert rules.qualified_for_promotion(result) in ("yes", "no", "supplementary")


def test_placements_follow_the_state_rules() -> None:
    assert rules.placement("passed") == "promote"
    assert rules.placement("supplementary") == "promote_first"
    assert rules.placement("failed") == rules.placement("absent") == "repeat"
    assert rules.qualified_for_promotion(None) == ""
    with pytest.raises(KeyError):
        rules.placement("great")


@pytest.mark.parametrize(
    "typed",
    [
        "TC-23370100101-00007",
        " tc-23370100101-00007 ",
        "TC-2337010 0101-00007",
        "https://hazri.example/tc/TC-23370100101-00007/",
    ],
)
def test_a_tc_number_is_read_from_what_was_typed_or_scanned(typed: str) -> None:
    assert rules.parse_tc_number(typed) == rules.tc_number("23370100101", 7)
