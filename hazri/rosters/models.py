"""Bulk roster imports from the state enrolment register and the HR system (CSV, XLSX).

A `RosterMapping` names, for a state's (or any area's) own layout, their column for
each of ours and the date formats they write; it is versioned (each edit audited).
A `RosterJob` is one uploaded file: its preview per school (`RosterJobSchool`, with
the lines that would change or are refused: `RosterLine`), then the import itself,
one transaction per school, each school marked done in its own transaction so a
stopped job resumes from the schools not done.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    STUDENTS = "students", _("Students (enrolment register)")
    STAFF = "staff", _("Staff (HR system)")


class RosterMapping(models.Model):
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Our column -> theirs; a column of ours not named keeps its own name.
    columns = models.JSONField(default=dict)
    # strftime formats tried in order, e.g. ["%d/%m/%Y"]; ISO dates are always read.
    date_formats = models.JSONField(default=list)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RosterJob(models.Model):
    class Status(models.TextChoices):
        PREVIEWING = "previewing", _("Working out the preview")
        PREVIEWED = "previewed", _("Previewed")
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped: resume it")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    file_name = models.CharField(max_length=200)
    data = models.BinaryField()
    mapping = models.ForeignKey(
        RosterMapping, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mapping_version = models.PositiveIntegerField(null=True, blank=True)
    # The mapping as it was at the upload (it may be edited before the import runs).
    columns = models.JSONField(default=dict)
    date_formats = models.JSONField(default=list)
    # The day the import takes effect: moves start on it, those not listed leave the day before.
    on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    schools = models.PositiveIntegerField(default=0)
    schools_done = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    # Counts by action over the whole file: create, change, end, unchanged, refused.
    counts = models.JSONField(default=dict)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} import {self.pk}"

    @property
    def working(self) -> bool:
        """A task is on it: the preview being worked out (until it fails), or the import."""
        if self.status == self.Status.PREVIEWING:
            return not self.error
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class RosterJobSchool(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    job = models.ForeignKey(RosterJob, on_delete=models.CASCADE, related_name="parts")
    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=500, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "school"], name="roster_job_school_unique")
        ]
        ordering = ["job_id", "school_id"]

    def __str__(self) -> str:
        return f"import {self.job_id} at school {self.school_id}"


class RosterLine(models.Model):
    """A line of the preview that is not "unchanged": created, changed, ended or refused."""

    job = models.ForeignKey(RosterJob, on_delete=models.CASCADE, related_name="lines")
    # The school the row names (null: a row refused before its school was known).
    school_id = models.BigIntegerField(null=True)
    line = models.PositiveIntegerField()  # 0: on the roll, not in the file
    action = models.CharField(max_length=10)
    key = models.CharField(max_length=64)
    name = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict)
    column = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["job", "action", "line"])]
        ordering = ["job_id", "line", "pk"]

    def __str__(self) -> str:
        return f"line {self.line}: {self.action}"
