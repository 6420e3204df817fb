"""Notices to families: what a guardian chose, each notice once, and every try to send it.

A `Notice` is one message to one guardian about one child, keyed by (school, kind,
guardian, student, key): the key is the day of an absence, the month of a low-attendance
notice, the Monday of an unsigned week, or the message id. The unique constraint makes a
second sweep, a second worker or a corrected roll call unable to write it twice; each
attempt to send it leaves a `Delivery` row per channel.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    CONSOLE = "console", _("Log only")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    PUSH = "push", _("This phone (push)")


class Kind(models.TextChoices):
    ABSENCE = "absence", _("Absent today")
    LOW_ATTENDANCE = "low_attendance", _("Low attendance last month")
    MESSAGE = "message", _("New message")
    WEEK_UNSIGNED = "week_unsigned", _("Diary week not signed")
    CLASS_NOTICE = "class_notice", _("Notice to the class")
    INVITATION = "invitation", _("Invitation to Hazri")
    ADMISSION_CODE = "admission_code", _("Code to verify a mobile number")
    APPLICATION = "application", _("Admission application")
    SUPPORT = "support", _("Support ticket updated")
    TRANSFER = "transfer", _("Transfer certificate")


class NoticePreference(models.Model):
    """A guardian's choices. A guardian without one gets the defaults (`preferences.py`):
    SMS to the phone on record, in Hindi, no quiet hours."""

    guardian = models.OneToOneField(
        "people.Guardian", on_delete=models.CASCADE, related_name="notice_preference"
    )
    channels = models.JSONField(default=list)  # [Channel], in the order tried
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="hi")
    # Local (the child's school's zone); start == end: no quiet hours. A span across
    # midnight (21:00-07:00) is allowed.
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"preferences of {self.guardian_id}"


class PushSubscription(models.Model):
    """A browser's Web Push subscription ("notify this phone")."""

    guardian = models.ForeignKey(
        "people.Guardian", on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guardian", "endpoint"], name="notify_push_once")
        ]

    def __str__(self) -> str:
        return f"push of {self.guardian_id}"


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Not needed")


class Notice(models.Model):
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    guardian = models.ForeignKey("people.Guardian", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=40)
    # The variables of the texts (child's name, day, percent, author…): the words are the
    # templates' (texts.py), in the guardian's language at the time of sending.
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    # Not before (quiet hours, the next retry); a claim holds it until `claimed_until`.
    due_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True)  # the worker holding it (services.claim)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind", "guardian", "student", "key"], name="notify_notice_once"
            )
        ]
        indexes = [
            models.Index(fields=["school", "created_at"], name="notify_notice_by_school"),
            # The queue: only the notices still to send.
            models.Index(
                fields=["due_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="notify_notice_queue",
            ),
            models.Index(fields=["guardian", "created_at"], name="notify_notice_by_guardian"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} to {self.guardian_id}"


class Delivery(models.Model):
    """One attempt to send a notice through one channel."""

    class Outcome(models.TextChoices):
        OK = "ok", _("Delivered")
        ERROR = "error", _("Error")
        SKIPPED = "skipped", _("No address")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    detail = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["school", "at"], name="notify_delivery_by_school")]

    def __str__(self) -> str:
        return f"{self.channel} {self.outcome} of {self.notice_id}"


class Sweep(models.Model):
    """A job's mark that it has looked at a school for a key (a day, a month, a week):
    the absence sweep after the school's cutoff keeps `swept_at` and later looks only at
    roll calls changed since; the monthly and weekly jobs do each school once."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=40)
    swept_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "kind", "key"], name="notify_sweep_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} of {self.school_id}"
