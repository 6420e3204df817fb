"""Personal invitations and the identities of the state's single sign-on.

An invitation is a one-time code a school prints on a slip for a guardian, a member of
staff or a student: redeeming it binds an account to that record. Only the SHA-256
digest of the code is stored; the code itself is shown once, when it is issued.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    class Kind(models.TextChoices):
        GUARDIAN = "guardian", _("Parent or guardian")
        STAFF = "staff", _("Staff")
        STUDENT = "student", _("Student")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    # The section it was issued for (a family's or a student's class), for the slip.
    section = models.ForeignKey(
        "org.Section", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    guardian = models.ForeignKey(
        "people.Guardian", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    staff = models.ForeignKey(
        "people.Staff", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A student's own invitation; for a guardian's, the child it was issued through.
    student = models.ForeignKey(
        "people.Student", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school", "section", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="guardian", guardian__isnull=False, staff__isnull=True)
                    | models.Q(kind="staff", staff__isnull=False, guardian__isnull=True)
                    | models.Q(
                        kind="student",
                        student__isnull=False,
                        guardian__isnull=True,
                        staff__isnull=True,
                    )
                ),
                name="invitation_has_its_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} invitation {self.pk}"


class SsoIdentity(models.Model):
    """An account of the state's sign-on (issuer and subject) bound to a user."""

    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "SSO identities"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"
