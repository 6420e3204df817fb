from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "hazri.interop"
    label = "interop"
