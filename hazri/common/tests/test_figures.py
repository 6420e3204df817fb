from decimal import Decimal
from fractions import Fraction

import pytest

from hazri.common.figures import percent, ratio, round_half_up


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (1, 16, 6.3),  # 6.25: float round() gives 6.2
        (3, 16, 18.8),  # 18.75
        (2, 3, 66.7),
        (1, 3, 33.3),
        (1, 8, 12.5),
        (0, 5, 0.0),
        (5, 5, 100.0),
        (1, 1600, 0.1),  # 0.0625
        (1, 2000, 0.1),  # 0.05, a tie
        (1, 2001, 0.0),
    ],
)
def test_percent_rounds_ties_up(part, whole, shown) -> None:
    assert percent(part, whole) == shown


def test_nothing_held_is_no_figure() -> None:
    assert percent(0, 0) is None and ratio(3, 0) is None


def test_every_fraction_of_a_month_rounds_as_decimal_arithmetic_does() -> None:
    for whole in range(1, 70):
        for part in range(whole + 1):
            exact = Decimal(100 * part) / Decimal(whole)
            expected = float(exact.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP"))
            assert percent(part, whole) == expected, (part, whole)


def test_two_places_for_the_portal() -> None:
    assert round_half_up(Fraction(1, 8), 2) == Decimal("0.13")
    assert round_half_up(Decimal("66.665"), 2) == Decimal("66.67")
    assert ratio(43, 10) == 4.3


def test_no_figure_is_rounded_any_other_way() -> None:
    """A percentage or average rounded with float round() somewhere would disagree
    with the same figure elsewhere: every output asks hazri.common.figures."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    division = re.compile(r"\bround\([^\n]*/")
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        # The demo's generator rounds head counts (a teacher per 30 children), no figure.
        if not {"tests", "demo"} & set(path.parts) and path.name != "figures.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if division.search(line) and "2**20" not in line
    ]
    assert not found, found
