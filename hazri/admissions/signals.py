"""Signals the notification app connects to (hazri/notify/admissions.py), sent once the
transaction that caused them has committed (never for one rolled back).

    phone_code_sent(sender=PhoneCheck, phone=<str>, code=<str>, minutes=<int>)
        a one-time code to send by SMS to a family applying without an account
    application_changed(sender=Application, application=<Application>, note=<str>)
        an application's status changed (or it passed to the next school): tell the family
"""

from django.dispatch import Signal

phone_code_sent = Signal()
application_changed = Signal()
