from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hazri.audit"
    label = "audit"
