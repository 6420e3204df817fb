"""Writes of attendance: roll calls of sections and of staff, never overwriting.

Every submission carries a client-generated UUID: sending it again is a no-op
that returns what was stored. A second submission for the same section, day and
meeting becomes a new version; the one captured last is current, and the others
stay readable in its history (SPEC §3.7).

The reads and writes of a student roll call are plain SQL (hazri.common.sql): a
device's submit runs about fifteen statements, and building each with the ORM cost
more Python than the database spent on it. The staff roll call keeps the ORM.
"""

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from hazri.accounts import selectors as access
from hazri.accounts.models import DeviceToken, User
from hazri.attendance import rules
from hazri.attendance.models import Approval, MarkSheet, RollCall, Roster, StaffRollCall, Timing
from hazri.audit.services import audit_record, audit_records
from hazri.common import sql
from hazri.common.errors import Conflict, Forbidden, Invalid, ServiceError
from hazri.dashboards.services import schoolday_refresh
from hazri.org import selectors as org
from hazri.org.models import AttendancePolicy, CalendarEntry, School, Section
from hazri.people import selectors as people
from hazri.people.models import Admission, Enrolment, Posting
from hazri.registers.models import MonthCertification
from hazri.sync.models import SyncLog

Sheet = TypeVar("Sheet", RollCall, StaffRollCall)

# Marks captured longer ago than this must come with the device's clock: without it
# the server cannot tell an offline device's honest capture time from a made-up one
# (a backdated capture would otherwise slip past the cutoff).
UNCLOCKED_CAPTURE_LIMIT = dt.timedelta(minutes=10)
# A device sends everything it holds before it pulls: marks dated before one of its
# pulls (give or take a sync in flight) were not on it then, whatever it now claims.
SYNC_MARGIN = dt.timedelta(minutes=15)


def _captured_before_sync(captured: dt.datetime, synced: dt.datetime, local: ZoneInfo) -> Invalid:
    return Invalid(
        f"These marks are dated {captured.astimezone(local):%Y-%m-%d %H:%M}, before this "
        f"device synced at {synced.astimezone(local):%Y-%m-%d %H:%M}: a device sends "
        "what it holds at every sync, so that capture time cannot be right.",
        field="captured_at",
        code="captured_before_last_sync",
    )


def _judge_timing(
    school: School,
    day: dt.date,
    meeting: int,
    policy: org.Policy,
    captured: dt.datetime,
    now: dt.datetime,
) -> rules.Timing:
    """On time, late or a correction, in the school's local time (rules.judge_timing)."""
    local = ZoneInfo(school.timezone)
    return rules.judge_timing(
        day=day,
        captured=captured.astimezone(local),
        now=now.astimezone(local),
        window=rules.Window(
            rules.meeting_start(
                start=school.start_time, afternoon_start=school.afternoon_start, meeting=meeting
            ),
            policy.on_time_minutes,
            policy.cutoff,
        ),
    )


@dataclass(frozen=True)
class Submitted:
    sheet: Any  # RollCall or StaffRollCall
    created: bool


@dataclass(frozen=True)
class Capture:
    """When and from where the marks were taken, as the device reported it."""

    client_uuid: uuid.UUID
    captured_at: dt.datetime
    device_clock: dt.datetime | None = None
    device: DeviceToken | None = None
    note: str = ""


def roster_for(*, school: School, members: Sequence[int]) -> Roster:
    member_ids = ",".join(str(member) for member in members)
    digest = hashlib.sha256(member_ids.encode()).hexdigest()
    roster, _ = Roster.objects.get_or_create(
        school=school, digest=digest, defaults={"member_ids": member_ids}
    )
    return roster


@dataclass(frozen=True)
class RollCallItem:
    """One roll call of a section to store: a single submit or one item of a batch."""

    section: Section  # with school and academic_year loaded
    day: dt.date
    meeting: int
    marks: Sequence[tuple[int, str]]
    capture: Capture


def rollcall_submit(
    *,
    section: Section,
    day: dt.date,
    meeting: int,
    marks: Sequence[tuple[int, str]],
    capture: Capture,
    by: User,
    now: dt.datetime | None = None,
    postings: list[access.PostingSpan] | None = None,
) -> Submitted:
    """Store one roll call, or raise the ServiceError that refuses it."""
    item = RollCallItem(section=section, day=day, meeting=meeting, marks=marks, capture=capture)
    [outcome] = rollcalls_submit(items=[item], by=by, now=now, postings=postings)
    if isinstance(outcome, ServiceError):
        raise outcome
    return outcome


