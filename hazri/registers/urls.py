from django.urls import path

from hazri.registers import views

urlpatterns = [
    path("approvals/", views.approvals_page, name="approvals"),
    path("family/", views.family_page, name="family"),
    path("sections/<int:section_id>/register/", views.register_page, name="section_register"),
    path("sections/<int:section_id>/register.pdf", views.register_pdf, name="section_register_pdf"),
    path(
        "sections/<int:section_id>/register.xlsx",
        views.register_xlsx,
        name="section_register_xlsx",
    ),
]
