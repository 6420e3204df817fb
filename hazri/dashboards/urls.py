from django.urls import path

from hazri.dashboards import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/schools/<int:school_id>/", views.school, name="dashboard_school"),
    path("dashboard/sections/<int:section_id>/", views.section, name="dashboard_section"),
    path("dashboard/students/<int:student_id>/", views.student, name="dashboard_student"),
    path("dashboard/compliance/", views.compliance, name="dashboard_compliance"),
    path("dashboard/low/", views.low, name="dashboard_low"),
    path("dashboard/meals/", views.meals, name="dashboard_meals"),
    path("dashboard/adoption/", views.adoption, name="dashboard_adoption"),
    path("dashboard/photos/", views.photos, name="dashboard_photos"),
    path("dashboard/learning/", views.learning, name="dashboard_learning"),
    path("dashboard/reporting/", views.reporting_page, name="dashboard_reporting"),
]
