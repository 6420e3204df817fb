from django.contrib import admin

from hazri.registers.models import ExamResult, FeeRecord, MonthCertification


@admin.register(MonthCertification)
class MonthCertificationAdmin(admin.ModelAdmin):
    list_display = ["month", "school", "section", "certified_by", "certified_at", "checked_by"]
    list_select_related = ["school", "section", "certified_by"]
    date_hierarchy = "month"

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a signature is not edited; a mistake is handled by approval


@admin.register(FeeRecord)
class FeeRecordAdmin(admin.ModelAdmin):
    list_display = ["student", "school", "description", "amount", "receipt_no", "paid_on"]
    search_fields = ["receipt_no", "student__name"]
    raw_id_fields = ["student", "school", "recorded_by"]


@admin.register(ExamResult)
class ExamResultAdmin(admin.ModelAdmin):
    list_display = ["student", "section", "result", "percentage"]
    list_filter = ["result"]
    raw_id_fields = ["student", "section", "school", "recorded_by"]
