from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "hazri.common"
    label = "common"
