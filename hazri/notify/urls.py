from django.urls import URLPattern, path

from hazri.notify import views

urlpatterns: list[URLPattern] = [
    path("notices/", views.family_notices, name="notices_family"),
    path("notices/sw.js", views.service_worker, name="notices_worker"),
    path("schools/<int:school_id>/notices/", views.school_notices, name="notices_school"),
    path(
        "sections/<int:section_id>/invitations/send/",
        views.invitations_send_page,
        name="invitations_send",
    ),
]
