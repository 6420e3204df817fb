from django.urls import path

from hazri.messaging import views

urlpatterns = [
    path("messages/", views.inbox, name="messaging_inbox"),
    path("messages/new/", views.thread_new, name="messaging_thread_new"),
    path("messages/threads/<int:thread_id>/", views.thread, name="messaging_thread"),
    path("messages/threads/<int:thread_id>/read/", views.thread_read, name="messaging_thread_read"),
    path(
        "messages/letters/<int:message_id>/withdraw/",
        views.message_withdraw,
        name="messaging_message_withdraw",
    ),
    path("messages/files/<int:file_id>/", views.file_download, name="messaging_file"),
    path("messages/notices/", views.notices, name="messaging_notices"),
    path(
        "messages/notices/<int:class_notice_id>/read/",
        views.notice_read,
        name="messaging_notice_read",
    ),
    path(
        "messages/notices/<int:class_notice_id>/withdraw/",
        views.notice_withdraw,
        name="messaging_notice_withdraw",
    ),
    path("sections/<int:section_id>/notices/new/", views.notice_new, name="messaging_notice_new"),
]
