"""One rounding rule for every figure Hazri shows or exports.

A figure is computed exactly (a fraction of whole counts) and rounded once, half up,
to a fixed number of places: 1 of 16 meetings is 6.25 %, shown 6.3 % on the page, in
the register, its downloads, the API and the dashboards alike. Python's `round()` on a
float would give 6.2 (the float is a shade under 6.25, and ties go to even), and two
outputs of one figure would disagree. The state portal's monthly summary keeps two
places, by the same rule.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

PERCENT_PLACES = 1
PORTAL_PLACES = 2


def round_half_up(value: Fraction | Decimal | int, places: int) -> Decimal:
    """The value rounded half up (ties away from zero) to `places` decimals."""
    exact = value if isinstance(value, Fraction) else Fraction(value)
    quotient = Decimal(exact.numerator) / Decimal(exact.denominator)
    # A tie (…5 exactly) is a terminating decimal of few digits: the 28-digit division
    # above keeps it exact, so quantize sees the true tie.
    return quotient.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(part: int, whole: int, places: int = PERCENT_PLACES) -> float | None:
    """100 × part / whole, rounded by the rule; None when whole is 0."""
    if not whole:
        return None
    return float(round_half_up(Fraction(100 * part, whole), places))


def ratio(part: int, whole: int, places: int = PERCENT_PLACES) -> float | None:
    """part / whole (an average), rounded by the rule; None when whole is 0."""
    if not whole:
        return None
    return float(round_half_up(Fraction(part, whole), places))
