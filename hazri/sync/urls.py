"""The offline teacher app, mounted at /app/ (config/urls.py)."""

from django.urls import path, re_path

from hazri.sync import views

urlpatterns = [
    path("", views.app_page, name="pwa-app"),
    path("sw.js", views.service_worker, name="pwa-worker"),
    path("manifest.webmanifest", views.manifest, name="pwa-manifest"),
    re_path(
        r"^static/(?P<version>[0-9a-f]{1,64})/(?P<name>[A-Za-z0-9_\-./]{1,200})$",
        views.asset,
        name="pwa-asset",
    ),
]
