from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "hazri.support"
    label = "support"
