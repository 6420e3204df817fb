"""Rollups that officers' pages read instead of raw marks, meals, and follow-ups.

SchoolDay holds one school's day in numbers; it is refreshed in the same
transaction as every roll call of that school and day, so a dashboard never scans
roll calls. Its key starts with school_id (the distribution key on Citus).
"""

from django.conf import settings
from django.db import models
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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "day"], name="schoolday_unique"),
        ]
        indexes = [models.Index(fields=["day", "unit_path"], name="schoolday_area_by_day")]

    def __str__(self) -> str:
        return f"{self.school_id} {self.day}"

    @property
    def fully_marked(self) -> bool:
        return self.meetings_expected > 0 and self.meetings_marked >= self.meetings_expected


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
