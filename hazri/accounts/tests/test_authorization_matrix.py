"""The authorization matrix: every endpoint × every role × an object inside and one
outside the role's scope, with the answer each must get.

The endpoints come from the URL list and the API's OpenAPI document, so a new page or
operation without a row in RULES or PAGES (matrix_rules.py) fails `test_every_endpoint_has_a_rule`. Each row
says which roles may use the endpoint on an object of the test world (the school,
section and pupil of head Ravi, teacher Asha, block officer Meera and parent Imran);
the same request on an object of another state must get the "not yours" answer, the
same 404 as an id that does not exist. Writes run in a savepoint that is rolled back,
so every role meets the same world.
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from config.api import api
from hazri.accounts.models import User
from hazri.credentials.testing import install_signing_key
from hazri.testing.once import kept_for_module, undone

from . import (
    matrix_rules_admissions,
    matrix_rules_credentials,
    matrix_rules_interop,
    matrix_rules_journal,
    matrix_rules_messaging,
    matrix_rules_notify,
    matrix_rules_records,
    matrix_rules_reportcards,
    matrix_rules_reporting,
    matrix_rules_rosters,
    matrix_rules_signon,
    matrix_rules_support,
)
from .matrix_rules import API, NOT_OURS, NOW, ROLES, Place, Rule
from .matrix_rules import PAGES as CORE_PAGES
from .matrix_rules import RULES as CORE_RULES
from .matrix_world import matrix_world

# Every row: the core's, then each app's own file (matrix_rules_<app>.py).
_PARTS = [
    matrix_rules_journal,
    matrix_rules_signon,
    matrix_rules_messaging,
    matrix_rules_notify,
    matrix_rules_admissions,
    matrix_rules_records,
    matrix_rules_reportcards,
    matrix_rules_credentials,
    matrix_rules_support,
    matrix_rules_reporting,
    matrix_rules_rosters,
    matrix_rules_interop,
]
RULES = {**CORE_RULES, **{k: v for part in _PARTS for k, v in part.RULES.items()}}
PAGES = {**CORE_PAGES, **{k: v for part in _PARTS for k, v in part.PAGES.items()}}


def _page_names(patterns: list[Any]) -> list[str]:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or pattern.app_name or ""
            if ns in NOT_OURS:
                continue
            names += _page_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name and pattern.name not in NOT_OURS:
            names.append(pattern.name)
    return names


def _operations() -> list[str]:
    schema = api.get_openapi_schema()
    return [f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops]


def test_every_endpoint_has_a_rule() -> None:
    """A new page or API operation must say who may use it."""
    assert sorted(set(_operations()) - set(RULES)) == []
    assert sorted(set(_page_names(get_resolver().url_patterns)) - set(PAGES)) == []
    assert sorted(set(RULES) - set(_operations())) == []
    assert sorted(set(PAGES) - set(_page_names(get_resolver().url_patterns))) == []


World = tuple[dict[str, User | None], dict[str, str], Place, Place]


@pytest.fixture(scope="module")
def matrix(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The world, a signing key (its documents are signed) and every role's session,
    made once for the module (as a TestCase's setUpTestData) inside a transaction
    rolled back at its end. Each row runs inside it in pytest-django's savepoint
    (`db`), and each request in one more, so every row and role meets the world as
    built."""
    with kept_for_module(django_db_blocker):
        with time_machine.travel(NOW, tick=False):
            install_signing_key(settings, tmp_path_factory.mktemp("keys"))
        users, inside, outside = matrix_world()
        sessions = {}
        for role, user in users.items():
            if user is not None:
                client = Client()
                client.force_login(user)
                sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield users, sessions, inside, outside


def _request(client: Client, rule: Rule, place: Place) -> tuple[int, str]:
    path = rule.path(place)
    kwargs: dict[str, Any] = {}
    if rule.body is not None:
        body = rule.body(place)
        if path.startswith(API):
            kwargs = {"data": json.dumps(body), "content_type": "application/json"}
        else:
            kwargs = {"data": body}
    call = getattr(client, rule.method.lower())
    response = (
        call(path, rule.query or None, **kwargs) if rule.method == "GET" else call(path, **kwargs)
    )
    text = (
        ""
        if getattr(response, "streaming", False)
        else response.content[:160].decode(errors="replace")
    )
    return int(response.status_code), text


ALL = {**dict(RULES.items()), **{f"page:{k}": v for k, v in PAGES.items()}}


@pytest.mark.parametrize("endpoint", sorted(ALL))
def test_matrix(endpoint: str, matrix: World, db: None) -> None:
    users, sessions, inside, outside = matrix
    rule = ALL[endpoint]
    wrong = []
    with time_machine.travel(NOW, tick=False):
        for role in ROLES:
            for is_inside, place in [(True, inside), (False, outside)]:
                client = Client()  # a fresh cookie jar: a request may log its user out
                if users[role] is not None:
                    client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
                with undone():
                    got, text = _request(client, rule, place)
                want = rule.expected(role, is_inside)
                if got != want:
                    where = "inside" if is_inside else "outside"
                    wrong.append(f"{role} {where}: {got}, want {want} {text if got >= 400 else ''}")
    assert not wrong, "\n".join(wrong)
