from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "hazri.org"
    label = "org"
    verbose_name = "Organisation"
