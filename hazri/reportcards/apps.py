from django.apps import AppConfig


class ReportCardsConfig(AppConfig):
    name = "hazri.reportcards"
    label = "reportcards"
