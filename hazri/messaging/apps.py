from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "hazri.messaging"
    label = "messaging"
