from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hazri.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Every sign-in, sign-out and refusal into the audit trail.
        from hazri.accounts import signins

        signins.connect()
