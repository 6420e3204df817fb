from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "hazri.rosters"
    label = "rosters"