def rollcalls_submit(
    *,
    items: Sequence[RollCallItem],
    by: User,
    now: dt.datetime | None = None,
    postings: list[access.PostingSpan] | None = None,
) -> list[Submitted | ServiceError]:
    """Store or refuse each roll call on its own; the answers come in the order given.

    What the rules need is read once for all the items (their repeats, the user's
    postings, certifications, and per school its policy, per school-day its calendar,
    per day the rolls), every rule is applied to each item in Python, and the accepted
    ones are written in one transaction: a few statements in all plus the rollup of
    each school-day touched. If that transaction meets a race (another device wrote
    the same roll call or UUID at once), each item is written again on its own.
    """
    now = now or timezone.now()
    reads = _Reads(by=by, now=now, items=items, postings=postings)
    outcomes: list[Submitted | ServiceError | None] = [None] * len(items)
    accepted: list[tuple[int, _Accepted]] = []
    first_of: dict[tuple[int, uuid.UUID], int] = {}  # a UUID sent twice in one batch
    again: list[int] = []
    for index, item in enumerate(items):
        sent = (item.section.school_id, item.capture.client_uuid)
        if sent in first_of:
            again.append(index)
            continue
        try:
            repeat = _repeat_check(reads.repeats.get(sent), item)
            if repeat is not None:
                outcomes[index] = Submitted(repeat, created=False)
                continue
            accepted.append((index, _check(item, reads)))
            first_of[sent] = index
        except ServiceError as error:
            outcomes[index] = error
    if accepted:
        written = _store([a for _, a in accepted], by=by, now=now)
        for (index, _), outcome in zip(accepted, written, strict=True):
            outcomes[index] = outcome
    for index in again:
        item = items[index]
        earlier = outcomes[first_of[(item.section.school_id, item.capture.client_uuid)]]
        if isinstance(earlier, Submitted):
            try:
                outcomes[index] = Submitted(_repeat_check(earlier.sheet, item), created=False)
            except ServiceError as error:
                outcomes[index] = error
        else:
            # The first with this UUID was refused: this one is judged on its own.
            [outcomes[index]] = rollcalls_submit(items=[item], by=by, now=now, postings=postings)
    return [outcome for outcome in outcomes if outcome is not None]


def _repeat_check(stored: RollCall | None, item: RollCallItem) -> RollCall | None:
    if stored is None:
        return None
    if stored.identity != (item.section.school_id, item.section.pk, item.day, item.meeting):
        raise Conflict(
            f"client_uuid {item.capture.client_uuid} was already used for a different roll call.",
            field="client_uuid",
            code="uuid_reused",
        )
    return stored


def _rolls(sections: list[Section], day: dt.date) -> dict[int, list[rules.RollEntry]]:
    """The roll of each section on `day` in the legal order: what people.sections_rolls
    gives (the same enrolments, the same rules.order_roll), read as plain values
    because a submit needs only ids and names."""
    entries: dict[int, dict[int, rules.RollEntry]] = {section.pk: {} for section in sections}
    schools = sorted({section.school_id for section in sections})
    ids = sorted(entries)
    on = sql.param(Enrolment, "starts_on", day)
    # Enrolments active on the day (people.active_on), as plain SQL: every submit reads this.
    rows = sql.select(
        "SELECT e.section_id, e.student_id, s.name, e.origin, a.admitted_on, e.roll_no "
        "FROM people_enrolment e JOIN people_student s ON s.id = e.student_id "
        "JOIN people_admission a ON a.id = e.admission_id "
        f"WHERE e.school_id IN ({sql.placeholders(schools)}) AND e.section_id IN ({sql.placeholders(ids)}) "
        "AND e.starts_on <= %s AND (e.ends_on IS NULL OR e.ends_on >= %s)",
        [*schools, *ids, on, on],
        [None, None, None, None, sql.field(Admission, "admitted_on"), None],
    )
    for section_id, student_id, name, origin, admitted_on, roll_no in rows:
        entries[section_id][student_id] = rules.RollEntry(
            member=student_id, name=name, origin=origin, admitted_on=admitted_on, roll_no=roll_no
        )
    return {pk: rules.order_roll(by_student.values()) for pk, by_student in entries.items()}


def _ancestors(school: School) -> list[int]:
    """The ids of the school's units, state first (its unit_path)."""
    return [int(part) for part in school.unit_path.strip("/").split("/") if part]


def _policies(schools: list[School]) -> dict[int, org.Policy]:
    """org.policy_for_school of each school (its nearest unit's policy), in one plain query."""
    units = sorted({unit for school in schools for unit in _ancestors(school)})
    rows = sql.select(
        "SELECT unit_id, meetings_per_day, on_time_minutes, cutoff, weekly_offs, "
        "low_attendance_pct, chronic_absence_pct FROM org_attendancepolicy "
        f"WHERE unit_id IN ({sql.placeholders(units)})",
        units,
        [None, None, None, _POLICY_CUTOFF, _POLICY_OFFS, None, None],
    )
    found = {
        unit: org.Policy(
            meetings_per_day=meetings,
            on_time_minutes=on_time,
            cutoff=cutoff,
            weekly_offs=frozenset(int(day) for day in offs),
            low_attendance_pct=low,
            chronic_absence_pct=chronic,
        )
        for unit, meetings, on_time, cutoff, offs, low, chronic in rows
    }
    return {
        school.pk: next(
            (found[unit] for unit in reversed(_ancestors(school)) if unit in found),
            org.DEFAULT_POLICY,
        )
        for school in schools
    }


