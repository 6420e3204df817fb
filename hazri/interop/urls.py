"""Pages of the interop app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
