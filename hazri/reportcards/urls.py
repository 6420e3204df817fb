"""Pages of the reportcards app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
