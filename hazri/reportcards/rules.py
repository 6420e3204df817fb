"""The report card's rules as pure functions: which period a card is for, the rank in
the section, and whether an area shows rank. No database, no clock."""

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

YEAR = "year"


def period_key(term_id: int | None) -> str:
    """The key a card or remark is stored under: "year", or "term-<id>"."""
    return YEAR if term_id is None else f"term-{term_id}"


def mean_points(points: Sequence[Decimal]) -> Decimal | None:
    """The mean of the subjects' points on 0-100, to two places (half up); None for none."""
    if not points:
        return None
    mean = sum(points, Decimal(0)) / len(points)
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ranks(means: Mapping[int, Decimal | None]) -> dict[int, int]:
    """Each student's rank in the section by mean points, best first, ties sharing a
    rank and the next one skipping (1, 2, 2, 4: "standard competition" ranking, as a
    school's merit list). A student with no grades has no rank."""
    ranked = sorted(
        ((mean, student) for student, mean in means.items() if mean is not None),
        key=lambda pair: pair[0],
        reverse=True,
    )
    out: dict[int, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (mean, student) in enumerate(ranked, start=1):
        if mean != previous:
            rank, previous = position, mean
        out[student] = rank
    return out


def shows_rank(policies: Mapping[str, bool], unit_path: str) -> bool:
    """Whether a school under `unit_path` ("/1/4/9/") shows rank: the policy of the
    nearest unit up the tree that has one (policies by their unit's path); off without."""
    nearest = max((path for path in policies if unit_path.startswith(path)), key=len, default=None)
    return policies[nearest] if nearest is not None else False