def _statuses(
    wanted: dict[tuple[int, dt.date], School], policy: Callable[[School], org.Policy]
) -> dict[tuple[int, dt.date], rules.DayStatus]:
    """org.school_day_status of each school-day, the calendar entries of them all read in
    one plain query: a school's own entry beats any unit's, a deeper unit its ancestors."""
    schools = sorted({school_id for school_id, _ in wanted})
    units = sorted({unit for school in wanted.values() for unit in _ancestors(school)})
    days = sql.params(CalendarEntry, "day", {day for _, day in wanted})
    entries = sql.select(
        "SELECT unit_id, school_id, day, kind, name, name_local FROM org_calendarentry "
        f"WHERE (unit_id IN ({sql.placeholders(units)}) OR school_id IN ({sql.placeholders(schools)})) "
        f"AND day IN ({sql.placeholders(days)})",
        [*units, *schools, *days],
        [None, None, _CALENDAR_DAY, None, None, None],
    )
    statuses = {}
    for (school_id, day), school in wanted.items():
        depth = {unit: index for index, unit in enumerate(_ancestors(school))}
        own = len(depth) + 1
        marks = [
            rules.CalendarMark(
                day=on,
                kind=kind,
                name=name,
                name_local=name_local,
                specificity=own if unit_id is None else depth[unit_id],
            )
            for unit_id, entry_school, on, kind, name, name_local in entries
            if on == day and (entry_school == school_id or unit_id in depth)
        ]
        statuses[(school_id, day)] = rules.day_status(
            day, weekly_offs=policy(school).weekly_offs, marks=marks
        )
    return statuses


_POLICY_CUTOFF = sql.field(AttendancePolicy, "cutoff")
_POLICY_OFFS = sql.field(AttendancePolicy, "weekly_offs")
_CALENDAR_DAY = sql.field(CalendarEntry, "day")
_SYNCED = sql.field(SyncLog, "created_at")


