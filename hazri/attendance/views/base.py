"""What the attendance pages share: reading the query, the marking form, history."""

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hazri.attendance import rules
from hazri.attendance.services import Capture, Submitted
from hazri.common import localize
from hazri.common.api import FIRST_DAY, LAST_DAY
from hazri.common.errors import Invalid, ServiceError
from hazri.common.pages import error_text, plain_int
from hazri.org import selectors as org
from hazri.org.models import School
from hazri.people.models import Posting
from hazri.people.selectors import RollMember, StaffMember

MARK_CHOICES = (
    (rules.PRESENT, _("Present")),
    (rules.ABSENT, _("Absent")),
    (rules.LEAVE, _("Leave")),
    (rules.DUTY, _("Duty")),
)
MARK_WORDS = dict(MARK_CHOICES)
NOTE_MAX = 500  # MarkSheet.note


def parse_day(value: str | None, default: dt.date) -> dt.date:
    if not value:
        return default
    try:
        day = dt.date.fromisoformat(value)
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValueError(value)
        return day
    except ValueError:
        raise ServiceError(
            f"'{value}' is not a date; use YYYY-MM-DD.", field="day", code="bad_day"
        ) from None


def parse_meeting(value: str | None, meetings_per_day: int) -> int:
    if not value:
        return 1
    meeting = plain_int(value, max_digits=2) or 0
    if not 1 <= meeting <= meetings_per_day:
        raise Invalid(f"There is no meeting {value} here.", field="meeting", code="bad_meeting")
    return meeting


