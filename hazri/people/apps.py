from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "hazri.people"
    label = "people"
