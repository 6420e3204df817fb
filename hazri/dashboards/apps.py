from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "hazri.dashboards"
    label = "dashboards"
