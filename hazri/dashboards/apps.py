from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "hazri.dashboards"
    label = "dashboards"

    def ready(self) -> None:
        from hazri.dashboards import receivers
        from hazri.people.signals import roll_changed

        roll_changed.connect(
            receivers.roll_changed, dispatch_uid="dashboards.rebuild_schooldays_on_roll_change"
        )
