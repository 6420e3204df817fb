"""Old sync tokens are pruned; each device keeps its newest."""

import datetime as dt

from django.utils import timezone

from hazri.sync.models import SyncLog
from hazri.sync.services import synclogs_prune


def _log(user, device, days_ago: int) -> SyncLog:
    at = timezone.now() - dt.timedelta(days=days_ago)
    return SyncLog.objects.create(
        user=user, device=device, created_at=at, watermark=at, state_hash="x", full=True
    )


def test_old_logs_go_but_each_device_keeps_its_newest(world) -> None:
    from hazri.accounts.models import DeviceToken

    device = DeviceToken.objects.create(user=world.asha, name="phone", key_digest="d" * 64)
    old = _log(world.asha, device, 90)
    newest_old = _log(world.asha, device, 60)  # idle since: kept
    bare_old, bare_new = _log(world.asha, None, 80), _log(world.asha, None, 70)
    recent = _log(world.ravi, None, 1)
    assert synclogs_prune(keep_days=30) == 2
    left = set(SyncLog.objects.values_list("pk", flat=True))
    assert left == {newest_old.pk, bare_new.pk, recent.pk}
    assert old.pk not in left and bare_old.pk not in left
