"""The organisation tree (state > district > block > cluster > …), schools, sections, calendar.

The levels are data: a unit's `kind` is a label, and the tree may be as deep as a
state needs. `path` lists the ids from the root down to the unit ("/1/4/17/") so a
whole subtree is one indexed prefix filter.
"""

import datetime as dt
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("%(tz)s is not a known time zone."), params={"tz": value})


class OrgUnit(models.Model):
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.SlugField(
        max_length=32, help_text="Level label: state, district, block, cluster…"
    )
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    name_local = models.CharField(max_length=200, blank=True)
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    class Meta:
        # Not by path: as text, "/1/10/" sorts before "/1/9/".
        ordering = ["depth", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit, itself included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


class AttendancePolicy(models.Model):
    """A state's attendance rules; a unit inherits the policy of its nearest ancestor."""

    unit = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="policy")
    meetings_per_day = models.PositiveSmallIntegerField(
        default=2, choices=[(1, _("Once a day")), (2, _("Forenoon and afternoon"))]
    )
    on_time_minutes = models.PositiveSmallIntegerField(default=60)
    # A roll call may be taken from this many minutes before its meeting starts (the
    # teacher is in the class for the prayer); one taken earlier is kept but judged
    # "early", never on time (attendance.rules.judge_timing).
    opens_before_minutes = models.PositiveSmallIntegerField(default=30)
    cutoff = models.TimeField(default=dt.time(17, 0))
    # ISO weekdays (1 = Monday … 7 = Sunday) on which schools are closed.
    weekly_offs = models.JSONField(default=list)
    # Weak attendance (SPEC §1.7): under this % over the last 30 school days, and
    # chronic absence: missing at least this % of school days.
    low_attendance_pct = models.PositiveSmallIntegerField(default=75)
    chronic_absence_pct = models.PositiveSmallIntegerField(default=10)
    # The low-attendance lists leave out a child marked on fewer school days than this
    # (just admitted: one absence is 0 %), until their rate means something.
    low_attendance_min_days = models.PositiveSmallIntegerField(default=10)

    class MarkingScope(models.TextChoices):
        SCHOOL = "school", _("Any teacher posted to the school marks any section")
        ASSIGNED = "assigned", _("A teacher marks only the sections they teach")

    # Who of a school's teachers may mark a section (accounts.access); the head always may.
    marking_scope = models.CharField(
        max_length=10, choices=MarkingScope.choices, default=MarkingScope.SCHOOL
    )
    # A roll call for a day this many days or more before its submission is a late
    # entry: stored, but it counts only once the head or an officer approves it.
    offline_allowance_days = models.PositiveSmallIntegerField(default=7)

    class Meta:
        verbose_name_plural = "attendance policies"

    def __str__(self) -> str:
        return f"Policy of {self.unit}"


class AcademicYear(models.Model):
    """A state's school session, e.g. 2026-27 from 1 April to 31 March."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="academic_years")
    name = models.CharField(max_length=20)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="academic_year_unique_name"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="academic_year_ends_after_start",
            ),
        ]
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class School(models.Model):
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="schools")
    # Copy of unit.path: subtree filters on schools need no join.
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    code = models.CharField(max_length=32, unique=True, help_text="UDISE code")
    name = models.CharField(max_length=200)
    name_local = models.CharField(max_length=200, blank=True)
    start_time = models.TimeField(default=dt.time(8, 0))
    afternoon_start = models.TimeField(
        null=True,
        blank=True,
        help_text="When the afternoon meeting starts; empty: 4 hours after start",
    )
    timezone = models.CharField(
        max_length=64, default="Asia/Kolkata", validators=[validate_timezone]
    )
    lowest_grade = models.PositiveSmallIntegerField(default=1)
    highest_grade = models.PositiveSmallIntegerField(default=12)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """A class and section of one school in one academic year, e.g. class 7 B."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="sections")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=10, default="A")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "grade", "name"], name="section_unique_name"
            ),
            models.CheckConstraint(
                condition=models.Q(grade__gte=1, grade__lte=12), name="section_grade_1_to_12"
            ),
        ]
        ordering = ["school_id", "grade", "name"]

    def __str__(self) -> str:
        return f"{self.grade}{self.name}"

    @property
    def label(self) -> str:
        return f"{self.grade} {self.name}"


class Subject(models.Model):
    """A subject taught at a school (mathematics, Hindi, …); a teaching assignment names one."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="subjects")
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=120)
    name_local = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="subject_unique_code"),
        ]
        ordering = ["school_id", "name"]

    def __str__(self) -> str:
        return self.name


class CalendarEntry(models.Model):
    """A dated exception to the weekly pattern, for a unit's subtree or one school."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKING_DAY = "working", _("Working day")
        # 15 August and 26 January: the school meets and attendance is taken.
        NATIONAL_DAY = "national", _("National day")

    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar"
    )
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=120)
    name_local = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True) ^ models.Q(school__isnull=True),
                name="calendar_entry_unit_xor_school",
            ),
        ]
        indexes = [models.Index(fields=["day"])]
        verbose_name_plural = "calendar entries"

    def __str__(self) -> str:
        return f"{self.day} {self.name}"
