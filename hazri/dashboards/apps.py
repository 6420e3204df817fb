from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "hazri.dashboards"
    label = "dashboards"

    def ready(self) -> None:
        from hazri.accounts import access
        from hazri.attendance import seams
        from hazri.dashboards import receivers
        from hazri.dashboards.models import FollowUp
        from hazri.people.signals import roll_changed

        # The officers' figures of a school's day move with its roll calls and its
        # roll, in the same transaction.
        seams.schooldays_changed.connect(
            receivers.schooldays_changed, dispatch_uid="dashboards.schooldays_changed"
        )
        roll_changed.connect(
            receivers.roll_changed, dispatch_uid="dashboards.rebuild_schooldays_on_roll_change"
        )
        # A follow-up is the school's note: its staff and the officers over it see it.
        access.register(FollowUp, access.Reach(school="school_id", unit_path="school__unit_path"))
