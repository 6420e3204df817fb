"""Roll calls: one row per section, day and meeting, with the marks packed.

A roll call's marks are a string with one letter (P, A, L, D) per member of its
roster, in roster order. The roster (the ordered member ids) is stored once per
distinct roll and shared by every roll call taken against it, so a year of a
section's roll calls holds its member list a handful of times, not 400.

Nothing is overwritten (SPEC §3.7): a correction or a second device's roll call
is a new version; exactly one version per key is current, and every version
stays readable with who took it, when, and why.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazri.attendance import rules


class Roster(models.Model):
    """An ordered list of students of a section (or staff of a school) as marked on some day."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(max_length=64)
    member_ids = models.TextField(help_text="Comma-separated ids in roll order")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "digest"], name="roster_unique_digest")
        ]

    def __str__(self) -> str:
        return f"roster {self.digest[:8]} of school {self.school_id}"

    @property
    def members(self) -> list[int]:
        return [int(member) for member in self.member_ids.split(",")] if self.member_ids else []


class Timing(models.TextChoices):
    # Taken before the meeting's window opened (AttendancePolicy.opens_before_minutes):
    # kept and counted, flagged so that nobody reads it as on time.
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    CORRECTION = "correction", _("Correction")
    # Entered after the state's offline allowance: counts once the head or an officer
    # approves it (attendance.services.checks, "late entries").
    LATE_ENTRY = "late_entry", _("Late entry")


class Source(models.TextChoices):
    """How the marks were taken: by hand, or proposed from class photos and confirmed
    by the teacher (hazri.faces keeps the proposal, its scores and the model)."""

    MARKED = "marked", _("Marked")
    PHOTO = "photo", _("From class photos")


class Approval(models.TextChoices):
    NONE = "", _("Not needed")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class MarkSheet(models.Model):
    """What student and staff roll calls share: marks, counts, capture and version."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    version = models.PositiveIntegerField()
    is_current = models.BooleanField()
    client_uuid = models.UUIDField()
    roster = models.ForeignKey(Roster, on_delete=models.PROTECT, related_name="+")
    marks = models.TextField()
    present = models.PositiveIntegerField()
    absent = models.PositiveIntegerField()
    leave = models.PositiveIntegerField()
    duty = models.PositiveIntegerField()
    # When the marks were taken: the device's reported time, and that time
    # corrected by the device's clock skew measured at sync. Rules use the latter.
    device_captured_at = models.DateTimeField()
    captured_at = models.DateTimeField()
    clock_skew_seconds = models.IntegerField(default=0)
    received_at = models.DateTimeField()
    # Last change to this row (its own arrival, losing or gaining "current", a decision):
    # devices are sent every version changed since their last sync (each model's
    # (school, updated_at) index: a delta pull reads its schools' range of it).
    updated_at = models.DateTimeField(default=timezone.now, db_default=Now())
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    device = models.ForeignKey(
        "accounts.DeviceToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    timing = models.CharField(max_length=12, choices=Timing.choices)
    note = models.CharField(max_length=500, blank=True, help_text="Why late, or why corrected")
    # A change to a certified month waits for an officer's approval before it counts.
    approval = models.CharField(max_length=10, choices=Approval.choices, blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Why it was approved or refused, as the decider said it: the school reads it.
    decision_note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        abstract = True

    @property
    def attended(self) -> int:
        """The stored counts, attended as the one tally judges it (`rules.Counts`)."""
        return rules.Counts(present=self.present, duty=self.duty).attended


class RollCall(MarkSheet):
    class Meeting(models.IntegerChoices):
        FORENOON = 1, _("Forenoon")
        AFTERNOON = 2, _("Afternoon")

    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="roll_calls")
    meeting = models.PositiveSmallIntegerField(choices=Meeting.choices)
    source = models.CharField(
        max_length=10, choices=Source.choices, default=Source.MARKED, db_default=Source.MARKED
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "client_uuid"], name="rollcall_unique_uuid"),
            models.UniqueConstraint(
                fields=["school", "section", "day", "meeting", "version"],
                name="rollcall_unique_version",
            ),
            models.UniqueConstraint(
                fields=["school", "section", "day", "meeting"],
                condition=models.Q(is_current=True),
                name="rollcall_one_current",
            ),
        ]
        indexes = [
            models.Index(
                fields=["school", "day"],
                condition=models.Q(is_current=True),
                name="rollcall_current_by_day",
            ),
            models.Index(fields=["school", "updated_at"], name="rollcall_changed"),
            # The approval queue and the header's count on every page of those who
            # approve: the few pending roll calls, never a scan of all of them.
            models.Index(
                fields=["school", "day"],
                condition=models.Q(approval="pending"),
                name="rollcall_pending_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section_id} {self.day} m{self.meeting} v{self.version}"

    @staticmethod
    def identity_of(*, school: Any, section: Any, day: dt.date, meeting: int) -> tuple[Any, ...]:
        return (school.pk, section.pk, day, meeting)

    @property
    def identity(self) -> tuple[Any, ...]:
        """What a client UUID stands for: one section, day and meeting."""
        return (self.school_id, self.section_id, self.day, self.meeting)


class StaffRollCall(MarkSheet):
    """Staff attendance of a school for a day (the roster lists staff ids)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "client_uuid"], name="staffrollcall_unique_uuid"
            ),
            models.UniqueConstraint(
                fields=["school", "day", "version"], name="staffrollcall_unique_version"
            ),
            models.UniqueConstraint(
                fields=["school", "day"],
                condition=models.Q(is_current=True),
                name="staffrollcall_one_current",
            ),
        ]
        indexes = [models.Index(fields=["school", "updated_at"], name="staffrollcall_changed")]

    def __str__(self) -> str:
        return f"staff {self.school_id} {self.day} v{self.version}"

    @staticmethod
    def identity_of(*, school: Any, day: dt.date) -> tuple[Any, ...]:
        return (school.pk, day)

    @property
    def identity(self) -> tuple[Any, ...]:
        return (self.school_id, self.day)
