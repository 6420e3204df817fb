"""The admission rules as pure functions: phone numbers, the steps an application may
take, seats left, the next admission number."""

import re
from collections.abc import Iterable

from hazri.admissions.models import Application

S = Application.Status

# Who may move an application from one status to another: the family (F) or the
# school holding it (S).
FAMILY, SCHOOL = "family", "school"
STEPS: dict[tuple[str, str], str] = {
    (S.SUBMITTED, S.UNDER_REVIEW): SCHOOL,
    (S.RESUBMITTED, S.UNDER_REVIEW): SCHOOL,
    (S.SUBMITTED, S.CORRECTION_ASKED): SCHOOL,
    (S.UNDER_REVIEW, S.CORRECTION_ASKED): SCHOOL,
    (S.RESUBMITTED, S.CORRECTION_ASKED): SCHOOL,
    (S.CORRECTION_ASKED, S.RESUBMITTED): FAMILY,
    (S.SUBMITTED, S.ADMITTED): SCHOOL,
    (S.UNDER_REVIEW, S.ADMITTED): SCHOOL,
    (S.RESUBMITTED, S.ADMITTED): SCHOOL,
    (S.SUBMITTED, S.REFUSED): SCHOOL,
    (S.UNDER_REVIEW, S.REFUSED): SCHOOL,
    (S.RESUBMITTED, S.REFUSED): SCHOOL,
    (S.CORRECTION_ASKED, S.REFUSED): SCHOOL,
    **{
        (s, S.WITHDRAWN): FAMILY
        for s in (S.SUBMITTED, S.UNDER_REVIEW, S.CORRECTION_ASKED, S.RESUBMITTED)
    },
}


def step_allowed(current: str, new: str, by: str) -> bool:
    """Whether `by` (FAMILY or SCHOOL) may move an application from `current` to `new`."""
    return STEPS.get((current, new)) == by


_PHONE = re.compile(r"\+?[0-9]{10,15}")


def normal_phone(text: str) -> str | None:
    """A phone number as typed, without spaces, dashes, dots or brackets; None when it
    cannot be one (10 to 15 digits, an optional leading +)."""
    phone = "".join(ch for ch in text if ch not in " -.()\t")
    return phone if _PHONE.fullmatch(phone) else None


def normal_name(text: str) -> str:
    """A name for comparing two applications: case, spacing and dots do not count."""
    return " ".join(text.replace(".", " ").casefold().split())


def seats_left(seats: int | None, on_roll: int, admitted: int) -> int | None:
    """Seats − on the roll − admitted (never below 0); None where no plan was set."""
    if seats is None:
        return None
    return max(0, seats - on_roll - admitted)


def next_admission_no(taken: Iterable[str]) -> str:
    """The number after the school's highest all-digit admission number, as wide as the
    widest of them (at least 4 digits): "0041" after "0040"; "0001" for a new school."""
    numeric = [n for n in taken if n.isascii() and n.isdigit()]
    width = max([4, *(len(n) for n in numeric)])
    return str(max((int(n) for n in numeric), default=0) + 1).zfill(width)
