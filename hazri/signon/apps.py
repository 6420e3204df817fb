from django.apps import AppConfig


class SignonConfig(AppConfig):
    name = "hazri.signon"
    label = "signon"

    def ready(self) -> None:
        from hazri.accounts import access
        from hazri.signon.models import Invitation

        access.register(
            Invitation,
            access.Reach(school="school_id", unit_path="school__unit_path", section="section_id"),
        )
