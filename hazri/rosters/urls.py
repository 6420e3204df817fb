"""Pages of the rosters app."""

from django.urls import URLPattern, path

from hazri.rosters import views

urlpatterns: list[URLPattern] = [
    path("rosters/imports/", views.imports, name="rosters_imports"),
    path("rosters/imports/<int:job_id>/", views.job_page, name="rosters_import"),
    path("rosters/mappings/", views.mappings, name="rosters_mappings"),
    path("rosters/mappings/<int:mapping_id>/", views.mappings, name="rosters_mapping"),
]
