"""Pages of the admissions app."""

from django.urls import path

from hazri.admissions import views

urlpatterns = [
    path("admissions/", views.home, name="admissions_home"),
    path("admissions/phone/", views.phone, name="admissions_phone"),
    path("admissions/phone/verify/", views.verify, name="admissions_verify"),
    path("admissions/apply/", views.apply, name="admissions_apply"),
    path(
        "admissions/applications/<int:application_id>/",
        views.application,
        name="admissions_application",
    ),
    path(
        "admissions/applications/<int:application_id>/correct/",
        views.correct,
        name="admissions_correct",
    ),
    path(
        "admissions/applications/<int:application_id>/withdraw/",
        views.withdraw,
        name="admissions_withdraw",
    ),
    path(
        "admissions/applications/<int:application_id>/documents/<str:document>/",
        views.document,
        name="admissions_document",
    ),
    path(
        "admissions/applications/<int:application_id>/decide/",
        views.decide,
        name="admissions_decide",
    ),
    path("schools/<int:school_id>/admissions/", views.queue, name="admissions_queue"),
    path("schools/<int:school_id>/admissions/seats/", views.seats, name="admissions_seats"),
]
