from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "hazri.registers"
    label = "registers"
    verbose_name = "Attendance registers"

    def ready(self) -> None:
        from hazri.attendance import seams
        from hazri.registers import selectors

        # A roll call of a certified month waits for an officer's approval.
        seams.plug_month_lock(selectors.month_lock())
