"""Users, their language, device tokens, and officers' jurisdictions.

A head's or teacher's school comes from their staff posting (people.Posting); an
officer's area comes from an OfficerGrant on an org unit.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, default="en", verbose_name=_("Language")
    )


class OfficerGrant(models.Model):
    """An officer's jurisdiction: every school under `unit`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="officer_grants")
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="officer_grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} over {self.unit}"


class DeviceToken(models.Model):
    """A bearer token for one device; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_tokens")
    name = models.CharField(max_length=100)
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} of {self.user}"


class LoginThrottle(models.Model):
    """Failed password logins counted for one key, "user:<username>" or "ip:<address>",
    within a window that starts at the first; enough of them lock the key for a time
    (hazri/accounts/throttle.py). A row per key that failed lately, not per attempt."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    since = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"
