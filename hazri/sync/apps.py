from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "hazri.sync"
    label = "sync"
    verbose_name = "Offline sync"
