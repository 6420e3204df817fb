from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "hazri.dashboards"
    label = "dashboards"

    def ready(self) -> None:
        from hazri.attendance import seams
        from hazri.dashboards import receivers

        # The officers' figures of a school's day move with its roll calls, in the
        # same transaction.
        seams.schooldays_changed.connect(
            receivers.schooldays_changed, dispatch_uid="dashboards.schooldays_changed"
        )
