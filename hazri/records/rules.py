"""Year end as pure functions: where a child goes next session, from the session's
result (SPEC §3.2, §3.11). No database."""

from typing import Literal

Placement = Literal["promote", "promote_first", "repeat"]

# Passed: up to the next class. Supplementary: up to the next class, provisionally, and
# first on its roll with the repeaters (§3.2: "students who failed or are eligible for
# supplementary exams" come first). Failed, or absent from the exam: the same class again.
PLACEMENTS: dict[str, Placement] = {
    "passed": "promote",
    "supplementary": "promote_first",
    "failed": "repeat",
    "absent": "repeat",
}

# What a transfer certificate states under "qualified for promotion".
QUALIFIED = {
    "passed": "yes",
    "supplementary": "supplementary",
    "failed": "no",
    "absent": "no",
}


def placement(result: str) -> Placement:
    """Where a child with this session result goes; KeyError for an unknown result."""
    return PLACEMENTS[result]


def qualified_for_promotion(result: str | None) -> str:
    """The TC's "qualified for promotion": "" while no result is recorded."""
    return QUALIFIED.get(result or "", "")


def tc_number(school_code: str, serial: int) -> str:
    """A TC's number, unique in the whole system: the school's UDISE code and its own
    running number (a receiving school types or scans it)."""
    return f"TC-{school_code}-{serial:05d}"


def parse_tc_number(text: str) -> str:
    """The TC number in what was typed or scanned: the number itself, with spaces or
    lower case, or a link or QR text ending in it."""
    cleaned = text.strip().upper().rstrip("/")
    tail = cleaned.rsplit("/", 1)[-1]
    return "".join(tail.split())


def is_qr_text(text: str) -> bool:
    """A signed document's QR text (hazri.credentials: "HZ1:" and base45)."""
    return text.strip().upper().startswith("HZ1:")
