"""Pages of the records app."""

from django.urls import path

from hazri.records import views

urlpatterns = [
    path("records/students/<int:student_id>/", views.record_page, name="records_record"),
    path(
        "records/students/<int:student_id>/transfer-certificate/",
        views.tc_issue_page,
        name="records_tc_issue",
    ),
    path("records/transfer-certificates/<int:tc_id>/", views.tc_page, name="records_tc"),
    path(
        "records/transfer-certificates/<int:tc_id>/cancel/",
        views.tc_cancel_page,
        name="records_tc_cancel",
    ),
    path(
        "records/sections/<int:section_id>/year-end/", views.year_end_page, name="records_year_end"
    ),
    path("records/schools/<int:school_id>/admit/", views.tc_admit_page, name="records_tc_admit"),
]
