from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "hazri.interop"
    label = "interop"

    def ready(self) -> None:
        from hazri.accounts import access
        from hazri.interop.models import Exchange

        # An exchange of one school reaches that school's head and administrator; one of
        # a whole unit (school empty) only the state's administrator.
        access.register(Exchange, access.Reach(school="school_id", unit_path="unit_path"))
