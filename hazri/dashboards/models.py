"""Rollups that officers' pages read instead of raw marks, meals, and follow-ups.

SchoolDay holds one school's day in numbers; it is refreshed in the same
transaction as every roll call of that school and day, so a dashboard never scans
roll calls. Its key starts with school_id (the distribution key on Citus).

UnitDay holds the same numbers summed for every org unit (state, district, block,
cluster…) and day, so a state's month is ~30 rows per district instead of millions
of school-days. Unit rows are rebuilt from the school-days a day at a time (see
rollups.py): by the scheduler every minute for days that changed, nightly for the
recent past, and on read when a day is missing or stale. RollupMark records when
each day was built.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, Value, When
from django.db.models.functions import NullIf
from django.utils.translation import gettext_lazy as _


class SchoolDay(models.Model):
    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    # Copy of the school's unit path: an area's schools are one prefix filter, no join.
    unit_path = models.CharField(max_length=255)
    is_school_day = models.BooleanField()
    sections = models.PositiveIntegerField(default=0)
    meetings_expected = models.PositiveIntegerField(default=0)
    meetings_marked = models.PositiveIntegerField(default=0)
    meetings_late = models.PositiveIntegerField(default=0)
    # Meetings marked outside the window: after the cutoff as corrections.
    meetings_corrected = models.PositiveIntegerField(default=0)
    on_roll = models.PositiveIntegerField(default=0)
    # Student-meetings marked, and of them attended (P + D), absent, on leave.
    slots_marked = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)
    absent = models.PositiveIntegerField(default=0)
    leave = models.PositiveIntegerField(default=0)
    # Students counted present in the forenoon: who could have eaten the mid-day meal.
    present_forenoon = models.PositiveIntegerField(default=0)
    first_marked_at = models.DateTimeField(null=True, blank=True)
    staff_on_roll = models.PositiveIntegerField(default=0)
    staff_marked = models.BooleanField(default=False)
    staff_attended = models.PositiveIntegerField(default=0)
    meals_served = models.PositiveIntegerField(null=True, blank=True)
    # The school's school days before this one (29, or 30 when this one is not a school
    # day: rollups.trails_set), set when the day's unit rollups are first built and
    # redone nightly: with the day's own figures they make the 30-school-day window of
    # compliance and low attendance without a range scan.
    trail_days = models.PositiveSmallIntegerField(default=0)  # school days
    trail_missed = models.PositiveSmallIntegerField(default=0)  # ...with nothing marked
    trail_late = models.PositiveIntegerField(default=0)
    trail_corrected = models.PositiveIntegerField(default=0)
    trail_expected = models.PositiveIntegerField(default=0)
    trail_marked = models.PositiveIntegerField(default=0)
    trail_slots = models.PositiveIntegerField(default=0)
    trail_attended = models.PositiveIntegerField(default=0)
    # Computed by the database from the fields above (never written by the app), and
    # indexed by day, so a state's most urgent or weakest schools are an index range.
    # Compliance: schools that marked nothing yet first, then the most days missed.
    urgency = models.GeneratedField(
        expression=Case(When(meetings_marked__gt=0, then=Value(1000)), default=Value(0))
        - F("trail_missed")
        - Case(
            When(is_school_day=True, meetings_expected__gt=0, meetings_marked=0, then=Value(1)),
            default=Value(0),
        ),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    # Attendance over the 30 school days up to this one (None before anything was marked).
    rate30 = models.GeneratedField(
        expression=ExpressionWrapper(
            (F("trail_attended") + F("attended"))
            * 1.0
            / NullIf(F("trail_slots") + F("slots_marked"), Value(0)),
            output_field=models.FloatField(),
        ),
        output_field=models.FloatField(),
        db_persist=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "day"], name="schoolday_unique"),
        ]
        indexes = [
            # Pattern ops: the area filter (a path prefix, LIKE '/1/4/%') is an index
            # range on PostgreSQL under any collation; other databases ignore them.
            models.Index(
                fields=["day", "unit_path"],
                name="schoolday_area_by_day",
                opclasses=["date_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["day", "urgency"], name="schoolday_urgency"),
            models.Index(fields=["day", "rate30"], name="schoolday_rate30"),
            # Meal gaps are a few % of school-days: a state's latest gaps, by index.
            models.Index(
                fields=["day"],
                name="schoolday_meal_gaps",
                condition=models.Q(is_school_day=True)
                & (
                    models.Q(meals_served__gt=F("present_forenoon"))
                    | models.Q(meals_served__isnull=True, present_forenoon__gt=0)
                ),
            ),
            # Which of a day's school-days changed since its unit rollups were built:
            # one index range per day (SQLite and PostgreSQL alike).
            models.Index(fields=["day", "updated_at"], name="schoolday_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.day}"

    @property
    def fully_marked(self) -> bool:
        return self.meetings_expected > 0 and self.meetings_marked >= self.meetings_expected


class UnitDay(models.Model):
    """An org unit's day: the sums of the school-days of every school under it."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    # Copy of unit.parent: "the children of X over a range" is one index range.
    parent = models.ForeignKey("org.OrgUnit", null=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    schools = models.PositiveIntegerField(default=0)
    school_days = models.PositiveIntegerField(default=0)
    school_days_marked = models.PositiveIntegerField(default=0)  # every meeting marked
    school_days_unmarked = models.PositiveIntegerField(default=0)  # nothing marked
    school_days_any = models.PositiveIntegerField(default=0)  # at least one meeting marked
    meetings_expected = models.PositiveIntegerField(default=0)
    meetings_marked = models.PositiveIntegerField(default=0)
    meetings_late = models.PositiveIntegerField(default=0)
    meetings_corrected = models.PositiveIntegerField(default=0)
    on_roll = models.PositiveIntegerField(default=0)
    slots_marked = models.PositiveBigIntegerField(default=0)
    attended = models.PositiveBigIntegerField(default=0)
    absent = models.PositiveBigIntegerField(default=0)
    leave = models.PositiveBigIntegerField(default=0)
    present_forenoon = models.PositiveIntegerField(default=0)
    staff_expected = models.PositiveIntegerField(default=0)  # staff on roll on school days
    staff_expected_marked = models.PositiveIntegerField(default=0)
    staff_marked_days = models.PositiveIntegerField(default=0)
    staff_attended = models.PositiveIntegerField(default=0)
    meals_served = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="unitday_unique"),
        ]
        indexes = [models.Index(fields=["parent", "day"], name="unitday_children_by_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"


class RollupMark(models.Model):
    """When a day's unit rollups were last built from its school-days."""

    day = models.DateField(unique=True)
    # When the build began: school-days changed after it are not in the unit rows.
    built_at = models.DateTimeField()
    # School-days of the day stamped within rollups.MARGIN before built_at that the
    # build saw: more of them later means a transaction in flight committed after
    # the build read, so the day changed.
    recent = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day} built {self.built_at:%Y-%m-%d %H:%M:%S}"


class MealRecord(models.Model):
    """Mid-day meals served at a school on a day (SPEC §1.9)."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    meals_served = models.PositiveIntegerField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "day"], name="meal_unique")]

    def __str__(self) -> str:
        return f"{self.school_id} {self.day}: {self.meals_served}"


class FollowUp(models.Model):
    """What was found and done about a student's weak attendance (SPEC §1.7)."""

    class Reason(models.TextChoices):
        ILLNESS = "illness", _("Illness")
        WORK = "work", _("Working / harvest")
        MIGRATION = "migration", _("Family migrated")
        DISTANCE = "distance", _("Distance / transport")
        FAMILY = "family", _("Family reasons")
        DISINTEREST = "disinterest", _("Not interested")
        OTHER = "other", _("Other")

    class Action(models.TextChoices):
        HOME_VISIT = "home_visit", _("Home visit")
        CALL = "call", _("Phone call")
        REFERRAL = "referral", _("Referral")
        MEETING = "meeting", _("Parents' meeting")
        NONE = "none", _("No action yet")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    action = models.CharField(max_length=12, choices=Action.choices)
    note = models.CharField(max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["school", "student", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.student_id}: {self.reason} / {self.action}"


class WeakStudent(models.Model):
    """A student on a school's low-attendance list as of a night's build (weak.py):
    what block, district and state officers read, where counting every school's roll
    calls on each request would be too slow. Rows of a school are replaced together;
    the key starts with school_id (the distribution key on Citus)."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.CASCADE, related_name="+")
    # Copy of the school's unit path: an area's students are one prefix range.
    unit_path = models.CharField(max_length=255)
    as_of = models.DateField()  # the last day of the window
    held = models.PositiveIntegerField()  # meetings marked while on the roll
    attended = models.PositiveIntegerField()
    school_days = models.PositiveIntegerField()
    days_absent = models.PositiveIntegerField()
    pct = models.FloatField()  # attended / held, in %
    under_threshold = models.BooleanField()  # under the school's policy threshold
    chronically_absent = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "student"], name="weakstudent_unique"),
        ]
        # Both indexes hold every column an area's list filters and orders on (by need:
        # pct, then days absent, students.need), and the id: the list's page and its
        # count read an index alone (weak.area_students), not a row of the table for
        # each of the thousands of entries they pass over.
        indexes = [
            # A small area's list: its prefix range, then a sort of its rows.
            models.Index(
                fields=[
                    "unit_path",
                    "pct",
                    "student_id",
                    "chronically_absent",
                    "under_threshold",
                    "id",
                    "days_absent",
                ],
                name="weakstudent_area_need",
                opclasses=[
                    "varchar_pattern_ops",
                    "float8_ops",
                    "int8_ops",
                    "bool_ops",
                    "bool_ops",
                    "int8_ops",
                    "int4_ops",
                ],
            ),
            # A large area's list: the index in the list's order, no sort.
            models.Index(
                fields=[
                    "pct",
                    "-days_absent",
                    "student_id",
                    "unit_path",
                    "chronically_absent",
                    "under_threshold",
                    "id",
                ],
                name="weakstudent_weakest_need",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} at {self.school_id}: {self.pct}%"


class WeakStudentBuild(models.Model):
    """One build of the weak-student lists: as of which day, and when it finished."""

    as_of = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    schools = models.PositiveIntegerField(default=0)
    students = models.PositiveIntegerField(default=0)
    # Students under this attendance % were kept whatever their school's threshold:
    # the highest threshold a reader may ask of these lists.
    kept_below = models.PositiveSmallIntegerField(default=75)

    def __str__(self) -> str:
        return f"as of {self.as_of}"
