"""Pages of the support app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
