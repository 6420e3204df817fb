"""Admissions' writes: the family's (applications.py, phone.py) and the school's (school.py)."""

from hazri.admissions.services.applications import (
    Details,
    Family,
    application_resubmit,
    application_submit,
    application_withdraw,
)
from hazri.admissions.services.phone import phone_code_check, phone_code_send, phone_of_token
from hazri.admissions.services.school import (
    application_admit,
    application_correction_ask,
    application_refuse,
    application_review,
    seat_plan_set,
)

__all__ = [
    "Details",
    "Family",
    "application_admit",
    "application_correction_ask",
    "application_refuse",
    "application_resubmit",
    "application_review",
    "application_submit",
    "application_withdraw",
    "phone_code_check",
    "phone_code_send",
    "phone_of_token",
    "seat_plan_set",
]