class _Reads:
    """What the rules need for a set of roll calls, each thing read once."""

    def __init__(
        self,
        *,
        by: User,
        now: dt.datetime,
        items: Sequence[RollCallItem],
        postings: list[access.PostingSpan] | None,
    ) -> None:
        self.by, self.now, self.items = by, now, items
        self._postings = postings
        self._policies: dict[int, org.Policy] = {}
        self._statuses: dict[tuple[int, dt.date], rules.DayStatus] = {}
        self._rolls: dict[tuple[int, dt.date], list[rules.RollEntry]] = {}
        self._certified: set[tuple[int, dt.date]] | None = None
        self._last_sync: dict[int, dt.datetime | None] = {}
        self.repeats: dict[tuple[int, uuid.UUID], RollCall] = {}
        if not items:
            return
        if len(items) == 1:
            repeat = self._facts_of_one(items[0])
        else:
            schools = sorted({item.section.school_id for item in items})
            uuids = sql.params(RollCall, "client_uuid", {i.capture.client_uuid for i in items})
            repeat = [
                pk
                for (pk,) in sql.select(
                    f"SELECT id FROM attendance_rollcall WHERE school_id IN ({sql.placeholders(schools)}) "
                    f"AND client_uuid IN ({sql.placeholders(uuids)})",
                    [*schools, *uuids],
                    [None],
                )
            ]
        if repeat:  # a retry: load what it answers with
            self.repeats = {
                (r.school_id, r.client_uuid): r
                for r in RollCall.objects.filter(pk__in=repeat).select_related("roster", "taken_by")
            }

    def _facts_of_one(self, item: RollCallItem) -> list[int]:
        """A single roll call's repeat, certification and device sync in one query
        (a batch reads each for all its items instead); the repeat's id, if any."""
        section, device = item.section, item.capture.device
        month = sql.param(MonthCertification, "month", item.day.replace(day=1))
        [(repeat, certified, synced)] = sql.select(
            "SELECT (SELECT id FROM attendance_rollcall WHERE school_id = %s AND client_uuid = %s), "
            "(SELECT COUNT(*) FROM registers_monthcertification "
            "WHERE school_id = %s AND section_id = %s AND month = %s), "
            "(SELECT MAX(created_at) FROM sync_synclog WHERE user_id = %s AND device_id = %s)",
            [
                section.school_id,
                sql.param(RollCall, "client_uuid", item.capture.client_uuid),
                section.school_id,
                section.pk,
                month,
                self.by.pk,
                device.pk if device is not None else None,
            ],
            [None, None, _SYNCED],
        )
        self._certified = {(section.pk, item.day.replace(day=1))} if certified else set()
        if device is not None:
            self._last_sync[device.pk] = synced
        return [repeat] if repeat is not None else []

    @property
    def postings(self) -> list[access.PostingSpan]:
        if self._postings is None:
            self._postings = access.postings_of(self.by)
        return self._postings

    def policy(self, school: School) -> org.Policy:
        if school.pk not in self._policies:
            # Every school of the batch, in one query.
            schools = {i.section.school_id: i.section.school for i in self.items}
            schools[school.pk] = school
            self._policies.update(_policies(list(schools.values())))
        return self._policies[school.pk]

    def status(self, school: School, day: dt.date) -> rules.DayStatus:
        if (school.pk, day) not in self._statuses:
            # Every school-day of the batch, in one query.
            wanted = {(i.section.school_id, i.day): i.section.school for i in self.items}
            wanted[(school.pk, day)] = school
            self._statuses.update(_statuses(wanted, self.policy))
        return self._statuses[(school.pk, day)]

    def roll(self, section: Section, day: dt.date) -> list[rules.RollEntry]:
        if (section.pk, day) not in self._rolls:
            # Every section of the batch wanted on that day, in one query.
            sections = {
                i.section.pk: i.section
                for i in self.items
                if i.day == day and (i.section.pk, day) not in self._rolls
            }
            sections[section.pk] = section
            for pk, entries in _rolls(list(sections.values()), day).items():
                self._rolls[(pk, day)] = entries
        return self._rolls[(section.pk, day)]

    def certified(self, section: Section, day: dt.date) -> bool:
        if self._certified is None:
            schools = sorted({i.section.school_id for i in self.items})
            sections = sorted({i.section.pk for i in self.items})
            months = sql.params(
                MonthCertification, "month", {i.day.replace(day=1) for i in self.items}
            )
            self._certified = set(
                sql.select(
                    "SELECT section_id, month FROM registers_monthcertification "
                    f"WHERE school_id IN ({sql.placeholders(schools)}) "
                    f"AND section_id IN ({sql.placeholders(sections)}) AND month IN ({sql.placeholders(months)})",
                    [*schools, *sections, *months],
                    [None, sql.field(MonthCertification, "month")],
                )
            )
        return (section.pk, day.replace(day=1)) in self._certified

    def last_sync(self, device: DeviceToken) -> dt.datetime | None:
        if device.pk not in self._last_sync:
            [(self._last_sync[device.pk],)] = sql.select(
                "SELECT MAX(created_at) FROM sync_synclog WHERE user_id = %s AND device_id = %s",
                [self.by.pk, device.pk],
                [_SYNCED],
            )
        return self._last_sync[device.pk]


@dataclass
class _Accepted:
    """A roll call that passed every rule that does not depend on its stored versions."""

    item: RollCallItem
    key: tuple[int, int, dt.date, int]  # school, section, day, meeting
    roll: list[int]
    packed: str
    counts: rules.Counts
    captured: dt.datetime
    skew: dt.timedelta
    timing: rules.Timing
    note: str
    role: str
    policy: org.Policy
    locked: bool


def _check(item: RollCallItem, reads: _Reads) -> _Accepted:
    """Every rule of a roll call that its stored versions do not decide, in the order
    the answers name them; raises the ServiceError of the first it breaks."""
    section, day, meeting, capture, now = (
        item.section,
        item.day,
        item.meeting,
        item.capture,
        reads.now,
    )
    school = section.school
    policy = reads.policy(school)
    if meeting > policy.meetings_per_day:
        raise Invalid(
            "This school takes attendance once a day: use meeting 1.",
            field="meeting",
            code="bad_meeting",
        )
    if not section.academic_year.contains(day):
        year = section.academic_year
        raise Invalid(
            f"{day} is outside the session {year.name} ({year.starts_on} to {year.ends_on}).",
            field="day",
            code="outside_session",
        )
    members = reads.roll(section, day)
    roll = [member.member for member in members]
    if not roll:
        raise Invalid(
            f"Section {section.label} has no students on {day}.", field="section", code="empty_roll"
        )
    if capture.device_clock is None and now - capture.captured_at > UNCLOCKED_CAPTURE_LIMIT:
        raise Invalid(
            "Marks captured more than 10 minutes ago need the device's clock: send "
            "device_clock (the device's time when sending) so the capture time can be checked.",
            field="device_clock",
            code="clock_required",
        )
    local = ZoneInfo(school.timezone)
    role = access.require_marker(
        reads.by, school, org.school_today(school, now), postings=reads.postings
    )
    status = reads.status(school, day)
    if not status.is_school_day:
        reason = status.name or status.kind.value.replace("_", " ")
        raise Invalid(f"{day} is not a school day ({reason}).", field="day", code="not_school_day")
    captured, skew = rules.corrected_capture(
        capture.captured_at, device_clock=capture.device_clock, server_clock=now
    )
    if capture.device is not None:
        last = reads.last_sync(capture.device)
        if last is not None and last > captured + SYNC_MARGIN:
            synced = (
                SyncLog.objects.filter(
                    user=reads.by, device=capture.device, created_at__gt=captured + SYNC_MARGIN
                )
                .order_by("created_at")
                .values_list("created_at", flat=True)
                .first()
            ) or last
            raise _captured_before_sync(captured, synced, local)
    try:
        timing = _judge_timing(school, day, meeting, policy, captured, now)
        packed = rules.pack_marks(
            roll, item.marks, member_field="student", names={m.member: m.name for m in members}
        )
    except rules.RuleViolation as violation:
        raise Invalid(violation.message, field=violation.field, code=violation.code) from None
    return _Accepted(
        item=item,
        key=(school.pk, section.pk, day, meeting),
        roll=roll,
        packed=packed,
        counts=rules.count_marks(packed),
        captured=captured,
        skew=skew,
        timing=timing,
        note=capture.note.strip(),
        role=role,
        policy=policy,
        locked=reads.certified(section, day),
    )


