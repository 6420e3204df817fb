"""Signing in through a real OpenID Connect provider (node's oidc-provider, started per
test): the code flow with PKCE under each client authentication, the ID token and the
flow's state and nonce checked, first sign-ins bound by an invitation or a verified
phone number, and logging out of both."""

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from joserfc.jwk import RSAKey

from hazri.people.models import Guardian, Guardianship
from hazri.signon.models import Invitation, SsoIdentity
from hazri.signon.oidc import flow
from hazri.signon.oidc.client_auth import ClientSecretPost
from hazri.signon.services import invitation_issue
from hazri.signon.tests.oidc_provider import SECRET, RunningProvider, client, drive_login
from hazri.testing.world import World

BASE = "http://testserver"
PASSWORD = "provider-pass"
ACCOUNTS = {
    # Imran's state account: his verified phone is the one on his guardian record.
    "imran-sso": {
        "password": PASSWORD,
        "claims": {
            "name": "Imran Khan",
            "phone_number": "+91 98000 00001",
            "phone_number_verified": True,
            "state_id": "IN-MP-000123",
        },
    },
    # The same phone number, not verified by the provider: it binds nothing.
    "unverified": {
        "password": PASSWORD,
        "claims": {
            "name": "Somebody",
            "phone_number": "+919800000001",
            "phone_number_verified": False,
        },
    },
    # A parent the provider knows nothing about but a name: only an invitation binds.
    "salma-sso": {"password": PASSWORD, "claims": {"name": "Salma Sharma"}},
}

Start = Callable[..., RunningProvider]


@pytest.fixture
def sso(settings: Any, oidc_provider: Start, tmp_path: Path) -> Callable[..., RunningProvider]:
    """Starts a provider with a client of this auth method and points Hazri at it."""

    def make(auth: str = "client_secret_basic", *, provider_auth: str | None = None) -> Any:
        jwks = None
        if auth == "private_key_jwt":
            key = RSAKey.generate_key(2048, parameters={"kid": "hazri-rp"}, private=True)
            path = tmp_path / "rp-key.pem"
            path.write_bytes(key.as_pem(private=True))
            settings.HAZRI_OIDC_PRIVATE_KEY_FILE = str(path)
            jwks = {"keys": [key.as_dict(private=False)]}
        if provider_auth == "private_key_jwt" and jwks is None:
            other = RSAKey.generate_key(2048, parameters={"kid": "other"}, private=True)
            jwks = {"keys": [other.as_dict(private=False)]}
        provider = oidc_provider(
            clients=[client(BASE, auth=provider_auth or auth, jwks=jwks)], accounts=ACCOUNTS
        )
        settings.HAZRI_OIDC_ISSUER = provider.issuer
        settings.HAZRI_OIDC_CLIENT_ID = "hazri"
        settings.HAZRI_OIDC_CLIENT_SECRET = SECRET
        settings.HAZRI_OIDC_CLIENT_AUTH = auth
        # Parents sign in with the sign-on only (the accounts app's setting).
        settings.HAZRI_PASSWORDS_FOR_GUARDIANS = False
        settings.HAZRI_OIDC_MATCH_CLAIMS = ["phone_number"]
        flow.forget_providers()
        return provider

    yield make
    flow.forget_providers()


def provider_redirect(browser: Client, start: str = "/accounts/sso/") -> str:
    response = browser.get(start)
    assert response.status_code == 302, response.content[:300]
    return str(response["Location"])


def back_from_provider(browser: Client, login: str) -> str:
    """The callback URL (path and query) the provider sends the browser back to."""
    url = drive_login(provider_redirect(browser), login, PASSWORD, stop_at=BASE)
    return url.removeprefix(BASE)


def sign_in(browser: Client, login: str) -> Any:
    return browser.get(back_from_provider(browser, login))


def signed_in_as(browser: Client) -> int | None:
    user_id = browser.session.get("_auth_user_id")
    return int(user_id) if user_id else None


