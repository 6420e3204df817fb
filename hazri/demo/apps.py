from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hazri.demo"
    label = "demo"
    verbose_name = "Demo district"
