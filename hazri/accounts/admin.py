from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from hazri.accounts.models import DeviceToken, OfficerGrant, User


class OfficerGrantInline(admin.TabularInline):
    model = OfficerGrant
    extra = 0


@admin.register(User)
class HazriUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Hazri", {"fields": ["language"]}))
    inlines = [OfficerGrantInline]


@admin.register(DeviceToken)
class DeviceTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_digest", "created_at", "last_used_at"]
