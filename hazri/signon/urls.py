from django.urls import path

from hazri.signon import views

urlpatterns = [
    path("accounts/logout/", views.logout, name="logout"),
    path("accounts/sso/", views.sso_start, name="sso_start"),
    path("accounts/sso/callback/", views.sso_callback, name="sso_callback"),
    path("invite/", views.invite_enter, name="invite_enter"),
    path("invite/<str:code>/", views.invite, name="invite"),
    path("schools/<int:school_id>/invitations/", views.invitations_page, name="invitations"),
    path(
        "schools/<int:school_id>/invitations/staff/",
        views.invitations_issue_staff,
        name="invitations_issue_staff",
    ),
    path(
        "sections/<int:section_id>/invitations/",
        views.invitations_issue,
        name="invitations_issue",
    ),
    path(
        "invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
