"""Exchange in the field's standards: 1EdTech OneRoster 1.2 CSV and Ed-Fi attendance events."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SourcedId(models.Model):
    """The OneRoster sourcedId of one of our objects: the id it came with from another
    system (kept, so it goes out again under the same id), with the dateLastModified
    read with it. Objects never imported have none stored: they go out under a stable
    id derived from their natural key (hazri.interop.oneroster.ids)."""

    class Kind(models.TextChoices):
        ORG = "org", _("Organisation unit")
        SCHOOL = "school", _("School")
        YEAR = "year", _("Academic year")
        COURSE = "course", _("Subject course")
        CLASS = "class", _("Section")
        SUBJECT_CLASS = "subject_class", _("Subject class of a section")
        STUDENT = "student", _("Student")
        STAFF = "staff", _("Staff")
        GUARDIAN = "guardian", _("Guardian")
        ADMISSION = "admission", _("Admission (student role)")
        POSTING = "posting", _("Posting (staff role)")
        ENROLMENT = "enrolment", _("Enrolment")
        ASSIGNMENT = "assignment", _("Teaching assignment")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField()
    # A second key where one object is not enough: a subject class is a section's
    # (object_id) subject (part); 0 elsewhere.
    part = models.BigIntegerField(default=0)
    sourced_id = models.CharField(max_length=255)
    date_last_modified = models.DateTimeField(null=True, blank=True)
    # The school the object belongs to, where it has one (hot lookups filter on it).
    school_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "part"], name="sourced_id_one_per_object"
            ),
            models.UniqueConstraint(fields=["kind", "sourced_id"], name="sourced_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.sourced_id}"


class Exchange(models.Model):
    """One OneRoster export or import, run as a background task; its zip (an export's
    result, an import's upload) lies under HAZRI_INTEROP_DIR."""

    class Direction(models.TextChoices):
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    direction = models.CharField(max_length=6, choices=Direction.choices)
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.WAITING)
    # What was exported (a unit or one school), or the school an import was limited to
    # (a head's); both empty: the state's superuser imported a whole bundle.
    unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "org.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The school or the unit's path, for the permission model's subtree filter.
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    file_name = models.CharField(max_length=200, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"OneRoster {self.direction} {self.pk} ({self.status})"
