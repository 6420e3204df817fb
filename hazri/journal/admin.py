from django.contrib import admin

from hazri.journal.models import Meeting


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "section", "starts_at", "place"]
    list_select_related = ["school", "section"]
    raw_id_fields = ["school", "section", "created_by"]
    date_hierarchy = "starts_at"