@pytest.mark.parametrize("auth", ["client_secret_basic", "client_secret_post", "private_key_jwt"])
def test_code_flow_with_pkce_binds_a_verified_phone(sso: Any, world: World, auth: str) -> None:
    provider = sso(auth)
    browser = Client()
    authorize = urlsplit(provider_redirect(browser))
    query = parse_qs(authorize.query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43 and query["nonce"] and query["state"]
    browser = Client()
    response = sign_in(browser, "imran-sso")
    assert response.status_code == 302 and response["Location"] == "/family/"
    assert signed_in_as(browser) == world.imran.pk
    assert browser.session["signin_method"] == "sso"
    identity = SsoIdentity.objects.get()
    assert (identity.issuer, identity.subject, identity.user) == (
        provider.issuer,
        "imran-sso",
        world.imran,
    )
    # The next sign-in finds the identity: no second one.
    again = Client()
    assert sign_in(again, "imran-sso").status_code == 302
    assert signed_in_as(again) == world.imran.pk
    assert SsoIdentity.objects.count() == 1


def test_the_provider_refuses_another_client_auth_method(sso: Any, world: World) -> None:
    """The client is registered for private_key_jwt; Hazri sends its secret instead (the
    provider takes either client_secret method for the other, not a secret for a key)."""
    sso("client_secret_basic", provider_auth="private_key_jwt")
    browser = Client()
    response = sign_in(browser, "imran-sso")
    assert response.status_code == 400
    assert response.context["code"] == "token_refused"
    assert signed_in_as(browser) is None


def _tamper_id_token(response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
    """Changes the ID token's subject in transit, leaving the provider's signature."""
    if response.request.url and response.request.url.endswith("/token"):
        tokens = response.json()
        header, payload, signature = tokens["id_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["sub"] = "somebody-else"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        tokens["id_token"] = f"{header}.{forged}.{signature}"
        response._content = json.dumps(tokens).encode()
    return response


def test_a_tampered_id_token_is_refused(sso: Any, world: World) -> None:
    sso()
    flow.http.hooks["response"].append(_tamper_id_token)
    try:
        browser = Client()
        response = sign_in(browser, "imran-sso")
    finally:
        flow.http.hooks["response"].remove(_tamper_id_token)
    assert response.status_code == 400
    assert response.context["code"] == "bad_id_token"
    assert signed_in_as(browser) is None and not SsoIdentity.objects.exists()


def test_an_id_token_signed_by_another_provider_is_refused(
    sso: Any, oidc_provider: Start, world: World
) -> None:
    """Hazri trusts the configured issuer's keys only: the keys of another provider
    (a real one, whose tokens are otherwise well formed) do not verify."""
    provider = sso()
    other = oidc_provider(clients=[client(BASE)], accounts=ACCOUNTS)
    found = flow.provider()
    found.keys = None
    found.jwks_uri = f"{other.issuer}/jwks"
    browser = Client()
    response = sign_in(browser, "imran-sso")
    assert provider.issuer != other.issuer
    assert response.status_code == 400 and response.context["code"] == "bad_id_token"
    assert signed_in_as(browser) is None


def test_a_wrong_nonce_is_refused(sso: Any, world: World) -> None:
    sso()
    browser = Client()
    back = back_from_provider(browser, "imran-sso")
    session = browser.session
    session[flow.FLOW] = {**session[flow.FLOW], "nonce": "not-the-nonce-sent"}
    session.save()
    response = browser.get(back)
    assert response.status_code == 400 and response.context["code"] == "bad_id_token"
    assert signed_in_as(browser) is None


def test_a_wrong_state_is_refused(sso: Any, world: World) -> None:
    sso()
    browser = Client()
    back = back_from_provider(browser, "imran-sso")
    response = browser.get(back.replace("state=", "state=x"))
    assert response.status_code == 400 and response.context["code"] == "bad_state"
    # The flow is spent: the right state afterwards finds no sign-in under way.
    assert browser.get(back).context["code"] == "no_flow"
    assert signed_in_as(browser) is None


def test_an_unverified_phone_binds_nothing(sso: Any, world: World) -> None:
    sso()
    browser = Client()
    response = sign_in(browser, "unverified")
    assert response.status_code == 403
    assert response.context["code"] == "no_binding"
    assert "invitation" in response.content.decode()
    assert signed_in_as(browser) is None and not SsoIdentity.objects.exists()


def test_a_phone_on_two_records_binds_nothing(sso: Any, world: World) -> None:
    Guardian.objects.create(name="Imran's brother", phone="+91-9800000001")
    sso()
    browser = Client()
    assert sign_in(browser, "imran-sso").status_code == 403
    assert signed_in_as(browser) is None


def _salma(world: World) -> tuple[Guardian, str]:
    salma = Guardian.objects.create(name="Salma Sharma")
    Guardianship.objects.create(guardian=salma, student=world.students[0], relation="mother")
    issued = invitation_issue(by=world.ravi, school=world.school, kind="guardian", target=salma)
    return salma, issued.code


def test_an_invitation_binds_the_first_sign_in(sso: Any, world: World) -> None:
    sso()
    salma, code = _salma(world)
    browser = Client()
    page = browser.get(f"/invite/{code}/")
    assert page.status_code == 200 and page.context["with_sso"]
    # Parents sign in with the state's sign-on: no password form is offered.
    assert 'name="password"' not in page.content.decode()
    assert browser.post(f"/invite/{code}/", {"sso": "1"})["Location"] == "/accounts/sso/"
    response = sign_in(browser, "salma-sso")
    assert response.status_code == 302 and response["Location"] == "/family/"
    salma.refresh_from_db()
    assert salma.user is not None and signed_in_as(browser) == salma.user.pk
    assert not salma.user.has_usable_password()
    assert SsoIdentity.objects.get().user == salma.user
    assert Invitation.objects.get().used_by == salma.user
    family = browser.get("/family/")
    assert world.students[0].name in family.content.decode()


def test_a_used_invitation_binds_nobody_else(sso: Any, world: World) -> None:
    sso()
    _, code = _salma(world)
    first, second = Client(), Client()
    first.post(f"/invite/{code}/", {"sso": "1"})
    # Somebody else opened the slip's link too, before it was used.
    second.post(f"/invite/{code}/", {"sso": "1"})
    assert sign_in(first, "salma-sso").status_code == 302
    response = sign_in(second, "unverified")
    assert response.status_code == 422 and response.context["code"] == "used_code"
    assert signed_in_as(second) is None
    assert SsoIdentity.objects.count() == 1
    # And the slip's link now says it was used.
    assert Client().get(f"/invite/{code}/").status_code == 422


def test_staff_do_not_sign_on_unless_allowed(sso: Any, settings: Any, world: World) -> None:
    provider = sso()
    SsoIdentity.objects.create(issuer=provider.issuer, subject="imran-sso", user=world.ravi)
    browser = Client()
    assert sign_in(browser, "imran-sso").status_code == 403
    settings.HAZRI_OIDC_STAFF = True
    browser = Client()
    assert sign_in(browser, "imran-sso").status_code == 302
    assert signed_in_as(browser) == world.ravi.pk


def test_logging_out_ends_the_providers_session_too(sso: Any, world: World) -> None:
    provider = sso()
    browser = Client()
    sign_in(browser, "imran-sso")
    id_token = browser.session["hazri_oidc_id_token"]
    response = browser.post("/accounts/logout/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{provider.issuer}/session/end"
    query = parse_qs(target.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == [f"{BASE}/accounts/login/"]
    assert signed_in_as(browser) is None
    # The provider takes the hint and the registered return address: its own
    # confirmation page, not an error.
    answer = requests.get(response["Location"], timeout=10)
    assert answer.status_code == 200 and "logout" in answer.text.lower()


def test_a_password_login_logs_out_at_home(world: World) -> None:
    browser = Client()
    browser.force_login(world.imran)
    response = browser.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


class StampedSecretPost(ClientSecretPost):
    """A plug-in as ESIA's would be (without its GOST signature): it adds a timestamp
    to the authorization request and authenticates the token request its own way."""

    def authorization_params(self, params: dict[str, str]) -> dict[str, str]:
        return {**params, "timestamp": "2026.11.18 10:00:00 +0530"}


def test_a_client_auth_plug_in_named_by_its_path(sso: Any, settings: Any, world: World) -> None:
    sso("client_secret_post")
    settings.HAZRI_OIDC_CLIENT_AUTH = f"{__name__}.StampedSecretPost"
    browser = Client()
    authorize = parse_qs(urlsplit(provider_redirect(browser)).query)
    assert authorize["timestamp"] == ["2026.11.18 10:00:00 +0530"]
    browser = Client()
    assert sign_in(browser, "imran-sso").status_code == 302
    assert signed_in_as(browser) == world.imran.pk


def test_with_sign_on_on_a_parent_gets_no_password(sso: Any, settings: Any, world: World) -> None:
    sso()
    settings.HAZRI_PASSWORDS_FOR_GUARDIANS = False
    _, code = _salma(world)
    refused = Client().post(
        "/api/v1/invitations/redeem",
        {"code": code, "username": "salma", "password": "kite-mango-river-42"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "code"
    assert Invitation.objects.get().used_at is None
