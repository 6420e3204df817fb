"""Grades per scale, weighted averages, term and final grades."""

from decimal import Decimal

import pytest

from hazri.journal.rules import SCALES, BadGrade, Marked, final_grade, term_grade, weighted_average

D = Decimal


@pytest.mark.parametrize(
    ("scale", "value", "points"),
    [
        ("5-point", "5", D(100)),
        ("5-point", "3", D(60)),
        ("10-point", "7", D(70)),
        ("percent", "72.5", D("72.5")),
        ("cbse-letters", "a1", D(95)),
        ("cbse-letters", "B2", D(66)),
    ],
)
def test_a_grade_is_read_through_its_scale(scale: str, value: str, points: Decimal) -> None:
    assert SCALES[scale].points(value) == points


@pytest.mark.parametrize(
    ("scale", "value"),
    [
        ("5-point", "6"),
        ("5-point", "0"),
        ("5-point", "4.5"),
        ("10-point", "eleven"),
        ("percent", "101"),
        ("percent", "NaN"),
        ("cbse-letters", "A3"),
    ],
)
def test_a_value_the_scale_does_not_have_is_refused(scale: str, value: str) -> None:
    with pytest.raises(BadGrade):
        SCALES[scale].points(value)


def test_work_counts_by_its_weight() -> None:
    # Two oral 5s (weight 1) and a test 3 (weight 2): (100 + 100 + 2 * 60) / 4 = 80.
    grades = [Marked(D(100), D(1)), Marked(D(100), D(1)), Marked(D(60), D(2))]
    assert weighted_average(grades) == D("80.00")
    assert term_grade(SCALES["5-point"], grades) == "4"
    assert term_grade(SCALES["10-point"], grades) == "8"
    assert term_grade(SCALES["percent"], grades) == "80"
    assert term_grade(SCALES["cbse-letters"], grades) == "B1"
    assert term_grade(SCALES["5-point"], []) is None


def test_a_term_grade_rounds_half_up() -> None:
    # 70 on the 5-point scale is 3.5 points: a 4, not a banker's 4 or a truncated 3.
    assert term_grade(SCALES["5-point"], [Marked(D(70), D(1))]) == "4"
    assert term_grade(SCALES["5-point"], [Marked(D("69.99"), D(1))]) == "3"
    assert SCALES["5-point"].grade_for(D(0)) == "1"  # never below the scale's bottom


def test_the_final_grade_averages_the_terms() -> None:
    assert final_grade(SCALES["5-point"], [D(100), D(60)]) == "4"
    assert final_grade(SCALES["cbse-letters"], [D(95), D(86)]) == "A2"
    assert final_grade(SCALES["percent"], []) is None


def test_values_are_stored_in_their_own_spelling() -> None:
    assert SCALES["cbse-letters"].normal(" a2 ") == "A2"
    assert SCALES["percent"].normal("72.50") == "72.5"
    assert SCALES["5-point"].normal("4") == "4"
