"""What each notice says: the SMS templates as registered on India's DLT platform, and the
longer texts of e-mail, push and the log (gettext, in the guardian's language).

DLT (TRAI's Distributed Ledger for commercial SMS): every text an operator carries must
be a registered template, sent under its template id from a registered 6-letter sender
header; a template marks each variable `{#var#}`. Hazri keeps each template's id beside
its text and allows at most two variables of at most 30 characters each
(`test_dlt_rules` holds every template to it). A value longer than that is cut to fit.
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from hazri.common import localize
from hazri.notify.models import Kind

# The languages with SMS templates registered on DLT; any other gets the English SMS.
DLT_LANGUAGES = ("en", "hi")
VAR = "{#var#}"
MAX_VARIABLES = 2
MAX_VARIABLE_CHARS = 30
SENDER_HEADER = re.compile(r"[A-Z]{6}")


@dataclass(frozen=True)
class SmsTemplate:
    template_id: str  # the DLT template id (19 digits)
    text: str  # the registered text, variables written {#var#}
    variables: tuple[str, ...]  # the notice params filling them, in order


# (kind, language) -> the registered template. Ids are placeholders until the state's
# registrations are entered (docs/notices.md).
SMS_TEMPLATES: dict[tuple[str, str], SmsTemplate] = {
    (Kind.ABSENCE, "en"): SmsTemplate(
        "1107170000000000001",
        "Dear parent, {#var#} was marked absent at school on {#var#}. - HAZRI",
        ("child", "day"),
    ),
    (Kind.ABSENCE, "hi"): SmsTemplate(
        "1107170000000000002",
        "प्रिय अभिभावक, {#var#} दिनांक {#var#} को विद्यालय में अनुपस्थित रहे। - HAZRI",
        ("child", "day"),
    ),
    (Kind.LOW_ATTENDANCE, "en"): SmsTemplate(
        "1107170000000000003",
        "Dear parent, {#var#} attended only {#var#} of school days last month. "
        "Please meet the head of school. - HAZRI",
        ("child", "percent"),
    ),
    (Kind.LOW_ATTENDANCE, "hi"): SmsTemplate(
        "1107170000000000004",
        "प्रिय अभिभावक, पिछले माह {#var#} की उपस्थिति केवल {#var#} रही। "
        "कृपया प्रधानाध्यापक से मिलें। - HAZRI",
        ("child", "percent"),
    ),
    (Kind.MESSAGE, "en"): SmsTemplate(
        "1107170000000000005",
        "New message from {#var#} about {#var#}. Read it in Hazri. - HAZRI",
        ("author", "child"),
    ),
    (Kind.MESSAGE, "hi"): SmsTemplate(
        "1107170000000000006",
        "{#var#} का नया संदेश ({#var#} के बारे में)। हाज़िरी में पढ़ें। - HAZRI",
        ("author", "child"),
    ),
    (Kind.WEEK_UNSIGNED, "en"): SmsTemplate(
        "1107170000000000007",
        "Dear parent, please sign the diary of {#var#} for the week of {#var#} in Hazri. - HAZRI",
        ("child", "week"),
    ),
    (Kind.WEEK_UNSIGNED, "hi"): SmsTemplate(
        "1107170000000000008",
        "प्रिय अभिभावक, कृपया {#var#} की डायरी ({#var#} का सप्ताह) हाज़िरी में हस्ताक्षर करें। - HAZRI",
        ("child", "week"),
    ),
    (Kind.CLASS_NOTICE, "en"): SmsTemplate(
        "1107170000000000009",
        "Dear parent, {#var#} posted a notice for the class of {#var#}. Read it in Hazri. - HAZRI",
        ("author", "child"),
    ),
    (Kind.CLASS_NOTICE, "hi"): SmsTemplate(
        "1107170000000000010",
        "प्रिय अभिभावक, {#var#} ने {#var#} की कक्षा के लिए सूचना दी है। हाज़िरी में पढ़ें। - HAZRI",
        ("author", "child"),
    ),
    # The link differs per host and holds the code: the SMS names the page, not the link.
    (Kind.INVITATION, "en"): SmsTemplate(
        "1107170000000000011",
        "Dear parent, {#var#} invites you to Hazri. Your personal code is {#var#}: type it "
        "on the /invite page of Hazri. Keep it private. - HAZRI",
        ("school", "code"),
    ),
    (Kind.INVITATION, "hi"): SmsTemplate(
        "1107170000000000012",
        "प्रिय अभिभावक, {#var#} ने आपको हाज़िरी में आमंत्रित किया है। आपका निजी कोड {#var#} है: "
        "इसे हाज़िरी के /invite पृष्ठ पर लिखें। इसे गुप्त रखें। - HAZRI",
        ("school", "code"),
    ),
    # Online admission (hazri/notify/admissions.py): to a phone, not a guardian on record.
    (Kind.ADMISSION_CODE, "en"): SmsTemplate(
        "1107170000000000201",
        "{#var#} is your code to apply for admission in Hazri. It works for {#var#} minutes. "
        "Do not share it. - HAZRI",
        ("code", "minutes"),
    ),
    (Kind.ADMISSION_CODE, "hi"): SmsTemplate(
        "1107170000000000202",
        "हाज़िरी में प्रवेश आवेदन के लिए आपका कोड {#var#} है। यह {#var#} मिनट तक मान्य है। "
        "इसे किसी को न बताएँ। - HAZRI",
        ("code", "minutes"),
    ),
    (Kind.APPLICATION, "en"): SmsTemplate(
        "1107170000000000203",
        "Dear parent, the admission application {#var#} is now: {#var#}. See it in Hazri. - HAZRI",
        ("reference", "status"),
    ),
    (Kind.APPLICATION, "hi"): SmsTemplate(
        "1107170000000000204",
        "प्रिय अभिभावक, प्रवेश आवेदन {#var#} की स्थिति अब: {#var#}। हाज़िरी में देखें। - HAZRI",
        ("reference", "status"),
    ),
    (Kind.SUPPORT, "en"): SmsTemplate(
        "1107170000000000013",
        "Dear parent, your support ticket {#var#} is now {#var#}. See it in Hazri. - HAZRI",
        ("ticket", "status"),
    ),
    (Kind.SUPPORT, "hi"): SmsTemplate(
        "1107170000000000014",
        "प्रिय अभिभावक, आपका सहायता टिकट {#var#} अब {#var#} है। हाज़िरी में देखें। - HAZRI",
        ("ticket", "status"),
    ),
    # A transfer certificate (hazri/notify/records.py): issued, or cancelled.
    (Kind.TRANSFER, "en"): SmsTemplate(
        "1107170000000000301",
        "Dear parent, a transfer certificate for {#var#} was {#var#} by the school. "
        "See it in Hazri. - HAZRI",
        ("child", "status"),
    ),
    (Kind.TRANSFER, "hi"): SmsTemplate(
        "1107170000000000302",
        "प्रिय अभिभावक, विद्यालय ने {#var#} का स्थानांतरण प्रमाणपत्र {#var#} किया है। हाज़िरी में देखें। - HAZRI",
        ("child", "status"),
    ),
}


def fit(value: Any) -> str:
    """A variable's value as DLT takes it: one line, at most 30 characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_VARIABLE_CHARS else text[: MAX_VARIABLE_CHARS - 1] + "…"


