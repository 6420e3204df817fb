"""The Ed-Fi export page."""

from django.urls import path

from hazri.interop import views_edfi

urlpatterns = [
    path("schools/<int:school_id>/edfi/", views_edfi.edfi_page, name="interop_edfi"),
]
