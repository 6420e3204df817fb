from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "hazri.credentials"
    label = "credentials"