def _store(
    accepted: list[_Accepted], *, by: User, now: dt.datetime
) -> list[Submitted | ServiceError]:
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _write(accepted, by=by, now=now)
        except IntegrityError:
            # Another device wrote the same roll call or UUID at once: the unique
            # constraints held. Each item is written on its own and looks again.
            if len(accepted) > 1:
                return [out for one in accepted for out in _store([one], by=by, now=now)]
            item = accepted[0].item
            stored = (
                RollCall.objects.filter(
                    school_id=item.section.school_id, client_uuid=item.capture.client_uuid
                )
                .select_related("roster", "taken_by")
                .first()
            )
            try:
                repeat = _repeat_check(stored, item)
            except ServiceError as error:
                return [error]
            if repeat is not None:
                return [Submitted(repeat, created=False)]
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _stored_timing(a: _Accepted, current: RollCall | None) -> str:
    """How the version is stored; after the cutoff only the head corrects, with a reason."""
    if a.timing != rules.Timing.AFTER_CUTOFF:
        return Timing.ON_TIME if a.timing == rules.Timing.ON_TIME else Timing.LATE
    cutoff = a.policy.cutoff.strftime("%H:%M")
    if current is None:
        local = ZoneInfo(a.item.section.school.timezone)
        raise Invalid(
            f"Attendance for {a.item.day} closed at {cutoff}; these marks were taken at "
            f"{a.captured.astimezone(local):%Y-%m-%d %H:%M}.",
            field="captured_at",
            code="after_cutoff",
        )
    if a.role != Posting.Role.HEAD:
        raise Forbidden(
            f"After {cutoff} only the head of school can correct a roll call.",
            field="captured_at",
            code="correction_needs_head",
        )
    if not a.note:
        raise Invalid(
            "A correction after the cutoff needs a reason.",
            field="note",
            code="reason_required",
        )
    return Timing.CORRECTION


