"""Pages of the records app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
