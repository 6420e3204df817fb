"""Photo attendance: a guardian's consent, a student's reference faces, a section's
daily photos, the faces found in them and the roll call they propose.

Every table carries its school (Citus distributes on it) and every read filters on
it. Faces are kept only as long as they are needed: references while consent stands,
daily photos and their faces until the retention period ends (`services.purge`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Consent(models.Model):
    """A guardian's consent to keep a student's face for attendance. Withdrawing it
    ends it (who, when, why) and deletes the student's references at once; a later
    consent is a new row."""

    class Method(models.TextChoices):
        FORM = "form", _("A signed consent form")
        PARENT = "parent", _("The parent's own acceptance")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    given_by = models.CharField(max_length=200, help_text="The guardian who consented")
    method = models.CharField(max_length=10, choices=Method.choices)
    reference = models.CharField(max_length=100, blank=True, help_text="The form's number")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="faces_one_standing_consent",
            )
        ]

    def __str__(self) -> str:
        return f"consent {self.student_id} ({self.method})"


class Reference(models.Model):
    """One reference face of a student: its aligned crop (a few kB, for the teacher's
    review) and its embeddings under one model."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Reference photo")
        CONFIRMED = "confirmed", _("Confirmed in a class photo")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="references")
    source = models.CharField(max_length=10, choices=Source.choices)
    crop = models.BinaryField()  # JPEG
    embeddings = models.BinaryField()  # float32, n x dimensions
    dimensions = models.PositiveSmallIntegerField()
    model_name = models.CharField(max_length=100)
    model_version = models.CharField(max_length=50)
    face_width = models.PositiveIntegerField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()
    # The uploading device's Idempotency-Key: a resend after a lost answer finds this
    # reference instead of adding a second one.
    client_uuid = models.UUIDField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school", "student"], name="faces_reference_student")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "client_uuid"], name="faces_reference_client_uuid"
            )
        ]

    def __str__(self) -> str:
        return f"reference {self.pk} of {self.student_id}"


class PhotoSet(models.Model):
    """A section's photos for one day and meeting, from upload to the roll call."""

    class Status(models.TextChoices):
        UPLOADING = "uploading", _("Uploading")
        QUEUED = "queued", _("Waiting to be processed")
        PROCESSING = "processing", _("Processing")
        PROPOSED = "proposed", _("Ready for review")
        FAILED = "failed", _("Could not be processed")
        SUBMITTED = "submitted", _("Submitted")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    meeting = models.PositiveSmallIntegerField()
    client_uuid = models.UUIDField()
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    device = models.ForeignKey(
        "accounts.DeviceToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expected = models.PositiveSmallIntegerField(help_text="How many photos the set holds")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADING)
    processed = models.PositiveSmallIntegerField(default=0, help_text="Photos processed so far")
    # When the photos were taken (the first of them), as the device said, and how far
    # its clock was off when it announced the set: the roll call is judged by these.
    device_captured_at = models.DateTimeField()
    clock_skew_seconds = models.IntegerField(default=0)
    created_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, default="")
    model_name = models.CharField(max_length=100, blank=True, default="")
    model_version = models.CharField(max_length=50, blank=True, default="")
    thresholds = models.JSONField(default=dict)
    cpu_seconds = models.FloatField(default=0)
    # The review: the roll call it became, and how the teacher changed the proposal.
    rollcall = models.ForeignKey(
        "attendance.RollCall", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    children = models.PositiveIntegerField(default=0)
    to_absent = models.PositiveIntegerField(default=0, help_text="Proposed present, marked absent")
    to_present = models.PositiveIntegerField(
        default=0, help_text="Proposed not seen, marked present"
    )
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "client_uuid"], name="faces_photoset_uuid")
        ]
        indexes = [
            models.Index(fields=["school", "day"], name="faces_photoset_day"),
            models.Index(fields=["school", "created_at"], name="faces_photoset_created"),
        ]

    def __str__(self) -> str:
        return f"photos {self.section_id} {self.day} m{self.meeting}"


class Photo(models.Model):
    """One photo of a set: announced with its size and digest, then received in
    chunks (a cut connection resumes where it stopped), then processed."""

    class Status(models.TextChoices):
        UPLOADING = "uploading", _("Uploading")
        RECEIVED = "received", _("Received")
        PROCESSED = "processed", _("Processed")
        FAILED = "failed", _("Could not be read")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    photo_set = models.ForeignKey(PhotoSet, on_delete=models.CASCADE, related_name="photos")
    index = models.PositiveSmallIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    received = models.PositiveIntegerField(default=0)
    media_type = models.CharField(max_length=20, blank=True, default="")
    captured_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADING)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    faces_found = models.PositiveIntegerField(default=0)
    cpu_seconds = models.FloatField(default=0)
    error = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "photo_set", "index"], name="faces_photo_index"
            )
        ]

    def __str__(self) -> str:
        return f"photo {self.photo_set_id}/{self.index}"


class SeenFace(models.Model):
    """A face found in a daily photo: its crop for the review, its embedding, and the
    student the proposal matched it to (none: an unknown face)."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="faces")
    index = models.PositiveSmallIntegerField()
    box = models.JSONField()  # [x, y, width, height] in the photo's pixels
    width = models.PositiveIntegerField()
    detector_score = models.FloatField()
    crop = models.BinaryField()  # JPEG
    embedding = models.BinaryField()  # float32
    student = models.ForeignKey(
        "people.Student", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    score = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school", "photo"], name="faces_seen_photo")]

    def __str__(self) -> str:
        return f"face {self.photo_id}/{self.index}"


class Proposed(models.Model):
    """What the photos propose for one student of the roll, with every score kept."""

    class Band(models.TextChoices):
        PRESENT = "present", _("Present")
        CHECK = "check", _("Please check")
        UNSEEN = "unseen", _("Not seen")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    photo_set = models.ForeignKey(PhotoSet, on_delete=models.CASCADE, related_name="proposed")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    band = models.CharField(max_length=10, choices=Band.choices)
    best_score = models.FloatField(null=True, blank=True)
    second_score = models.FloatField(null=True, blank=True)
    best_face = models.ForeignKey(
        SeenFace, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scores = models.JSONField(default=list)  # the assigned score in each photo (null: none)
    has_reference = models.BooleanField(default=True)
    final = models.CharField(max_length=1, blank=True, default="", help_text="The teacher's mark")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "photo_set", "student"], name="faces_proposed_student"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student_id}: {self.band}"
