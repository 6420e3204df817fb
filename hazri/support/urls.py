"""Pages of the support app."""

from django.urls import path

from hazri.support import views

urlpatterns = [
    path("support/", views.tickets, name="support_tickets"),
    path("support/new/", views.ticket_new, name="support_ticket_new"),
    path("support/queue/", views.queue, name="support_queue"),
    path("support/tickets/<int:ticket_id>/", views.ticket, name="support_ticket"),
    path("support/tickets/<int:ticket_id>/step/", views.ticket_step, name="support_ticket_step"),
    path("support/files/<int:ticket_file_id>/", views.file_download, name="support_file"),
]
