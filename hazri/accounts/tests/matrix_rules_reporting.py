"""The officers' reporting across the system (dashboards)'s rows of the authorization matrix (merged in test_authorization_matrix)."""

from .matrix_rules import API, DASHBOARD, Rule, _page

# An area's applications, transfers, promotions and drop-outs: the dashboards' readers
# (officers over the world's block, and the superuser), in the session in force.
RULES: dict[str, Rule] = {
    "GET /api/v1/dashboards/reporting": Rule(
        "GET", lambda p: f"{API}/dashboards/reporting?unit={p.unit}", {**DASHBOARD}
    ),
}
PAGES: dict[str, Rule] = {
    "dashboard_reporting": _page(lambda p: f"/dashboard/reporting/?unit={p.unit}", {**DASHBOARD}),
}