@dataclass(frozen=True)
class Sms:
    template_id: str
    text: str  # the template filled in
    values: tuple[str, ...]


def sms_of(kind: str, language: str, params: Mapping[str, Any]) -> Sms:
    template = SMS_TEMPLATES.get((kind, language)) or SMS_TEMPLATES[(kind, "en")]
    values = tuple(fit(params.get(name, "")) for name in template.variables)
    text = template.text
    for value in values:
        text = text.replace(VAR, value, 1)
    return Sms(template.template_id, text, values)


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    sms: Sms


def _day(value: str, language: str = "en") -> str:
    """A day in a notice: 18-11-2026 (en, hi, and every SMS), 18.11.2026 (ru), the Jalali
    ۱۴۰۵/۰۸/۲۷ in Persian digits (fa)."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    if language in DLT_LANGUAGES:
        return day.strftime("%d-%m-%Y")
    with translation.override(language):
        return localize.day(day, {"fa": "Y/m/d", "ru": "d.m.Y"}.get(language, "d-m-Y"))


def _figures(shown: dict[str, Any], language: str) -> None:
    """A notice's percent, threshold and month in the words and digits of a language
    beyond the SMS ones (en and hi keep 62.5% and 2026-11, as their SMS say them)."""
    if language in DLT_LANGUAGES:
        return
    with translation.override(language):
        if "percent" in shown:
            shown["percent"] = localize.number(str(shown["percent"]).rstrip("%")) + (
                "٪" if language == "fa" else "%"
            )
        if "threshold" in shown:
            shown["threshold"] = localize.number(shown["threshold"])
        month = str(shown.get("month", ""))
        if len(month) == 7 and month[4] == "-" and month.replace("-", "").isdigit():
            shown["month"] = localize.month(dt.date(int(month[:4]), int(month[5:]), 1))


def _support_step(step: str) -> str:
    """What became of a ticket (its step's kind), in the active language."""
    words = {
        "comment": _("answered"),
        "escalated": _("escalated"),
        "auto_escalated": _("escalated"),
        "resolved": _("resolved"),
        "reopened": _("reopened"),
        "closed": _("closed"),
    }
    return str(words.get(step, _("updated")))


def _tc_step(step: str) -> str:
    """What became of a transfer certificate, in the active language."""
    return _("cancelled") if step == "cancelled" else _("issued")


def message_of(kind: str, language: str, params: Mapping[str, Any]) -> Message:
    """The notice in the guardian's language (English where a text has no translation).

    The SMS goes by a template registered on DLT, in English or Hindi only: a guardian
    who reads Persian or Russian gets the English SMS (plain digits, the names as the
    school wrote them) and the e-mail, push and log texts in their own language."""
    sms_language = language if language in DLT_LANGUAGES else "en"
    plain = {**params}
    if sms_language != "en":  # the names as written in the local script, where known
        for name in ("child", "school"):
            plain[name] = plain.get(f"{name}_local") or plain.get(name, "")
    for name in ("day", "week"):
        if name in plain:
            plain[name] = _day(str(plain[name]))
    shown = {**params}
    if language == "hi":
        shown.update({name: plain[name] for name in ("child", "school")})
    else:  # Persian names on a Persian notice, where the school wrote them
        with translation.override(language):
            for name in ("child", "school"):
                if name in shown:
                    shown[name] = localize.local_name(
                        str(shown[name]), str(shown.get(f"{name}_local") or "")
                    )
    for name in ("day", "week"):
        if name in shown:
            shown[name] = _day(str(shown[name]), language)
    _figures(shown, language)
    with translation.override(language):
        child = shown.get("child", "")
        if kind == Kind.ABSENCE:
            subject = _("%(child)s was absent today") % {"child": child}
            body = _("%(child)s was marked absent at %(school)s on %(day)s.") % shown
        elif kind == Kind.LOW_ATTENDANCE:
            subject = _("Low attendance: %(child)s") % {"child": child}
            body = (
                _(
                    "%(child)s attended %(percent)s of school days in %(month)s, below the "
                    "%(threshold)s%% the state requires. Please meet the head of %(school)s."
                )
                % shown
            )
        elif kind == Kind.MESSAGE:
            subject = _("New message from %(author)s") % shown
            body = _("%(author)s wrote about %(child)s. Read and answer it in Hazri.") % shown
        elif kind == Kind.CLASS_NOTICE:
            subject = _("Notice from %(author)s: %(title)s") % shown
            body = (
                _(
                    "%(author)s posted a notice for the class of %(child)s: %(title)s. "
                    "Read it in Hazri."
                )
                % shown
            )
        elif kind == Kind.INVITATION:
            subject = _("Your invitation to Hazri from %(school)s") % shown
            if shown.get("code"):
                body = (
                    _(
                        "%(school)s invites you to Hazri, to follow %(child)s. Your personal "
                        "code is %(code)s: open %(link)s, or type the code on the /invite "
                        "page. It works once. Keep it private."
                    )
                    % shown
                )
            else:  # sent: the code is no longer kept (queue.forget_secrets)
                body = _("%(school)s sent you an invitation to Hazri, to follow %(child)s.") % shown
        elif kind == Kind.ADMISSION_CODE:
            subject = _("Your code to apply for admission")
            body = (
                _("%(code)s is your code to apply for admission. It works for %(minutes)s minutes.")
                % shown
            )
        elif kind == Kind.APPLICATION:
            subject = _("Admission application %(reference)s: %(status)s") % shown
            body = (
                _("Application %(reference)s for %(child)s at %(school)s is now: %(status)s.")
                % shown
            )
            if shown.get("note"):
                body += " " + str(shown["note"])
        elif kind == Kind.SUPPORT:
            shown["status"] = _support_step(str(shown.get("step", "")))
            subject = _("Your support ticket %(ticket)s: %(status)s") % shown
            body = _("Your support ticket %(ticket)s is now %(status)s. See it in Hazri.") % shown
        elif kind == Kind.TRANSFER:
            shown["status"] = _tc_step(str(shown.get("step", "")))
            if shown.get("step") == "cancelled":
                subject = _("Transfer certificate of %(child)s cancelled") % shown
                body = (
                    _(
                        "The transfer certificate %(number)s of %(child)s from %(school)s was "
                        "cancelled: it no longer admits the child anywhere."
                    )
                    % shown
                )
            else:
                subject = _("Transfer certificate of %(child)s issued") % shown
                body = (
                    _(
                        "%(school)s issued the transfer certificate %(number)s of %(child)s. "
                        "Give its number to the next school, which admits the child from it."
                    )
                    % shown
                )
        else:
            subject = _("Please sign the diary of %(child)s") % {"child": child}
            body = _("The diary of %(child)s for the week of %(week)s is not signed yet.") % shown
    if kind in (Kind.SUPPORT, Kind.TRANSFER):
        with translation.override(sms_language):
            step = str(params.get("step", ""))
            plain["status"] = _support_step(step) if kind == Kind.SUPPORT else _tc_step(step)
    return Message(subject=subject, body=body, sms=sms_of(kind, sms_language, plain))
