"""The rosters app's rows of the authorization matrix (merged in test_authorization_matrix).

Action.EXCHANGE: the superuser for any school, a head or school administrator for their
own. A job or a mapping is made for each request (rolled back after it): a job of the
place's school, a mapping of the place's unit."""

import base64

from hazri.rosters.tests.rosters_world import matrix_file, matrix_job, matrix_mapping

from .matrix_rules import API, Rule, _page, each

EXCHANGERS = {"superuser", "head", "school_admin"}


def _upload(school: int) -> dict[str, object]:
    data = base64.b64encode(matrix_file(school)).decode()
    return {"kind": "students", "file": {"name": "register.csv", "data": data}, "on": "2026-11-18"}


def _mapping(unit: int) -> dict[str, object]:
    return {
        "unit": unit,
        "name": "Matrix layout",
        "kind": "students",
        "columns": [{"ours": "state_id", "theirs": "SAMAGRA_ID"}],
        "date_formats": ["DD/MM/YYYY"],
    }


# A head reaches one school of the block: they may use the area's mapping, not set it.
MAPPING_SETTERS = {"superuser": 201, "head": 403, "school_admin": 403}

RULES: dict[str, Rule] = {
    "GET /api/v1/rosters/mappings": Rule(
        "GET", lambda p: f"{API}/rosters/mappings", each(EXCHANGERS, 200), denied=403, outside=None
    ),
    "POST /api/v1/rosters/mappings": Rule(
        "POST",
        lambda p: f"{API}/rosters/mappings",
        MAPPING_SETTERS,
        body=lambda p: _mapping(p.unit),
    ),
    "PUT /api/v1/rosters/mappings/{mapping_id}": Rule(
        "PUT",
        lambda p: f"{API}/rosters/mappings/{matrix_mapping(p.unit)}",
        {**MAPPING_SETTERS, "superuser": 200},
        body=lambda p: _mapping(p.unit),
    ),
    # Anyone who may import somewhere uploads; a row of a school not theirs is refused
    # in the preview like an unknown school (so the same answer inside and outside).
    "POST /api/v1/rosters/imports": Rule(
        "POST",
        lambda p: f"{API}/rosters/imports",
        each(EXCHANGERS, 201),
        denied=403,
        outside=None,
        body=lambda p: _upload(p.school),
    ),
    "GET /api/v1/rosters/imports/{job_id}": Rule(
        "GET", lambda p: f"{API}/rosters/imports/{matrix_job(p.school)}", each(EXCHANGERS, 200)
    ),
    "GET /api/v1/rosters/imports/{job_id}/lines": Rule(
        "GET",
        lambda p: f"{API}/rosters/imports/{matrix_job(p.school)}/lines",
        each(EXCHANGERS, 200),
    ),
    "POST /api/v1/rosters/imports/{job_id}/confirm": Rule(
        "POST",
        lambda p: f"{API}/rosters/imports/{matrix_job(p.school)}/confirm",
        each(EXCHANGERS, 202),
    ),
    "POST /api/v1/rosters/imports/{job_id}/resume": Rule(
        "POST",
        lambda p: f"{API}/rosters/imports/{matrix_job(p.school, 'failed')}/resume",
        each(EXCHANGERS, 202),
    ),
}
PAGES: dict[str, Rule] = {
    "rosters_imports": _page(
        lambda p: "/rosters/imports/", each(EXCHANGERS, 200), denied=403, outside=None
    ),
    "rosters_import": _page(
        lambda p: f"/rosters/imports/{matrix_job(p.school)}/", each(EXCHANGERS, 200)
    ),
    "rosters_mappings": _page(
        lambda p: "/rosters/mappings/", each(EXCHANGERS, 200), denied=403, outside=None
    ),
    "rosters_mapping": _page(
        lambda p: f"/rosters/mappings/{matrix_mapping(p.unit)}/", each(EXCHANGERS, 200)
    ),
}
