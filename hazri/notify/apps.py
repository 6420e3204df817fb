from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "hazri.notify"
    label = "notify"
