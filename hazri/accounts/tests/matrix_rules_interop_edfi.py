"""The Ed-Fi export's rows of the authorization matrix (merged into matrix_rules_interop).

Only those who exchange a school's data in bulk (Action.EXCHANGE: the head, the school
administrator, the state's administrator) export it; to everyone else the school is
one 404, as if it did not exist."""

from .matrix_rules import API, _page, each

EXCHANGERS = each({"head", "school_admin", "superuser"}, 200)
RANGE = "start=2026-11-01&end=2026-11-30"

RULES = {
    "GET /api/v1/edfi/attendance": _page(
        lambda p: f"{API}/edfi/attendance?school={p.school}&{RANGE}",
        EXCHANGERS,
        anonymous=401,
    ),
}
PAGES = {
    "interop_edfi": _page(lambda p: f"/schools/{p.school}/edfi/", EXCHANGERS),
}
