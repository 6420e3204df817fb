"""Pages of the admissions app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
