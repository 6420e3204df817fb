from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "hazri.attendance"
    label = "attendance"
