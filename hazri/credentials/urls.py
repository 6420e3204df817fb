"""Pages of the credentials app."""

from django.urls import path

from hazri.credentials import views

urlpatterns = [
    path("verify/", views.verify_page, name="credentials_verify"),
    path(
        "schools/<int:school_id>/credentials/",
        views.school_credentials,
        name="credentials_school",
    ),
    path("credentials/<int:credential_id>/", views.credential_detail, name="credentials_detail"),
    path(
        "credentials/<int:credential_id>/revoke/",
        views.credential_revoke,
        name="credentials_revoke",
    ),
]
