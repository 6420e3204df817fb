"""The report card's signature, through the credentials app: a signed credential per
issued card, its QR text, and its revocation when a newer version replaces it."""

from typing import Any

from hazri.reportcards.facts import Card
from hazri.reportcards.models import ReportCard

KIND = "report_card"


def card_sign(*, card: ReportCard, facts: Card, by: Any) -> tuple[str, str]:
    """(credential id, QR text) of the card's signed credential."""
    return "", ""


def card_revoke(*, card: ReportCard, by: Any) -> None:
    """The credential of a card that a newer version replaces is revoked."""


def card_qr_svg(card: ReportCard) -> str:
    """The card's QR code as SVG text ("" for a card not signed)."""
    return ""
