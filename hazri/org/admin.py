from django.contrib import admin

from hazri.org.models import (
    AcademicYear,
    AttendancePolicy,
    CalendarEntry,
    OrgUnit,
    School,
    Section,
    Subject,
)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "name_local", "kind", "code", "depth"]
    list_filter = ["kind"]
    search_fields = ["name", "name_local", "code"]
    # Units are created through hazri.org.services.orgunit_create, which keeps paths.
    readonly_fields = ["path", "depth"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "name_local", "code", "unit", "start_time", "timezone"]
    search_fields = ["name", "name_local", "code"]
    list_select_related = ["unit"]
    readonly_fields = ["unit", "unit_path"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "school", "academic_year"]
    list_filter = ["grade", "academic_year"]
    search_fields = ["school__name", "school__code"]
    list_select_related = ["school", "academic_year"]
    raw_id_fields = ["school"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "name_local", "code", "school"]
    search_fields = ["name", "code", "school__code"]
    raw_id_fields = ["school"]


admin.site.register(AttendancePolicy)
admin.site.register(AcademicYear)


@admin.register(CalendarEntry)
class CalendarEntryAdmin(admin.ModelAdmin):
    list_display = ["day", "name", "kind", "unit", "school"]
    list_filter = ["kind"]
    date_hierarchy = "day"
    raw_id_fields = ["school"]
