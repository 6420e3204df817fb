from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "hazri.registers"
    label = "registers"
    verbose_name = "Attendance registers"

    def ready(self) -> None:
        from hazri.accounts import access
        from hazri.attendance import seams
        from hazri.registers import selectors
        from hazri.registers.models import FeeRecord

        # A roll call of a certified month waits for an officer's approval.
        seams.plug_month_lock(selectors.month_lock())
        # A fee is the school's record and the family's: both see it.
        access.register(
            FeeRecord,
            access.Reach(school="school_id", unit_path="school__unit_path", student="student_id"),
        )
