"""Writes of attendance: roll calls of sections and of staff, never overwriting.

Every submission carries a client-generated UUID: sending it again is a no-op
that returns what was stored. A second submission for the same section, day and
meeting becomes a new version; the one captured last is current, and the others
stay readable in its history (SPEC §3.7).
"""

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
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
from hazri.common.errors import Conflict, Forbidden, Invalid, ServiceError
from hazri.dashboards.services import schoolday_refresh
from hazri.org import selectors as org
from hazri.org.models import School, Section
from hazri.people import selectors as people
from hazri.people.models import Enrolment, Posting
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
    for section_id, student_id, name, origin, admitted_on, roll_no in Enrolment.objects.filter(
        people.active_on(day),
        school_id__in={section.school_id for section in sections},
        section__in=sections,
    ).values_list(
        "section_id", "student_id", "student__name", "origin", "admission__admitted_on", "roll_no"
    ):
        entries[section_id][student_id] = rules.RollEntry(
            member=student_id, name=name, origin=origin, admitted_on=admitted_on, roll_no=roll_no
        )
    return {pk: rules.order_roll(by_student.values()) for pk, by_student in entries.items()}


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
        schools = {item.section.school_id for item in items}
        self.repeats: dict[tuple[int, uuid.UUID], RollCall] = {
            (r.school_id, r.client_uuid): r
            for r in RollCall.objects.filter(
                school_id__in=schools, client_uuid__in={i.capture.client_uuid for i in items}
            ).select_related("roster", "taken_by")
        }

    @property
    def postings(self) -> list[access.PostingSpan]:
        if self._postings is None:
            self._postings = access.postings_of(self.by)
        return self._postings

    def policy(self, school: School) -> org.Policy:
        if school.pk not in self._policies:
            self._policies[school.pk] = org.policy_for_school(school)
        return self._policies[school.pk]

    def status(self, school: School, day: dt.date) -> rules.DayStatus:
        if (school.pk, day) not in self._statuses:
            self._statuses[(school.pk, day)] = org.school_day_status(
                school, day, policy=self.policy(school)
            )
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
            self._certified = set(
                MonthCertification.objects.filter(
                    school_id__in={i.section.school_id for i in self.items},
                    section_id__in={i.section.pk for i in self.items},
                    month__in={i.day.replace(day=1) for i in self.items},
                ).values_list("section_id", "month")
            )
        return (section.pk, day.replace(day=1)) in self._certified

    def last_sync(self, device: DeviceToken) -> dt.datetime | None:
        if device.pk not in self._last_sync:
            self._last_sync[device.pk] = (
                SyncLog.objects.filter(user=self.by, device=device)
                .order_by("-created_at")
                .values_list("created_at", flat=True)
                .first()
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
            raise Invalid(
                f"These marks are dated {captured.astimezone(local):%Y-%m-%d %H:%M}, before this "
                f"device synced at {synced.astimezone(local):%Y-%m-%d %H:%M}: a device sends "
                "what it holds at every sync, so that capture time cannot be right.",
                field="captured_at",
                code="captured_before_last_sync",
            )
    try:
        timing = rules.judge_timing(
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

    The current versions of their keys are locked (in id order, so two batches never
    deadlock), every decision is taken in Python in the order given, then the losing
    current versions are switched off in one UPDATE, the new versions inserted in one
    INSERT, each school-day's rollup recounted, and the audit events written at once.
    """
    keys = {a.key for a in accepted}
    around = RollCall.objects.filter(
        school_id__in={k[0] for k in keys},
        section_id__in={k[1] for k in keys},
        day__in={k[2] for k in keys},
    )
    current: dict[tuple[int, int, dt.date, int], RollCall] = {}
    for row in (
        around.filter(is_current=True)
        .select_for_update()
        .order_by("pk")
        .only("pk", "school_id", "section_id", "day", "meeting", "captured_at")
    ):
        if row.identity in keys:
            current[row.identity] = row
    latest: dict[tuple[Any, ...], int] = {
        (school, section, day, meeting): top
        for school, section, day, meeting, top in around.values(
            "school_id", "section_id", "day", "meeting"
        )
        .annotate(top=Max("version"))
        .values_list("school_id", "section_id", "day", "meeting", "top")
    }
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
        RollCall.objects.filter(pk__in=switched_off).update(is_current=False, updated_at=now)
    RollCall.objects.bulk_create([sheet for _, sheet in made])
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


def rosters_for(wanted: Sequence[tuple[School, Sequence[int]]]) -> list[Roster]:
    """The roster of each (school, member ids in roll order), made where missing:
    one query when they all exist, three when some are new."""
    rows = []
    for school, members in wanted:
        member_ids = ",".join(str(member) for member in members)
        rows.append((school, hashlib.sha256(member_ids.encode()).hexdigest(), member_ids))

    def find() -> dict[tuple[int, str], Roster]:
        return {
            (r.school_id, r.digest): r
            for r in Roster.objects.filter(
                school_id__in={school.pk for school, _, _ in rows},
                digest__in={digest for _, digest, _ in rows},
            )
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
            raise Invalid(
                f"These marks are dated {captured.astimezone(local):%Y-%m-%d %H:%M}, before this "
                f"device synced at {synced.astimezone(local):%Y-%m-%d %H:%M}: a device sends "
                "what it holds at every sync, so that capture time cannot be right.",
                field="captured_at",
                code="captured_before_last_sync",
            )
    try:
        timing = rules.judge_timing(
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