def _write(
    accepted: list[_Accepted], *, by: User, now: dt.datetime
) -> list[Submitted | ServiceError]:
    """Store the accepted roll calls as new versions, in one transaction (the caller's).

    The current and latest versions of their keys are read and locked in one query (in
    id order, so two batches never deadlock), every decision is taken in Python in the order given, then the losing
    current versions are switched off in one UPDATE, the new versions inserted in one
    INSERT, each school-day's rollup recounted, and the audit events written at once.
    """
    keys = {a.key for a in accepted}
    current: dict[tuple[int, int, dt.date, int], RollCall] = {}
    latest: dict[tuple[Any, ...], int] = {}
    for pk, school, section, day, meeting, version, is_current, captured in _versions_locked(keys):
        key = (school, section, day, meeting)
        if key not in keys:
            continue
        latest[key] = max(latest.get(key, 0), version)
        if is_current:
            current[key] = RollCall(
                pk=pk,
                school_id=school,
                section_id=section,
                day=day,
                meeting=meeting,
                captured_at=captured,
            )
    outcomes: list[Submitted | ServiceError] = []
    switched_off: list[int] = []
    made: list[tuple[_Accepted, RollCall]] = []
    for a in accepted:
        previous = current.get(a.key)
        try:
            stored_timing = _stored_timing(a, previous)
        except ServiceError as error:
            outcomes.append(error)
            continue
        version = latest.get(a.key, 0) + 1
        latest[a.key] = version
        # The roll call captured last is current, whichever reached the server first;
        # in a certified month a change waits for an officer's approval instead.
        becomes_current = not a.locked and (previous is None or previous.captured_at <= a.captured)
        if becomes_current and previous is not None:
            if previous.pk is None:  # made earlier in this batch
                previous.is_current = False
            else:
                switched_off.append(previous.pk)
        capture = a.item.capture
        sheet = RollCall(
            school=a.item.section.school,
            section=a.item.section,
            day=a.item.day,
            meeting=a.item.meeting,
            version=version,
            is_current=becomes_current,
            client_uuid=capture.client_uuid,
            marks=a.packed,
            present=a.counts.present,
            absent=a.counts.absent,
            leave=a.counts.leave,
            duty=a.counts.duty,
            device_captured_at=capture.captured_at,
            captured_at=a.captured,
            clock_skew_seconds=round(a.skew.total_seconds()),
            received_at=now,
            updated_at=now,
            taken_by=by,
            device=capture.device,
            timing=stored_timing,
            note=a.note,
            approval=Approval.PENDING if a.locked else Approval.NONE,
        )
        if becomes_current:
            current[a.key] = sheet
        made.append((a, sheet))
        outcomes.append(Submitted(sheet, created=True))
    if not made:
        return outcomes
    rosters = rosters_for([(a.item.section.school, a.roll) for a, _ in made])
    for (_, sheet), roster in zip(made, rosters, strict=True):
        sheet.roster = roster
    if switched_off:
        sql.execute(
            "UPDATE attendance_rollcall SET is_current = %s, updated_at = %s "
            f"WHERE id IN ({sql.placeholders(switched_off)})",
            [False, sql.param(RollCall, "updated_at", now), *switched_off],
        )
    sql.insert([sheet for _, sheet in made])
    # The officers' rollup of each school-day moves with its roll calls.
    for school_id, day in sorted({(a.key[0], a.key[2]) for a, _ in made}):
        school = next(a.item.section.school for a, _ in made if a.key[0] == school_id)
        schoolday_refresh(school=school, day=day, staff=False)
    audit_records(
        user=by,
        events=[
            (
                "rollcall.correct" if sheet.timing == Timing.CORRECTION else "rollcall.submit",
                sheet,
                sheet.school_id,
                {"version": sheet.version, "timing": sheet.timing},
            )
            for _, sheet in made
        ],
    )
    return outcomes


def _versions_locked(keys: set[tuple[int, int, dt.date, int]]) -> list[tuple[Any, ...]]:
    """The current and the latest version of the roll calls around these keys, locked in
    id order (two writers never deadlock): one plain query, as every submit runs it.
    Rows: id, school, section, day, meeting, version, is_current, captured_at."""
    schools = sorted({k[0] for k in keys})
    sections = sorted({k[1] for k in keys})
    days = sql.params(RollCall, "day", {k[2] for k in keys})
    meetings = sorted({k[3] for k in keys})
    return sql.select(
        "SELECT r.id, r.school_id, r.section_id, r.day, r.meeting, r.version, r.is_current, "
        "r.captured_at FROM attendance_rollcall r "
        f"WHERE r.school_id IN ({sql.placeholders(schools)}) AND r.section_id IN ({sql.placeholders(sections)}) "
        f"AND r.day IN ({sql.placeholders(days)}) AND r.meeting IN ({sql.placeholders(meetings)}) "
        "AND (r.is_current OR r.version = ("
        "SELECT MAX(v.version) FROM attendance_rollcall v WHERE v.school_id = r.school_id "
        "AND v.section_id = r.section_id AND v.day = r.day AND v.meeting = r.meeting)) "
        f"ORDER BY r.id{sql.for_update()}",
        [*schools, *sections, *days, *meetings],
        [None, None, None, _DAY, None, None, _IS_CURRENT, _CAPTURED],
    )


_DAY = sql.field(RollCall, "day")
_IS_CURRENT = sql.field(RollCall, "is_current")
_CAPTURED = sql.field(RollCall, "captured_at")


def rosters_for(wanted: Sequence[tuple[School, Sequence[int]]]) -> list[Roster]:
    """The roster of each (school, member ids in roll order), made where missing:
    one query when they all exist, three when some are new."""
    rows = []
    for school, members in wanted:
        member_ids = ",".join(str(member) for member in members)
        rows.append((school, hashlib.sha256(member_ids.encode()).hexdigest(), member_ids))

    member_ids_of = {digest: member_ids for _, digest, member_ids in rows}

    def find() -> dict[tuple[int, str], Roster]:
        schools = sorted({school.pk for school, _, _ in rows})
        digests = sorted(member_ids_of)
        found = sql.select(
            f"SELECT id, school_id, digest FROM attendance_roster "
            f"WHERE school_id IN ({sql.placeholders(schools)}) AND digest IN ({sql.placeholders(digests)})",
            [*schools, *digests],
            [None, None, None],
        )
        # The members are what the digest was made of: not read back.
        return {
            (school_id, digest): Roster(
                pk=pk, school_id=school_id, digest=digest, member_ids=member_ids_of[digest]
            )
            for pk, school_id, digest in found
        }

    found = find()
    missing = {(school.pk, digest): (school, member_ids) for school, digest, member_ids in rows}
    missing = {k: v for k, v in missing.items() if k not in found}
    if missing:
        Roster.objects.bulk_create(
            [
                Roster(school=school, digest=digest, member_ids=member_ids)
                for (_, digest), (school, member_ids) in missing.items()
            ],
            ignore_conflicts=True,
        )
        found = find()
    return [found[(school.pk, digest)] for school, digest, _ in rows]


