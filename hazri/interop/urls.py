"""Pages of the interop app."""

from django.urls import URLPattern, path

from hazri.interop.oneroster import views as oneroster

urlpatterns: list[URLPattern] = [
    # OneRoster 1.2 CSV (hazri.interop.oneroster).
    path("interop/oneroster/", oneroster.oneroster, name="interop_oneroster"),
    path("interop/oneroster/export/", oneroster.oneroster_export, name="interop_oneroster_export"),
    path("interop/oneroster/import/", oneroster.oneroster_import, name="interop_oneroster_import"),
    path(
        "interop/oneroster/<int:exchange_id>/",
        oneroster.oneroster_exchange,
        name="interop_oneroster_exchange",
    ),
    path(
        "interop/oneroster/<int:exchange_id>/download/",
        oneroster.oneroster_download,
        name="interop_oneroster_download",
    ),
]
