"""What a report card says, as plain data: built by the selectors, stored frozen on the
issued card (JSON), printed on the PDF and signed in its compact form."""

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class SubjectLine:
    code: str  # the school's subject code (MATH): the QR's key
    subject: str
    subject_local: str
    value: str  # the grade as the teacher confirmed it ("" if none yet)
    points: str  # on 0-100 ("" if none)
    terms: list[str] = field(default_factory=list)  # a year card: each term's grade


@dataclass(frozen=True)
class MonthLine:
    month: str  # YYYY-MM
    held: int
    attended: int


@dataclass(frozen=True)
class Card:
    student_id: int
    student: str
    student_local: str
    admission_no: str
    state_id: str
    school: str
    school_local: str
    school_code: str
    section: str
    year: str
    period: str  # "year" or "term-<id>"
    term: str  # the term's name; "" for the year
    starts_on: str
    ends_on: str
    term_names: list[str]
    subjects: list[SubjectLine]
    held: int
    attended: int
    percent: str  # "" when nothing was held
    months: list[MonthLine]
    remarks: list[str]  # the journal's remarks the family sees
    teacher_remark: str
    result: str  # a year card: the session's result (registers ExamResult), else ""
    result_percentage: str
    rank: int | None
    of: int | None  # ranked students in the section

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Card":
        return cls(
            **{
                **data,
                "subjects": [SubjectLine(**line) for line in data["subjects"]],
                "months": [MonthLine(**line) for line in data["months"]],
            }
        )

    def compact(self) -> dict[str, Any]:
        """The essential facts the QR carries (short keys: every byte is a module)."""
        out: dict[str, Any] = {
            "n": self.student,
            "sid": self.state_id,
            "sc": self.school_code,
            "c": self.section,
            "y": self.year,
            "t": self.term or "year",
            "g": {line.code: line.value for line in self.subjects if line.value},
            "a": f"{self.attended}/{self.held}",
        }
        if self.result:
            out["r"] = self.result
        if self.rank is not None:
            out["rk"] = f"{self.rank}/{self.of}"
        return out
