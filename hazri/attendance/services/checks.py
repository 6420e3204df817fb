"""The rules a student roll call must pass before it is stored, and the reads they need:
everything for a batch is read once (per school its policy, per school-day its
calendar, per day the rolls), then each item is judged in Python."""

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, Actor, require_role
from hazri.accounts.models import DeviceToken, User
from hazri.attendance import rules, seams
from hazri.attendance.models import RollCall
from hazri.attendance.services.common import (
    SYNC_MARGIN,
    RollCallItem,
    captured_before_sync,
    is_late_entry,
    judge_timing,
    require_after_login,
    require_clock,
    require_school_day,
)
from hazri.common import sql
from hazri.common.errors import Invalid
from hazri.org import selectors as org
from hazri.org.calendar import DayStatus
from hazri.org.models import School, Section
from hazri.people import selectors as people
from hazri.people.roll import RollEntry


def _repeats(items: Sequence[RollCallItem]) -> list[int]:
    """The ids of the roll calls already stored under these items' UUIDs, each
    (school, UUID) looked up on its own in the unique index (sql.ids_by_key)."""
    keys = [
        (i.section.school_id, sql.param(RollCall, "client_uuid", i.capture.client_uuid))
        for i in items
    ]
    return list(sql.ids_by_key(RollCall, ["school", "client_uuid"], keys).values())


class Reads:
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
        self._statuses: dict[tuple[int, dt.date], DayStatus] = {}
        self._rolls: dict[tuple[int, dt.date], list[RollEntry]] = {}
        self._certified: set[tuple[int, dt.date]] | None = None
        self._last_sync: dict[int, dt.datetime | None] = {}
        self.repeats: dict[tuple[int, uuid.UUID], RollCall] = {}
        if not items:
            return
        # A batch reads certifications and syncs for all its items later, when asked.
        repeat = self._facts_of_one(items[0]) if len(items) == 1 else _repeats(items)
        if repeat:  # a retry: load what it answers with
            self.repeats = {
                (r.school_id, r.client_uuid): r
                for r in RollCall.objects.filter(pk__in=repeat).select_related("roster", "taken_by")
            }

    def _facts_of_one(self, item: RollCallItem) -> list[int]:
        """A single roll call's repeat, certification and device pull in one query
        (a batch reads each for all its items instead); the repeat's id, if any."""
        section, device = item.section, item.capture.device
        lock, pulls = seams.month_lock, seams.device_pulls
        texts = ["(SELECT id FROM attendance_rollcall WHERE school_id = %s AND client_uuid = %s)"]
        params: list[object] = [
            section.school_id,
            sql.param(RollCall, "client_uuid", item.capture.client_uuid),
        ]
        fields: list[object] = [None]
        if lock is not None:
            texts.append(lock.certified_sql)
            params += [
                section.school_id,
                section.pk,
                sql.param_of(lock.month_field, item.day.replace(day=1)),
            ]
            fields.append(None)
        if pulls is not None and device is not None:
            texts.append(pulls.last_sql)
            params += [self.by.pk, device.pk]
            fields.append(pulls.instant_field)
        [row] = sql.select(f"SELECT {', '.join(texts)}", params, fields)
        repeat = row[0]
        certified = bool(row[1]) if lock is not None else False
        self._certified = {(section.pk, item.day.replace(day=1))} if certified else set()
        if device is not None:
            self._last_sync[device.pk] = row[-1] if pulls is not None else None
        return [repeat] if repeat is not None else []

    @property
    def postings(self) -> list[access.PostingSpan]:
        if self._postings is None:
            self._postings = access.postings_of(self.by)
        return self._postings

    @cached_property
    def actor(self) -> Actor:
        """One actor for the batch: its assignments are read once, if a rule asks."""
        return Actor(self.by, postings=self.postings)

    def policy(self, school: School) -> org.Policy:
        if school.pk not in self._policies:
            # Every school of the batch, in one query.
            schools = {i.section.school_id: i.section.school for i in self.items}
            schools[school.pk] = school
            self._policies.update(org.schools_policies(schools.values()))
        return self._policies[school.pk]

    def status(self, school: School, day: dt.date) -> DayStatus:
        if (school.pk, day) not in self._statuses:
            # Every school-day of the batch, in one query.
            wanted = {(i.section.school_id, i.day): i.section.school for i in self.items}
            wanted[(school.pk, day)] = school
            for one in wanted.values():
                self.policy(one)
            self._statuses.update(
                org.schools_day_statuses(
                    [(one, on) for (_, on), one in wanted.items()], self._policies
                )
            )
        return self._statuses[(school.pk, day)]

    def roll(self, section: Section, day: dt.date) -> list[RollEntry]:
        if (section.pk, day) not in self._rolls:
            # The roll of every item of the batch, in one query.
            self._rolls.update(
                people.rolls_on([*((i.section, i.day) for i in self.items), (section, day)])
            )
        return self._rolls[(section.pk, day)]

    def certified(self, section: Section, day: dt.date) -> bool:
        if self._certified is None:
            lock = seams.month_lock
            self._certified = (
                set()
                if lock is None
                else lock.certified(
                    sorted({i.section.school_id for i in self.items}),
                    sorted({i.section.pk for i in self.items}),
                    {i.day.replace(day=1) for i in self.items},
                )
            )
        return (section.pk, day.replace(day=1)) in self._certified

    def last_sync(self, device: DeviceToken) -> dt.datetime | None:
        if device.pk not in self._last_sync:
            pulls = seams.device_pulls
            self._last_sync[device.pk] = (
                None if pulls is None else pulls.last(self.by.pk, device.pk)
            )
        return self._last_sync[device.pk]


@dataclass
class Accepted:
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
    locked: bool  # in a certified month: waits for an officer's approval
    late_entry: bool = False  # older than the offline allowance: waits for approval


def check(item: RollCallItem, reads: Reads) -> Accepted:
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
    require_clock(capture, now)
    local = ZoneInfo(school.timezone)
    # The posting (and, where the state limits marking to the sections a teacher
    # teaches, the assignment) is judged on the day being marked.
    role = require_role(
        reads.actor,
        Action.MARK,
        school,
        section=section,
        day=day,
        marking_scope=policy.marking_scope,
    ).value
    status = reads.status(school, day)
    require_school_day(status, day)
    captured, skew = rules.corrected_capture(
        capture.captured_at, device_clock=capture.device_clock, server_clock=now
    )
    require_after_login(capture, captured, local)
    if capture.device is not None:
        last = reads.last_sync(capture.device)
        if last is not None and last > captured + SYNC_MARGIN:
            pulls = seams.device_pulls
            assert pulls is not None  # a last pull came from it
            synced = (
                pulls.first_after(reads.by.pk, capture.device.pk, captured + SYNC_MARGIN) or last
            )
            raise captured_before_sync(captured, synced, local)
    try:
        timing = judge_timing(school, day, meeting, policy, captured, now)
        packed = rules.pack_marks(
            roll,
            item.marks,
            member_field="student",
            names={m.member: m.name for m in members},
            ids_field=item.ids_field,
        )
    except rules.RuleViolation as violation:
        raise Invalid(violation.message, field=violation.field, code=violation.code) from None
    return Accepted(
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
        late_entry=is_late_entry(day, org.school_today(school, now), policy),
    )