def parse_uuid(value: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        raise ServiceError(
            "The form has no valid client_uuid.", field="client_uuid", code="bad_form"
        ) from None


@dataclass(frozen=True)
class Person:
    """Someone on a list: a student of a section or a member of a school's staff."""

    id: int
    number: int
    member: RollMember | StaffMember | None  # None: no longer on the day's list
    detail: str
    told: str = ""  # an absence the family told in advance: its reason (seams.day_notes)


def student_people(roll: Sequence[RollMember], told: dict[int, str] | None = None) -> list[Person]:
    """Students in legal roll order, numbered by roll number, else by place on the roll;
    with what their families told in advance about the day, where given."""
    return [
        Person(
            id=member.id,
            number=member.roll_no or position,
            member=member,
            detail=gettext("S.R. No. %(number)s") % {"number": member.admission_no},
            told=(told or {}).get(member.id, ""),
        )
        for position, member in enumerate(roll, start=1)
    ]


def staff_people(roll: Sequence[StaffMember]) -> list[Person]:
    return [
        Person(
            id=member.id,
            number=position,
            member=member,
            detail=f"{Posting.Role(member.role).label} · {member.employee_code}",
        )
        for position, member in enumerate(roll, start=1)
    ]


@dataclass(frozen=True)
class Line:
    """One person's mark on a form or in one version of the history."""

    person: Person
    code: str
    previous: str = ""
    changed: bool = False
    missing: bool = False


def sheet_marks(sheet: Any) -> dict[int, str]:
    return dict(rules.unpack_marks(sheet.roster.members, sheet.marks))


@dataclass
class MarkForm:
    lines: list[Line]
    client_uuid: uuid.UUID
    note: str = ""
    error: ServiceError | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def error_text(self) -> str:
        return error_text(self.error) if self.error else ""

    @property
    def status(self) -> int:
        return self.error.status if self.error else 200


def _form(
    people: list[Person],
    chosen: dict[int, str],
    *,
    client_uuid: uuid.UUID,
    note: str,
    error: ServiceError | None = None,
) -> MarkForm:
    codes = {code for code, _word in MARK_CHOICES}
    lines = [
        Line(
            person=person,
            code=chosen.get(person.id, ""),
            missing=error is not None and chosen.get(person.id, "") not in codes,
        )
        for person in people
    ]
    counts = {code: sum(line.code == code for line in lines) for code in codes}
    return MarkForm(lines=lines, client_uuid=client_uuid, note=note, error=error, counts=counts)


Submit = Callable[[list[tuple[int, str]], Capture], Submitted]


def handle_marking(
    request: HttpRequest, *, people: list[Person], current: Any, submit: Submit
) -> tuple[MarkForm, Submitted | None]:
    """The marking form: a fresh one (everyone present, or the current marks), or the
    posted one submitted through `submit`; on refusal the form comes back as sent."""
    if request.method != "POST":
        chosen = sheet_marks(current) if current is not None else {}
        chosen = {person.id: chosen.get(person.id, rules.PRESENT) for person in people}
        return _form(people, chosen, client_uuid=uuid.uuid4(), note=""), None
    chosen = {person.id: request.POST.get(f"mark-{person.id}", "") for person in people}
    note = request.POST.get("note", "")[:NOTE_MAX]
    # The UUID was put in the form when it was drawn: a double submit is stored once.
    client_uuid = parse_uuid(request.POST.get("client_uuid"))
    capture = Capture(client_uuid=client_uuid, captured_at=timezone.now(), note=note)
    marks = [(member, code) for member, code in chosen.items() if code]
    try:
        submitted = submit(marks, capture)
    except ServiceError as error:
        return _form(people, chosen, client_uuid=client_uuid, note=note, error=error), None
    return _form(people, chosen, client_uuid=client_uuid, note=note), submitted


@dataclass(frozen=True)
class Version:
    sheet: Any
    lines: list[Line]
    changes: int
    # The current version, where this one was replaced by it (another device's later
    # capture, or a correction); None for the current one and one awaiting approval.
    replaced_by: Any = None


def history(sheets: Sequence[Any], people: list[Person]) -> list[Version]:
    """Every version with its marks, each compared with the version before it."""
    known = {person.id: person for person in people}
    current = next((sheet for sheet in sheets if sheet.is_current), None)
    versions = []
    previous: dict[int, str] | None = None
    for sheet in sheets:
        marks = sheet_marks(sheet)
        lines = []
        for position, member in enumerate(sheet.roster.members, start=1):
            person = known.get(member) or Person(id=member, number=position, member=None, detail="")
            before = previous.get(member, "") if previous is not None else ""
            changed = previous is not None and before != marks[member]
            lines.append(Line(person=person, code=marks[member], previous=before, changed=changed))
        replaced = not sheet.is_current and sheet.approval in ("", "approved")
        versions.append(
            Version(
                sheet=sheet,
                lines=lines,
                changes=sum(line.changed for line in lines),
                replaced_by=current if replaced else None,
            )
        )
        previous = marks
    return versions


def saved_message(sheet: Any, what: str, created: bool, waits_for: str = "") -> str:
    """What the page says after a Save, including whose approval the change waits for
    before it counts (the field trial's head was not told)."""
    if not created:
        return gettext("This attendance was already saved; nothing was changed.")
    text = gettext(
        "Attendance of %(what)s saved: %(present)s present, %(absent)s absent, "
        "%(leave)s on leave, %(duty)s on duty."
    ) % {
        "what": what,
        "present": localize.number(sheet.present),
        "absent": localize.number(sheet.absent),
        "leave": localize.number(sheet.leave),
        "duty": localize.number(sheet.duty),
    }
    if sheet.version > 1:
        text += " " + gettext("Saved as version %(version)s.") % {
            "version": localize.number(sheet.version)
        }
    if sheet.timing == "late":
        text += " " + gettext("Saved as late.")
    elif sheet.timing == "correction":
        text += " " + gettext("Saved as a correction.")
    if waits_for == "officer":
        text += " " + gettext(
            "This month's register is certified: the change counts once the block officer "
            "approves it. Until then the register shows the certified marks."
        )
    elif waits_for == "approver":
        text += " " + gettext(
            "Saved as a late entry: it counts once the head or an officer approves it."
        )
    elif sheet.timing == "late_entry":
        text += " " + gettext("Saved as a late entry.")
    return text


def draft_key(request: HttpRequest, day: dt.date, meeting: int | None) -> str:
    """Where the page keeps the taps on the phone until they are saved (hazri.js): one
    draft per user, form, day and meeting, so that a shared phone mixes nothing."""
    return f"{request.user.pk}:{request.path}:{day.isoformat()}:{meeting or 0}"


def day_url(school: School, day: dt.date) -> str:
    return f"{reverse('school_day', args=[school.pk])}?day={day.isoformat()}"


def marking_window(
    *,
    school: School,
    policy: org.Policy,
    day: dt.date,
    today: dt.date,
    current: Any,
    role: str,
    meeting: int = 1,
) -> dict[str, Any]:
    """What the marking page says about the day and the meeting's time window, and
    whether the form is worth showing at all (the service still has the last word)."""
    status = org.school_day_status(school, day, policy=policy)
    window = rules.Window(
        rules.meeting_start(
            start=school.start_time, afternoon_start=school.afternoon_start, meeting=meeting
        ),
        policy.on_time_minutes,
        policy.cutoff,
        opens_before_minutes=policy.opens_before_minutes,
    )
    late_after = (
        dt.datetime.combine(day, window.start) + dt.timedelta(minutes=policy.on_time_minutes)
    ).time()
    opens_at = rules.window_opens(window)
    now = org.school_now(school).time() if day == today else None
    closed = day < today or (now is not None and now >= policy.cutoff)
    future = day > today
    if not status.is_school_day:
        blocked = gettext("This day is not a school day (weekly off or holiday).")
    elif future:
        blocked = gettext("This day has not come yet: attendance cannot be marked in advance.")
    elif closed and current is None:
        blocked = gettext("Attendance for this day is closed: it was not marked before the cutoff.")
    elif closed and role != Posting.Role.HEAD:
        blocked = gettext("After the cutoff only the head of school can correct attendance.")
    else:
        blocked = ""
    return {
        "opens_at": opens_at,
        "late_after": late_after,
        "cutoff": policy.cutoff,
        "early": now is not None and now < opens_at,
        "closed": closed,
        "blocked": blocked,
        "note_required": closed,
    }
