"""Online admission: a family applies from home, a school reviews, asks for corrections, admits or refuses.

An application names its preferred schools in order; one school at a time holds it
(`Application.school`, the school whose queue it is in). A school that refuses it for
lack of seats passes it to the next preference; a refusal for any other reason, or by
the last preference, ends it. Every change of status is an `ApplicationEvent` (who,
when, why). Documents are stored in the database, never under /media: they are served
only through a permission-checked view.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hazri.people.models import Gender, Guardianship


class SeatPlan(models.Model):
    """The seats a school offers in one class in one academic year (the head sets it)."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    academic_year = models.ForeignKey(
        "org.AcademicYear", on_delete=models.PROTECT, related_name="+"
    )
    grade = models.PositiveSmallIntegerField()
    seats = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "grade"], name="seat_plan_unique_class"
            ),
            models.CheckConstraint(
                condition=models.Q(grade__gte=1, grade__lte=12), name="seat_plan_grade_1_to_12"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_id}/{self.academic_year_id} class {self.grade}: {self.seats}"


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        CORRECTION_ASKED = "correction_asked", _("Correction asked")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        ADMITTED = "admitted", _("Admitted")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Public reference the family quotes and follows the application by (with its
    # verified phone number when not signed in).
    reference = models.CharField(max_length=12, unique=True)
    # The school whose queue holds the application now (the preference being
    # considered, or the one that admitted or last refused it).
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    academic_year = models.ForeignKey(
        "org.AcademicYear", on_delete=models.PROTECT, related_name="+"
    )
    grade = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)

    # The child.
    child_name = models.CharField(max_length=200)
    child_name_local = models.CharField(max_length=200, blank=True)
    gender = models.CharField(max_length=1, choices=Gender.choices)
    date_of_birth = models.DateField()
    state_id = models.CharField(max_length=32, blank=True)
    # The guardian applying.
    guardian_name = models.CharField(max_length=200)
    guardian_name_local = models.CharField(max_length=200, blank=True)
    guardian_phone = models.CharField(max_length=20)
    guardian_email = models.EmailField(blank=True)
    relation = models.CharField(max_length=10, choices=Guardianship.Relation.choices)
    address = models.CharField(max_length=300, blank=True)

    # Who applied: a signed-in user, or (no account) the phone number verified by SMS.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_phone = models.CharField(max_length=20, blank=True)

    correction_note = models.CharField(max_length=500, blank=True)  # what to fix, when asked
    refusal_reason = models.CharField(max_length=500, blank=True)
    admission = models.OneToOneField(
        "people.Admission", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    submitted_on = models.DateField()
    decided_at = models.DateTimeField(null=True, blank=True)  # admitted, refused or withdrawn
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["school", "academic_year", "status"]),
            models.Index(fields=["state_id"]),
            models.Index(fields=["date_of_birth", "guardian_phone"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade__gte=1, grade__lte=12), name="application_grade_1_to_12"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.child_name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


OPEN_STATUSES = frozenset(
    {
        Application.Status.SUBMITTED,
        Application.Status.UNDER_REVIEW,
        Application.Status.CORRECTION_ASKED,
        Application.Status.RESUBMITTED,
    }
)


class Preference(models.Model):
    """One school the family would like, in their order (rank 1 first)."""

    class Outcome(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CONSIDERING = "considering", _("Being considered")
        NO_SEATS = "no_seats", _("No seats")
        REFUSED = "refused", _("Refused")
        ADMITTED = "admitted", _("Admitted")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="preferences"
    )
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.WAITING)

    class Meta:
        ordering = ["application_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="preference_unique_rank"),
            models.UniqueConstraint(
                fields=["application", "school"], name="preference_unique_school"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.rank}: {self.school_id}"


class ApplicationEvent(models.Model):
    """One step of an application: who (a user, or the family by phone), when, why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Application.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_phone = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["application_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.status} at {self.at}"


class ApplicationDocument(models.Model):
    class Kind(models.TextChoices):
        BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
        TRANSFER_CERTIFICATE = "transfer_certificate", _("Transfer certificate")
        PHOTO = "photo", _("Photo")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    media_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField()
    uploaded_at = models.DateTimeField()

    class Meta:
        constraints = [
            # A new upload of a kind replaces the old one (a correction).
            models.UniqueConstraint(fields=["application", "kind"], name="document_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"


class PhoneCheck(models.Model):
    """A one-time code sent by SMS to prove a phone number (a family with no account).

    Only digests are stored: of the code sent, and of the token the verified caller
    then holds. A code expires, allows a few tries, and the caller's address is locked
    after repeated wrong codes (signon.guard)."""

    phone = models.CharField(max_length=20, db_index=True)
    code_digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.phone} ({self.created_at})"
