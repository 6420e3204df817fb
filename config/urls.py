from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("app/", include("hazri.sync.urls")),
    path("", include("hazri.accounts.urls")),
    path("", include("hazri.attendance.urls")),
    path("", include("hazri.registers.urls")),
    path("", include("hazri.faces.urls")),
    path("", include("hazri.journal.urls_setup")),
    path("", include("hazri.dashboards.urls")),
    path("", include("hazri.journal.urls_journal")),
    path("", include("hazri.journal.urls_diary")),
    path("", include("hazri.signon.urls")),
    path("", include("hazri.messaging.urls")),
    path("", include("hazri.notify.urls")),
    path("", include("hazri.admissions.urls")),
    path("", include("hazri.records.urls")),
    path("", include("hazri.reportcards.urls")),
    path("", include("hazri.credentials.urls")),
    path("", include("hazri.support.urls")),
    path("", include("hazri.rosters.urls")),
    path("", include("hazri.interop.urls")),
    path("", include("hazri.interop.urls_edfi")),
]
