from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "hazri.sync"
    label = "sync"
    verbose_name = "Offline sync"

    def ready(self) -> None:
        from hazri.attendance import seams
        from hazri.sync import selectors

        # Marks dated well before the device's last pull are refused.
        seams.plug_device_pulls(selectors.device_pulls())
