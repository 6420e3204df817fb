"""The report card's signature, through the credentials app: a signed credential per
issued card (the whole card as the Verifiable Credential's subject, its essentials in
the QR), revoked when a newer version replaces the card."""

from typing import Any

from django.utils.translation import gettext as _

from hazri.credentials import selectors as credentials
from hazri.credentials.services import credential_issue, credential_revoke
from hazri.reportcards.facts import Card
from hazri.reportcards.models import ReportCard

KIND = "report_card"


def card_sign(*, card: ReportCard, facts: Card, by: Any) -> None:
    """Sign the card: its credential is stored on it."""
    period = facts.term or _("Year")
    card.credential = credential_issue(
        kind=KIND,
        school=card.school,
        student=card.student,
        subject={**facts.to_json(), "version": card.version},
        compact={**facts.compact(), "v": card.version},
        by=by,
        name=_("Report card %(period)s %(year)s") % {"period": period, "year": facts.year},
    )
    card.save(update_fields=["credential"])


def card_revoke(*, card: ReportCard, by: Any) -> None:
    """The credential of a card that a newer version replaces is revoked."""
    if card.credential is not None and card.credential.revoked_at is None:
        credential_revoke(
            credential=card.credential,
            reason=_("Replaced by version %(n)s of the report card.") % {"n": card.version + 1},
            by=by,
        )


def card_qr_png(card: ReportCard) -> str:
    """The card's QR code as a PNG data URI ("" for a card not signed). A PNG, not the
    SVG: WeasyPrint draws an SVG QR's hundreds of squares in a quarter of a second a
    card (bench/reportcards.py), a PNG's pixels in almost nothing."""
    if card.credential is None:
        return ""
    return str(credentials.qr_code(card.credential).png_data_uri(scale=4, border=2))
