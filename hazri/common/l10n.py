"""Names Django itself translates, listed here so that makemessages puts them in our
Hindi catalogue: LOCALE_PATHS win over Django's own catalogue, whose Hindi spells
some months and weekdays wrongly (नवमबर for नवंबर, गुरूवार for गुरुवार)."""

from django.utils.translation import gettext_noop

DJANGO_OVERRIDES = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
)
