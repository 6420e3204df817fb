from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "hazri.records"
    label = "records"

    def ready(self) -> None:
        from hazri.accounts import access
        from hazri.records.models import TransferCertificate

        access.register(
            TransferCertificate,
            access.Reach(school="school_id", unit_path="school__unit_path", student="student_id"),
        )
