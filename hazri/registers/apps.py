from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "hazri.registers"
    label = "registers"
    verbose_name = "Attendance registers"
