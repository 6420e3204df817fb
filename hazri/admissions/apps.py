from django.apps import AppConfig


class AdmissionsConfig(AppConfig):
    name = "hazri.admissions"
    label = "admissions"
