from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hazri.accounts"
    label = "accounts"