def staff_rollcall_submit(
    *,
    school: School,
    day: dt.date,
    marks: Sequence[tuple[int, str]],
    capture: Capture,
    by: User,
    now: dt.datetime | None = None,
) -> Submitted:
    key = {"school": school, "day": day}
    repeat = _repeat_of(StaffRollCall, school, capture.client_uuid, key)
    if repeat is not None:
        return Submitted(repeat, created=False)
    if org.academic_year_for(school, day) is None:
        raise Invalid(
            f"{day} is outside every school session.", field="day", code="outside_session"
        )
    members = people.school_staff_roll(school, day)
    roll = [member.id for member in members]
    if not roll:
        raise Invalid(
            f"No staff are posted to {school.name} on {day}.", field="school", code="empty_roll"
        )
    return _submit(
        StaffRollCall,
        key=key,
        school=school,
        day=day,
        roll=roll,
        names={member.id: member.name for member in members},
        marks=marks,
        capture=capture,
        by=by,
        now=now,
        policy=org.policy_for_school(school),
    )


def _repeat_of(
    model: type[Sheet], school: School, client_uuid: uuid.UUID, key: dict[str, Any]
) -> Sheet | None:
    stored = model.objects.filter(school=school, client_uuid=client_uuid).first()
    if stored is None:
        return None
    if stored.identity != model.identity_of(**key):
        raise Conflict(
            f"client_uuid {client_uuid} was already used for a different roll call.",
            field="client_uuid",
            code="uuid_reused",
        )
    return stored


