"""One record for life: a child's whole history across schools and years, the year's
results and promotion, transfer certificates.

The history itself is people's (admissions, enrolments), the attendance's and the
register's: this app keeps only what it adds, the transfer certificate."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TransferCertificate(models.Model):
    """A school's certificate that a child has left it (the TC): the receiving school
    admits from it, and the same Student follows the child there.

    The facts are copied as they stood when it was issued (a TC is a document: a later
    change of a result does not change what was certified)."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        USED = "used", _("Admitted elsewhere")
        CANCELLED = "cancelled", _("Cancelled")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        "people.Student", on_delete=models.PROTECT, related_name="transfer_certificates"
    )
    admission = models.ForeignKey("people.Admission", on_delete=models.PROTECT, related_name="+")
    serial = models.PositiveIntegerField(help_text="The school's own running number")
    number = models.CharField(max_length=64, unique=True, help_text="UDISE code/serial")
    issued_on = models.DateField()
    # What the certificate states.
    student_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    admission_no = models.CharField(max_length=20)
    admitted_on = models.DateField()
    left_on = models.DateField(help_text="The last day on the roll")
    last_class = models.CharField(max_length=20)
    session = models.CharField(max_length=20)
    result = models.CharField(max_length=15, blank=True, help_text="The session's result")
    qualified_for_promotion = models.CharField(max_length=15, blank=True)
    meetings_held = models.PositiveIntegerField(default=0)
    meetings_attended = models.PositiveIntegerField(default=0)
    conduct = models.CharField(max_length=100)
    reason = models.CharField(max_length=200)
    dues_cleared = models.BooleanField()
    remarks = models.CharField(max_length=300, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ISSUED)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    # The signed document (hazri.credentials) printed with its QR; revoked on cancelling.
    credential = models.OneToOneField(
        "credentials.Credential", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The admission the receiving school made from it.
    admitted_as = models.OneToOneField(
        "people.Admission", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "serial"], name="tc_unique_serial"),
        ]
        indexes = [models.Index(fields=["school", "student"])]

    def __str__(self) -> str:
        return f"TC {self.number}"
