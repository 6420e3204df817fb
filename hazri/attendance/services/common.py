"""What the student and the staff roll calls share: the capture as the device reported it,
the answer, the timing and sync rules, and the rosters a roll call points to."""

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from hazri.accounts.models import DeviceToken
from hazri.attendance import rules
from hazri.attendance.models import RollCall, Roster, StaffRollCall, Timing
from hazri.common import sql
from hazri.common.errors import Invalid
from hazri.org import selectors as org
from hazri.org.calendar import DayStatus
from hazri.org.models import School, Section

Sheet = TypeVar("Sheet", RollCall, StaffRollCall)

# Marks captured longer ago than this must come with the device's clock: without it
# the server cannot tell an offline device's honest capture time from a made-up one
# (a backdated capture would otherwise slip past the cutoff).
UNCLOCKED_CAPTURE_LIMIT = dt.timedelta(minutes=10)
# A device sends everything it holds before it pulls: marks dated before one of its
# pulls (give or take a sync in flight) were not on it then, whatever it now claims.
SYNC_MARGIN = dt.timedelta(minutes=15)


def captured_before_sync(captured: dt.datetime, synced: dt.datetime, local: ZoneInfo) -> Invalid:
    return Invalid(
        f"These marks are dated {captured.astimezone(local):%Y-%m-%d %H:%M}, before this "
        f"device synced at {synced.astimezone(local):%Y-%m-%d %H:%M}: a device sends "
        "what it holds at every sync, so that capture time cannot be right.",
        field="captured_at",
        code="captured_before_last_sync",
    )


def require_after_login(capture: "Capture", captured: dt.datetime, local: ZoneInfo) -> None:
    """Marks dated before the user's first login on a device cannot be honest: no
    device of theirs held the roll then (a first login must not open every past day of
    the year to entries claimed "on time"). A later login on the same phone keeps
    what the phone queued before it, so the first of the user's logins is the bound."""
    device = capture.device
    if device is None or captured >= device.created_at - SYNC_MARGIN:
        return
    first = (
        DeviceToken.objects.filter(user_id=device.user_id)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    ) or device.created_at
    if captured < first - SYNC_MARGIN:
        raise Invalid(
            f"These marks are dated {captured.astimezone(local):%Y-%m-%d %H:%M}, before you "
            f"first logged in on a device at {first.astimezone(local):%Y-%m-%d %H:%M}: "
            "a device can only send marks it took after logging in.",
            field="captured_at",
            code="captured_before_login",
        )


def is_late_entry(day: dt.date, today: dt.date, policy: org.Policy) -> bool:
    """A roll call for a day older than the state's offline allowance (a phone may be
    offline that long) is a late entry: stored, counted once approved."""
    return (today - day).days > policy.offline_allowance_days


def require_clock(capture: "Capture", now: dt.datetime) -> None:
    """Marks captured long ago must come with the device's clock (UNCLOCKED_CAPTURE_LIMIT)."""
    if capture.device_clock is None and now - capture.captured_at > UNCLOCKED_CAPTURE_LIMIT:
        raise Invalid(
            "Marks captured more than 10 minutes ago need the device's clock: send "
            "device_clock (the device's time when sending) so the capture time can be checked.",
            field="device_clock",
            code="clock_required",
        )


def require_school_day(status: DayStatus, day: dt.date) -> None:
    if not status.is_school_day:
        reason = status.name or status.kind.value.replace("_", " ")
        raise Invalid(f"{day} is not a school day ({reason}).", field="day", code="not_school_day")


def judge_timing(
    school: School,
    day: dt.date,
    meeting: int,
    policy: org.Policy,
    captured: dt.datetime,
    now: dt.datetime,
) -> rules.Timing:
    """Early, on time, late or a correction, in the school's local time (rules.judge_timing)."""
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
            opens_before_minutes=policy.opens_before_minutes,
        ),
    )


# How a roll call judged in its window is stored (after the cutoff is decided apart).
STORED_TIMING = {
    rules.Timing.EARLY: Timing.EARLY,
    rules.Timing.ON_TIME: Timing.ON_TIME,
    rules.Timing.LATE: Timing.LATE,
}


@dataclass(frozen=True)
class Submitted:
    sheet: Any  # RollCall or StaffRollCall
    created: bool
    # Whose approval a stored change waits for before it counts: "officer" (a change
    # to a certified month), "approver" (a late entry: the head or an officer), or ""
    # (it counts now). The pages and answers tell the person who saved it.
    waits_for: str = ""


@dataclass(frozen=True)
class Capture:
    """When and from where the marks were taken, as the device reported it."""

    client_uuid: uuid.UUID
    captured_at: dt.datetime
    device_clock: dt.datetime | None = None
    device: DeviceToken | None = None
    note: str = ""
    source: str = "marked"  # models.Source: a roll call proposed from photos says "photo"


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
    ids_field: str | None = None  # the marks came compact: errors name this list of ids


def rosters_for(wanted: Sequence[tuple[School, Sequence[int]]]) -> list[Roster]:
    """The roster of each (school, member ids in roll order), made where missing:
    one query when they all exist, three when some are new."""
    rows = []
    for school, members in wanted:
        member_ids = ",".join(str(member) for member in members)
        rows.append((school, hashlib.sha256(member_ids.encode()).hexdigest(), member_ids))

    member_ids_of = {digest: member_ids for _, digest, member_ids in rows}

    def find() -> dict[tuple[int, str], Roster]:
        found = sql.ids_by_key(
            Roster, ["school", "digest"], [(school.pk, digest) for school, digest, _ in rows]
        )
        # The members are what the digest was made of: not read back.
        return {
            (school_id, digest): sql.instance(
                Roster,
                {
                    "id": pk,
                    "school_id": school_id,
                    "digest": digest,
                    "member_ids": member_ids_of[digest],
                },
            )
            for (school_id, digest), pk in found.items()
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
