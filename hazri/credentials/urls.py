"""Pages of the credentials app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
