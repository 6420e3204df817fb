from django.urls import path

from hazri.journal.views import setup as views

urlpatterns = [
    path("schools/<int:school_id>/journal-setup/", views.school_setup, name="journal_setup"),
    path("sections/<int:section_id>/timetable/", views.section_timetable, name="journal_timetable"),
]
