from django.contrib import admin

from hazri.people.models import (
    Admission,
    Enrolment,
    Guardian,
    Posting,
    Staff,
    Student,
    TeachingAssignment,
)


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    raw_id_fields = ["section", "school", "admission"]


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["name", "name_local", "state_id", "gender", "date_of_birth"]
    search_fields = ["name", "name_local", "state_id"]
    inlines = [EnrolmentInline]
    raw_id_fields = ["user"]


@admin.register(Admission)
class AdmissionAdmin(admin.ModelAdmin):
    list_display = ["admission_no", "student", "school", "admitted_on", "left_on"]
    search_fields = ["admission_no", "student__name", "school__code"]
    raw_id_fields = ["student", "school"]


@admin.register(Guardian)
class GuardianAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email"]
    search_fields = ["name", "phone"]
    raw_id_fields = ["user"]


class PostingInline(admin.TabularInline):
    model = Posting
    extra = 0
    raw_id_fields = ["school"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["name", "name_local", "employee_code", "phone"]
    search_fields = ["name", "employee_code"]
    inlines = [PostingInline]
    raw_id_fields = ["user"]


@admin.register(TeachingAssignment)
class TeachingAssignmentAdmin(admin.ModelAdmin):
    list_display = ["staff", "section", "subject", "school", "starts_on", "ends_on"]
    search_fields = ["staff__name", "staff__employee_code", "school__code"]
    list_select_related = ["staff", "section", "subject", "school"]
    raw_id_fields = ["staff", "section", "subject", "school"]
