"""Pages of the reportcards app."""

from django.urls import URLPattern, path

from hazri.reportcards import views

urlpatterns: list[URLPattern] = [
    path(
        "sections/<int:section_id>/report-cards/",
        views.section_cards,
        name="reportcards_section",
    ),
    path(
        "sections/<int:section_id>/report-cards/pdf",
        views.section_pdf,
        name="reportcards_section_pdf",
    ),
    path(
        "students/<int:student_id>/report-cards/",
        views.student_cards,
        name="reportcards_student",
    ),
    path("report-cards/<int:card_id>/pdf", views.card_pdf, name="reportcards_card_pdf"),
]
