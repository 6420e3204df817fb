from django.urls import path

from hazri.journal.views import journal as views

urlpatterns = [
    path("journal/", views.journal_home, name="journal_home"),
    path(
        "journal/sections/<int:section_id>/lessons/<str:day>/<int:period>/",
        views.journal_lesson,
        name="journal_lesson",
    ),
    path(
        "journal/sections/<int:section_id>/subjects/<int:subject_id>/",
        views.journal_sheet,
        name="journal_sheet",
    ),
    path("journal/sections/<int:section_id>/class/", views.journal_class, name="journal_class"),
    path(
        "journal/attachments/<int:attachment_id>/",
        views.journal_attachment,
        name="journal_attachment",
    ),
]