def _submit(
    model: type[Sheet],
    *,
    key: dict[str, Any],
    school: School,
    day: dt.date,
    roll: list[int],
    names: dict[int, str],
    marks: Sequence[tuple[int, str]],
    capture: Capture,
    by: User,
    now: dt.datetime | None,
    policy: org.Policy,
    meeting: int = 1,
    locked: bool = False,
) -> Submitted:
    now = now or timezone.now()
    if capture.device_clock is None and now - capture.captured_at > UNCLOCKED_CAPTURE_LIMIT:
        raise Invalid(
            "Marks captured more than 10 minutes ago need the device's clock: send "
            "device_clock (the device's time when sending) so the capture time can be checked.",
            field="device_clock",
            code="clock_required",
        )
    local = ZoneInfo(school.timezone)
    role = access.require_marker(by, school, org.school_today(school, now))
    status = org.school_day_status(school, day, policy=policy)
    if not status.is_school_day:
        reason = status.name or status.kind.value.replace("_", " ")
        raise Invalid(f"{day} is not a school day ({reason}).", field="day", code="not_school_day")
    captured, skew = rules.corrected_capture(
        capture.captured_at, device_clock=capture.device_clock, server_clock=now
    )
    if capture.device is not None:
        synced = (
            SyncLog.objects.filter(
                user=by, device=capture.device, created_at__gt=captured + SYNC_MARGIN
            )
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if synced is not None:
            raise _captured_before_sync(captured, synced, local)
    try:
        timing = _judge_timing(school, day, meeting, policy, captured, now)
        packed = rules.pack_marks(
            roll,
            marks,
            member_field="staff" if model is StaffRollCall else "student",
            names=names,
        )
    except rules.RuleViolation as violation:
        raise Invalid(violation.message, field=violation.field, code=violation.code) from None
    counts = rules.count_marks(packed)
    note = capture.note.strip()
    for attempt in range(3):
        try:
            with transaction.atomic():
                sheet = _store_version(
                    model,
                    key=key,
                    school=school,
                    roll=roll,
                    packed=packed,
                    counts=counts,
                    capture=capture,
                    captured=captured,
                    skew=skew,
                    timing=timing,
                    note=note,
                    role=role,
                    by=by,
                    now=now,
                    policy=policy,
                    locked=locked,
                )
                # The officers' rollup of this school's day moves with its roll calls.
                schoolday_refresh(school=school, day=day)
            break
        except IntegrityError:
            # Two devices raced for the same key or the same UUID was sent twice at
            # once: the unique constraints held, so look again and retry.
            repeat = _repeat_of(model, school, capture.client_uuid, key)
            if repeat is not None:
                return Submitted(repeat, created=False)
            if attempt == 2:
                raise
    action = "correct" if sheet.timing == Timing.CORRECTION else "submit"
    audit_record(
        user=by,
        action=f"{model.__name__.lower()}.{action}",
        obj=sheet,
        school_id=school.pk,
        detail={"version": sheet.version, "timing": sheet.timing},
    )
    return Submitted(sheet, created=True)


def _store_version(
    model: type[Sheet],
    *,
    key: dict[str, Any],
    school: School,
    roll: list[int],
    packed: str,
    counts: rules.Counts,
    capture: Capture,
    captured: dt.datetime,
    skew: dt.timedelta,
    timing: rules.Timing,
    note: str,
    role: str,
    by: User,
    now: dt.datetime,
    policy: org.Policy,
    locked: bool = False,
) -> Sheet:
    versions = model.objects.filter(**key)
    current = versions.select_for_update().filter(is_current=True).first()
    if timing == rules.Timing.AFTER_CUTOFF:
        cutoff = policy.cutoff.strftime("%H:%M")
        if current is None:
            raise Invalid(
                f"Attendance for {key['day']} closed at {cutoff}; these marks were taken at "
                f"{captured.astimezone(ZoneInfo(school.timezone)):%Y-%m-%d %H:%M}.",
                field="captured_at",
                code="after_cutoff",
            )
        if role != Posting.Role.HEAD:
            raise Forbidden(
                f"After {cutoff} only the head of school can correct a roll call.",
                field="captured_at",
                code="correction_needs_head",
            )
        if not note:
            raise Invalid(
                "A correction after the cutoff needs a reason.",
                field="note",
                code="reason_required",
            )
        stored_timing = Timing.CORRECTION
    else:
        stored_timing = Timing.ON_TIME if timing == rules.Timing.ON_TIME else Timing.LATE
    latest = versions.aggregate(latest=Max("version"))["latest"] or 0
    # The roll call captured last is current, whichever reached the server first;
    # in a certified month a change waits for an officer's approval instead.
    becomes_current = not locked and (current is None or current.captured_at <= captured)
    if becomes_current and current is not None:
        current.is_current = False
        current.updated_at = now
        current.save(update_fields=["is_current", "updated_at"])
    sheet: Sheet = model(
        **key,
        version=latest + 1,
        is_current=becomes_current,
        client_uuid=capture.client_uuid,
        roster=roster_for(school=school, members=roll),
        marks=packed,
        present=counts.present,
        absent=counts.absent,
        leave=counts.leave,
        duty=counts.duty,
        device_captured_at=capture.captured_at,
        captured_at=captured,
        clock_skew_seconds=round(skew.total_seconds()),
        received_at=now,
        updated_at=now,
        taken_by=by,
        device=capture.device,
        timing=stored_timing,
        note=note,
        approval=Approval.PENDING if locked else Approval.NONE,
    )
    sheet.save(force_insert=True)
    return sheet


@transaction.atomic
def correction_decide(
    *, rollcall: RollCall, approve: bool, by: User, now: dt.datetime | None = None
) -> RollCall:
    """An officer over the school approves or rejects a change to a certified month."""
    access.require_officer_over(by, rollcall.school)
    now = now or timezone.now()
    # Lock every version of this roll call: two decisions at once must not both flip it.
    versions = {
        v.pk: v
        for v in RollCall.objects.select_for_update().filter(
            school_id=rollcall.school_id,
            section_id=rollcall.section_id,
            day=rollcall.day,
            meeting=rollcall.meeting,
        )
    }
    locked = versions[rollcall.pk]
    if locked.approval != Approval.PENDING:
        raise Conflict(
            f"Roll call {locked.pk} is not waiting for approval.",
            field="rollcall",
            code="not_pending",
        )
    if approve:
        for version in versions.values():
            if version.is_current:
                version.is_current = False
                version.updated_at = now
                version.save(update_fields=["is_current", "updated_at"])
    locked.approval = Approval.APPROVED if approve else Approval.REJECTED
    locked.is_current = approve
    locked.decided_by = by
    locked.decided_at = now
    locked.updated_at = now
    locked.save(update_fields=["approval", "is_current", "decided_by", "decided_at", "updated_at"])
    schoolday_refresh(school=locked.school, day=locked.day)
    audit_record(
        user=by,
        action="rollcall.approve" if approve else "rollcall.reject",
        obj=locked,
        school_id=locked.school_id,
    )
    return locked


__all__ = [
    "Capture",
    "MarkSheet",
    "RollCallItem",
    "Submitted",
    "rollcall_submit",
    "rollcalls_submit",
    "staff_rollcall_submit",
]
