"""The report cards' pages: a section's cards (issue, reissue, print them all) and a
student's cards (the family downloads its child's), and the PDFs."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hazri.accounts.access import Action, actor_of
from hazri.common.errors import NotFound
from hazri.common.pages import page, plain_int
from hazri.reportcards import rules, selectors, services


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _term_id(value: str | None) -> int | None:
    if not value:
        return None
    found = plain_int(value)
    if found is None or found == 0:
        raise NotFound(_("No such term."), field="term")
    return found


@page
@require_http_methods(["GET", "POST"])
def section_cards(request: HttpRequest, section_id: int) -> HttpResponse:
    section = selectors.section_of(request.user, section_id)
    source = request.POST if request.method == "POST" else request.GET
    term = selectors.term_of(section, _term_id(source.get("term")))
    if request.method == "POST":
        issued = services.cards_issue(section=section, term=term, by=request.user)
        messages.success(request, _("%(n)s report cards issued and signed.") % {"n": len(issued)})
        query = f"?term={term.pk}" if term else ""
        return redirect(reverse("reportcards_section", args=[section.pk]) + query)
    cards = selectors.section_cards(section, term)
    context: dict[str, Any] = {
        "section": section,
        "term": term,
        "terms": selectors.terms_of(section),
        "cards": cards,
        "period": rules.period_key(term.pk if term else None),
        "may_issue": actor_of(request).may(Action.ISSUE, section.school, section=section)
        is not None,
    }
    return render(request, "reportcards/section.html", context)


@page
@require_http_methods(["GET"])
def section_pdf(request: HttpRequest, section_id: int) -> HttpResponse:
    from hazri.reportcards import pdf  # WeasyPrint: a slow import

    section = selectors.section_of(request.user, section_id)
    term = selectors.term_of(section, _term_id(request.GET.get("term")))
    cards = selectors.section_cards(section, term)
    if not cards:
        raise NotFound(_("No report cards are issued for this section and period."), field="term")
    content = pdf.cards_pdf([pdf.printed(card) for card in cards])
    period = rules.period_key(term.pk if term else None)
    return _pdf(content, pdf.filename(None, section, period))


@page
@require_http_methods(["GET"])
def student_cards(request: HttpRequest, student_id: int) -> HttpResponse:
    student, cards = selectors.student_cards(request.user, student_id)
    return render(request, "reportcards/student.html", {"student": student, "cards": cards})


@page
@require_http_methods(["GET"])
def card_pdf(request: HttpRequest, card_id: int) -> HttpResponse:
    from hazri.reportcards import pdf

    card = selectors.card_visible(request.user, card_id)
    content = pdf.cards_pdf([pdf.printed(card)])
    return _pdf(content, pdf.filename(card, card.section, card.period))
