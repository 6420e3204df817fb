"""Month certification (SPEC §3.13): the head signs a section's month; it is then locked.

A roll call changed after its month was certified waits for the approval of an
officer over the school (the block officer) before it counts, and the register
shows it as a post-certification change.
"""

from django.conf import settings
from django.db import models


class MonthCertification(models.Model):
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the month")
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    certified_at = models.DateTimeField()
    checked_by = models.CharField(max_length=200, help_text="Name of the checker who verified it")
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "section", "month"], name="month_certification_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section_id} {self.month:%Y-%m} certified"


class FeeRecord(models.Model):
    """A fee paid (or waived) by a student, for the register's front pages (SPEC §3.8)."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="fees")
    academic_year = models.ForeignKey(
        "org.AcademicYear", on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=100, help_text="e.g. Tuition, Exam, Development")
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    receipt_no = models.CharField(max_length=30, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    concession_reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "receipt_no"],
                condition=~models.Q(receipt_no=""),
                name="fee_receipt_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} {self.amount} ({self.receipt_no or 'no receipt'})"


class ExamResult(models.Model):
    """The session's result of a student, written on the last month's page (SPEC §3.11).

    Nothing on the register is overwritten (SPEC §3.7): a change is a new version, with
    who made it, when and why; exactly one version per section and student is current,
    and the register and promotion read that one."""

    class Result(models.TextChoices):
        PASSED = "passed", "Passed"
        SUPPLEMENTARY = "supplementary", "Supplementary"
        FAILED = "failed", "Failed"
        ABSENT = "absent", "Absent from exam"

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=15, choices=Result.choices)
    percentage = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    remarks = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    reason = models.CharField(max_length=300, blank=True, help_text="Why it was changed")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["section", "student", "version"], name="exam_result_unique_version"
            ),
            models.UniqueConstraint(
                fields=["section", "student"],
                condition=models.Q(is_current=True),
                name="exam_result_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(percentage__isnull=True)
                | models.Q(percentage__gte=0, percentage__lte=100),
                name="exam_result_percentage_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id}: {self.result} v{self.version}"
