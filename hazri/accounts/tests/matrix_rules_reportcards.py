"""The reportcards app's rows of the authorization matrix (merged in test_authorization_matrix).

A section's cards: the school's staff and the area's officers read and print them;
the head and the school administrator (and a superuser) issue them. A student's cards:
the family too. The class teacher (or the head) writes the card's remark; only a
state decides whether cards show rank."""

from .matrix_rules import API, FAMILY, SEES_SCHOOL, Rule, _page, each

ISSUERS = {"superuser": 201, "head": 201, "school_admin": 201}

RULES: dict[str, Rule] = {
    "GET /api/v1/sections/{section_id}/report-cards": Rule(
        "GET", lambda p: f"{API}/sections/{p.section}/report-cards", each(SEES_SCHOOL, 200)
    ),
    "POST /api/v1/sections/{section_id}/report-cards": Rule(
        "POST",
        lambda p: f"{API}/sections/{p.section}/report-cards",
        ISSUERS,
        denied=403,
        body=lambda p: {"term": p.term},
    ),
    "GET /api/v1/sections/{section_id}/report-cards/pdf": Rule(
        "GET", lambda p: f"{API}/sections/{p.section}/report-cards/pdf", each(SEES_SCHOOL, 200)
    ),
    "GET /api/v1/students/{student_id}/report-cards": Rule(
        "GET",
        lambda p: f"{API}/students/{p.student}/report-cards",
        each(SEES_SCHOOL | FAMILY, 200),
    ),
    "GET /api/v1/report-cards/{card_id}": Rule(
        "GET", lambda p: f"{API}/report-cards/{p.report_card}", each(SEES_SCHOOL | FAMILY, 200)
    ),
    "GET /api/v1/report-cards/{card_id}/pdf": Rule(
        "GET",
        lambda p: f"{API}/report-cards/{p.report_card}/pdf",
        each(SEES_SCHOOL | FAMILY, 200),
    ),
    "POST /api/v1/sections/{section_id}/report-card-remarks": Rule(
        "POST",
        lambda p: f"{API}/sections/{p.section}/report-card-remarks",
        {"head": 201, "class_teacher": 201},
        denied=403,
        body=lambda p: {"student": p.student, "term": p.term, "text": "Works steadily"},
    ),
    # The unit is the block: its officers (and those above) see it, but only a state's
    # policy is theirs to set; nobody else sees the unit at all.
    "PUT /api/v1/units/{unit_id}/report-card-rank": Rule(
        "PUT",
        lambda p: f"{API}/units/{p.unit}/report-card-rank",
        {"superuser": 200, "state_officer": 403, "district_officer": 403, "block_officer": 403},
        body=lambda p: {"show_rank": True},
    ),
}
PAGES: dict[str, Rule] = {
    "reportcards_section": _page(
        lambda p: f"/sections/{p.section}/report-cards/", each(SEES_SCHOOL, 200)
    ),
    "reportcards_section_pdf": _page(
        lambda p: f"/sections/{p.section}/report-cards/pdf", each(SEES_SCHOOL, 200)
    ),
    "reportcards_student": _page(
        lambda p: f"/students/{p.student}/report-cards/", each(SEES_SCHOOL | FAMILY, 200)
    ),
    "reportcards_card_pdf": _page(
        lambda p: f"/report-cards/{p.report_card}/pdf", each(SEES_SCHOOL | FAMILY, 200)
    ),
}
