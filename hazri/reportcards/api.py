"""The report cards in the JSON API: a section's cards issued for a term or the year
(and reissued: a new version revokes the old), read, and printed as one PDF; a
student's cards for the family; the class teacher's remark; an area's rank policy."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from hazri.accounts import selectors as access
from hazri.common.api import ErrorOut, PathId, request_user
from hazri.common.errors import NotFound
from hazri.reportcards import rules, selectors, services
from hazri.reportcards.schemas import (
    ReportCardIssueIn,
    ReportCardOut,
    ReportCardRankIn,
    ReportCardRankOut,
    ReportCardRemarkIn,
    ReportCardRemarkOut,
    ReportCardsOut,
    ReportCardTermQuery,
    card_out,
)

router = Router(tags=["reportcards"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/sections/{section_id}/report-cards",
    response={200: ReportCardsOut, **ERRORS},
    summary="The section's current report cards of a term (none: the year)",
)
def get_section_cards(
    request: HttpRequest, section_id: PathId, query: Query[ReportCardTermQuery]
) -> dict[str, Any]:
    user = request_user(request)
    section = selectors.section_of(user, section_id)
    term = selectors.term_of(section, query.term)
    return {
        "section": section.pk,
        "term": term.pk if term else None,
        "period": rules.period_key(term.pk if term else None),
        "cards": [card_out(c) for c in selectors.section_cards(section, term)],
    }


@router.post(
    "/sections/{section_id}/report-cards",
    response={201: ReportCardsOut, **ERRORS},
    summary="Issue (or reissue) and sign the section's report cards of a term or the year",
)
def post_section_cards(
    request: HttpRequest, section_id: PathId, payload: ReportCardIssueIn
) -> Status[dict[str, Any]]:
    user = request_user(request)
    section = selectors.section_of(user, section_id)
    term = selectors.term_of(section, payload.term)
    issued = services.cards_issue(section=section, term=term, by=user)
    return Status(
        201,
        {
            "section": section.pk,
            "term": term.pk if term else None,
            "period": rules.period_key(term.pk if term else None),
            "cards": [card_out(c) for c in issued],
        },
    )


@router.get(
    "/sections/{section_id}/report-cards/pdf",
    response={200: None, **ERRORS},
    summary="The section's current report cards as one PDF, a card a page, to print",
)
def get_section_pdf(
    request: HttpRequest, section_id: PathId, query: Query[ReportCardTermQuery]
) -> HttpResponse:
    from hazri.reportcards import pdf  # WeasyPrint: a slow import

    user = request_user(request)
    section = selectors.section_of(user, section_id)
    term = selectors.term_of(section, query.term)
    cards = selectors.section_cards(section, term)
    if not cards:
        raise NotFound(_("No report cards are issued for this section and period."), field="term")
    period = rules.period_key(term.pk if term else None)
    content = pdf.cards_pdf([pdf.printed(card) for card in cards])
    return _pdf(content, pdf.filename(None, section, period))


@router.get(
    "/students/{student_id}/report-cards",
    response={200: list[ReportCardOut], **ERRORS},
    summary="A student's report cards, every version, newest first",
)
def get_student_cards(request: HttpRequest, student_id: PathId) -> list[dict[str, Any]]:
    user = request_user(request)
    _student, cards = selectors.student_cards(user, student_id)
    return [card_out(c) for c in cards]


@router.get(
    "/report-cards/{card_id}",
    response={200: ReportCardOut, **ERRORS},
    summary="One report card as issued",
)
def get_card(request: HttpRequest, card_id: PathId) -> dict[str, Any]:
    return card_out(selectors.card_visible(request_user(request), card_id))


@router.get(
    "/report-cards/{card_id}/pdf",
    response={200: None, **ERRORS},
    summary="One report card as a PDF, with its QR code",
)
def get_card_pdf(request: HttpRequest, card_id: PathId) -> HttpResponse:
    from hazri.reportcards import pdf

    card = selectors.card_visible(request_user(request), card_id)
    content = pdf.cards_pdf([pdf.printed(card)])
    return _pdf(content, pdf.filename(card, card.section, card.period))


@router.post(
    "/sections/{section_id}/report-card-remarks",
    response={201: ReportCardRemarkOut, **ERRORS},
    summary="The class teacher's remark for a student's report card (a new version)",
)
def post_remark(
    request: HttpRequest, section_id: PathId, payload: ReportCardRemarkIn
) -> Status[dict[str, Any]]:
    user = request_user(request)
    section = selectors.section_of(user, section_id)
    term = selectors.term_of(section, payload.term)
    remark = services.card_remark_write(
        section=section, student_id=payload.student, term=term, text=payload.text, by=user
    )
    return Status(
        201,
        {
            "id": remark.pk,
            "student": remark.student_id,
            "term": remark.term_id,
            "text": remark.text,
            "version": remark.version,
        },
    )


@router.put(
    "/units/{unit_id}/report-card-rank",
    response={200: ReportCardRankOut, **ERRORS},
    summary="Whether the area's report cards show rank in the section (the state decides)",
)
def put_rank(request: HttpRequest, unit_id: PathId, payload: ReportCardRankIn) -> dict[str, Any]:
    user = request_user(request)
    unit = access.unit_visible(user, unit_id)
    policy = services.rank_policy_set(unit=unit, show_rank=payload.show_rank, by=user)
    return {"unit": policy.unit_id, "show_rank": policy.show_rank}
