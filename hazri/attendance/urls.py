from django.urls import path

from hazri.attendance import views

urlpatterns = [
    path("", views.home, name="home"),
    path("schools/<int:school_id>/", views.school_day, name="school_day"),
    path("schools/<int:school_id>/staff/", views.staff_mark, name="staff_mark"),
    path("schools/<int:school_id>/staff/history/", views.staff_history, name="staff_history"),
    path("sections/<int:section_id>/mark/", views.section_mark, name="section_mark"),
    path("sections/<int:section_id>/history/", views.section_history, name="section_history"),
]
