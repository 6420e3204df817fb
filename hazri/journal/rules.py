"""Grades as pure functions: scales, weighted averages, term and final grades.

No database, no clock: every caller (the journal page, the API, the offline queue,
the report card) judges a grade the same way. A grade is kept as the teacher wrote
it ("4", "8.5", "72", "B+") and read through its scale into points on 0-100, so
grades of different scales can be averaged and compared.
"""

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


class ScaleKind(enum.StrEnum):
    POINTS = "points"  # 1..top: Russia's 5-point, a 10-point scale
    PERCENT = "percent"  # 0..100
    LETTERS = "letters"  # A1, A2, B1 … (CBSE) or A, B, C …


class BadGrade(ValueError):
    """A value the scale does not have; the message says what it takes."""


@dataclass(frozen=True)
class Letter:
    letter: str
    points: Decimal  # what the letter stands for on 0-100 (its band's middle)
    lowest: Decimal  # the least percentage that earns it


@dataclass(frozen=True)
class Scale:
    kind: ScaleKind
    top: int = 100  # POINTS: the highest grade (5 or 10); PERCENT: 100
    bottom: int = 1  # POINTS: the lowest grade (1 or 2 in Russia)
    letters: tuple[Letter, ...] = ()  # LETTERS: best first
    pass_points: Decimal = Decimal(33)  # on 0-100: below it a term grade fails

    def points(self, value: str) -> Decimal:
        """The value as points on 0-100, or BadGrade."""
        text = value.strip()
        if self.kind == ScaleKind.LETTERS:
            for letter in self.letters:
                if letter.letter.casefold() == text.casefold():
                    return letter.points
            raise BadGrade(
                f"'{value}' is not a grade here; use one of "
                + ", ".join(letter.letter for letter in self.letters)
                + "."
            )
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise BadGrade(f"'{value}' is not a number.") from None
        if not number.is_finite():
            raise BadGrade(f"'{value}' is not a number.")
        if self.kind == ScaleKind.PERCENT:
            if not 0 <= number <= 100:
                raise BadGrade(f"{value} is not a percentage (0 to 100).")
            return number
        if not self.bottom <= number <= self.top or number != number.to_integral_value():
            raise BadGrade(f"{value} is not a grade from {self.bottom} to {self.top}.")
        # 5-point: 5 → 100, 1 → 20; 10-point: 10 → 100, 1 → 10.
        return number * 100 / self.top

    def values(self) -> tuple[str, ...]:
        """Every grade the scale has, best first; () for a percentage (any of 0 to 100)."""
        if self.kind == ScaleKind.LETTERS:
            return tuple(letter.letter for letter in self.letters)
        if self.kind == ScaleKind.POINTS:
            return tuple(str(n) for n in range(self.top, self.bottom - 1, -1))
        return ()

    def normal(self, value: str) -> str:
        """The value as it is stored: a letter in its own spelling, a number plainly."""
        if self.kind == ScaleKind.LETTERS:
            wanted = value.strip().casefold()
            return next(
                letter.letter for letter in self.letters if letter.letter.casefold() == wanted
            )
        number = Decimal(value.strip())
        return str(number.normalize()) if number != number.to_integral_value() else str(int(number))

    def grade_for(self, points: Decimal) -> str:
        """The grade of this scale that points on 0-100 come to (a term grade computed
        from an average): the nearest whole grade, half up; the letter whose band holds it."""
        if self.kind == ScaleKind.PERCENT:
            return str(points.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
        if self.kind == ScaleKind.LETTERS:
            for letter in self.letters:
                if points >= letter.lowest:
                    return letter.letter
            return self.letters[-1].letter
        grade = (points * self.top / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        return str(max(self.bottom, min(self.top, int(grade))))


# The scales a state or school chooses from.
CBSE_LETTERS = tuple(
    Letter(letter, Decimal(points), Decimal(lowest))
    for letter, points, lowest in [
        ("A1", 95, 91),
        ("A2", 86, 81),
        ("B1", 76, 71),
        ("B2", 66, 61),
        ("C1", 56, 51),
        ("C2", 46, 41),
        ("D", 37, 33),
        ("E", 16, 0),
    ]
)
SCALES = {
    "5-point": Scale(ScaleKind.POINTS, top=5, bottom=1, pass_points=Decimal(60)),
    "10-point": Scale(ScaleKind.POINTS, top=10, bottom=1, pass_points=Decimal(40)),
    "percent": Scale(ScaleKind.PERCENT, pass_points=Decimal(33)),
    "cbse-letters": Scale(ScaleKind.LETTERS, letters=CBSE_LETTERS, pass_points=Decimal(33)),
}


@dataclass(frozen=True)
class Marked:
    """One current grade for the average: its points on 0-100 and its kind's weight."""

    points: Decimal
    weight: Decimal


def weighted_average(grades: Iterable[Marked]) -> Decimal | None:
    """Points on 0-100 weighted by the kind of work (a test counts more than oral
    work); None without grades. Two decimals, half up."""
    total = weights = Decimal(0)
    for grade in grades:
        total += grade.points * grade.weight
        weights += grade.weight
    if weights == 0:
        return None
    return (total / weights).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def term_grade(scale: Scale, grades: Sequence[Marked]) -> str | None:
    """The computed term grade (the teacher confirms it or writes another)."""
    average = weighted_average(grades)
    return None if average is None else scale.grade_for(average)


def final_grade(scale: Scale, term_points: Sequence[Decimal]) -> str | None:
    """The year's grade from the confirmed term grades, each counting alike."""
    average = weighted_average(Marked(points, Decimal(1)) for points in term_points)
    return None if average is None else scale.grade_for(average)
