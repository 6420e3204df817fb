from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "hazri.records"
    label = "records"
