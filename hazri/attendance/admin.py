from django.contrib import admin

from hazri.attendance.models import RollCall, StaffRollCall


class ReadOnlyAdmin(admin.ModelAdmin):
    """Roll calls are evidence: the admin shows them and never edits or deletes them."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(RollCall)
class RollCallAdmin(ReadOnlyAdmin):
    list_display = [
        "day",
        "school",
        "section",
        "meeting",
        "version",
        "is_current",
        "present",
        "absent",
        "leave",
        "duty",
        "timing",
        "taken_by",
    ]
    list_filter = ["timing", "is_current", "meeting"]
    date_hierarchy = "day"
    list_select_related = ["school", "section", "taken_by"]


@admin.register(StaffRollCall)
class StaffRollCallAdmin(ReadOnlyAdmin):
    list_display = [
        "day",
        "school",
        "version",
        "is_current",
        "present",
        "absent",
        "leave",
        "timing",
        "taken_by",
    ]
    date_hierarchy = "day"
    list_select_related = ["school", "taken_by"]
