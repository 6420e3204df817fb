"""Documents nobody can forge: W3C Verifiable Credentials signed with Ed25519, their
compact QR form, keys, revocation and verification.

A SigningKey is the state's public key with its validity; its private half is read from
a file or the environment, never stored. A Credential is one signed document as issued:
nothing is deleted; a revoked one keeps who revoked it, when and why, and its bit in the
status list says so to anyone who checks.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SigningKey(models.Model):
    """A public key the state signs with. It signs from valid_from until valid_until
    (a rotation closes it) and verifies what it signed in that time for ever, unless it
    was withdrawn (retired_at: a key thought compromised vouches for nothing)."""

    kid = models.CharField(max_length=16, unique=True)
    public_key = models.CharField(max_length=64, help_text="Ed25519 raw public key, base64")
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_reason = models.CharField(max_length=500, blank=True, default="")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["valid_from", "pk"]

    def __str__(self) -> str:
        return self.kid


class Credential(models.Model):
    class Kind(models.TextChoices):
        REPORT_CARD = "report_card", _("Report card")
        TRANSFER_CERTIFICATE = "transfer_certificate", _("Transfer certificate")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        "people.Student", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    name = models.CharField(max_length=200, blank=True, default="")
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="+")
    document = models.JSONField(help_text="The signed Verifiable Credential, as issued")
    qr = models.TextField(help_text="The compact signed form the QR code carries")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_reason = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["school", "issued_at"], name="cred_school_issued"),
            models.Index(fields=["student", "issued_at"], name="cred_student_issued"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def status_index(self) -> int:
        """Its place in the status list and its number in the QR: the row's id, allotted
        once and never reused."""
        return int(self.pk)
