from django.urls import path

from hazri.journal.views import diary as views

urlpatterns = [
    path("diary/", views.diary_home, name="diary"),
    path("diary/students/<int:student_id>/", views.diary_student, name="diary_student"),
    path(
        "diary/students/<int:student_id>/acknowledge/",
        views.diary_acknowledge,
        name="diary_acknowledge",
    ),
    path("diary/students/<int:student_id>/absences/", views.diary_notices, name="diary_notices"),
    path(
        "diary/notices/<int:notice_id>/withdraw/",
        views.diary_notice_withdraw,
        name="diary_notice_withdraw",
    ),
    path(
        "journal/sections/<int:section_id>/acknowledgements/",
        views.section_acknowledgements,
        name="section_acknowledgements",
    ),
]
