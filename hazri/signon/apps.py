from django.apps import AppConfig


class SignonConfig(AppConfig):
    name = "hazri.signon"
    label = "signon"
