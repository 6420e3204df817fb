from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "hazri.credentials"
    label = "credentials"

    def ready(self) -> None:
        from hazri.accounts import access
        from hazri.credentials.models import Credential

        access.register(
            Credential,
            access.Reach(school="school_id", unit_path="school__unit_path", student="student_id"),
        )
