"""Sync tokens: what each device was last sent, so the next pull sends only changes.

A token is the id of a SyncLog. A device presenting a token the server does not
know (never issued, pruned, another user's) gets a full snapshot, as does one whose
state hash disagrees with what the server recorded (CommCare's restore model).
"""

import uuid

from django.conf import settings
from django.db import models


class SyncLog(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey(
        "accounts.DeviceToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    # Rows changed after this instant are in the next delta.
    watermark = models.DateTimeField()
    school_ids = models.JSONField(default=list)
    state_hash = models.CharField(max_length=64)
    full = models.BooleanField()
    clock_skew_seconds = models.IntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        kind = "full" if self.full else "delta"
        return f"{kind} sync of {self.user_id} at {self.created_at:%Y-%m-%d %H:%M}"
