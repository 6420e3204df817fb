from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "hazri.attendance"
    label = "attendance"

    def ready(self) -> None:
        from hazri.accounts import access
        from hazri.attendance.models import RollCall, StaffRollCall

        # Roll calls come under the permission model through their school and section.
        access.register(
            RollCall,
            access.Reach(school="school_id", unit_path="school__unit_path", section="section_id"),
        )
        access.register(
            StaffRollCall, access.Reach(school="school_id", unit_path="school__unit_path")
        )
