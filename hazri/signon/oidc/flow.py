"""The authorization code flow of an OpenID Connect relying party, with PKCE (S256).

`begin` stores a state, a nonce and a PKCE verifier in the session and returns the
provider's authorization URL; `finish` checks the state, exchanges the code (the client
authenticated by the configured ClientAuth), verifies the ID token's signature against
the provider's JWKS (from its discovery document) and its iss, aud, azp, exp and nonce,
and reads the user-info claims of the same subject.
"""

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact

from hazri.signon.oidc.client_auth import TokenRequest, client_auth

FLOW = "hazri_oidc_flow"  # the session key of a sign-in under way
TIMEOUT = 10  # seconds, for each request to the provider
LEEWAY = 120  # seconds of clock difference allowed on exp and iat
CACHE_SECONDS = 3600
ASYMMETRIC = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}
ASYMMETRIC |= {"EdDSA"}

# One HTTP session for every call to the provider (tests hook its responses).
http = requests.Session()


class SignOnError(Exception):
    """The sign-in cannot go on: `code` names why (the page says it in words)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str = ""
    end_session_endpoint: str = ""
    algorithms: list[str] = field(default_factory=lambda: ["RS256"])
    keys: KeySet | None = None
    fetched_at: float = 0.0


_lock = threading.Lock()
_providers: dict[str, Provider] = {}


def _get_json(url: str, **kw: Any) -> Any:
    try:
        response = http.get(url, timeout=TIMEOUT, **kw)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise SignOnError(f"The sign-on service did not answer: {error}", code="down") from None


def provider(*, refresh: bool = False) -> Provider:
    """The configured issuer's discovery document, kept for an hour."""
    issuer = settings.HAZRI_OIDC_ISSUER
    if not issuer:
        raise SignOnError("Sign-on is off.", code="off")
    with _lock:
        found = _providers.get(issuer)
    if found is not None and not refresh and time.monotonic() - found.fetched_at < CACHE_SECONDS:
        return found
    doc = _get_json(f"{issuer}/.well-known/openid-configuration")
    if doc.get("issuer", "").rstrip("/") != issuer:
        raise SignOnError("The discovery document names another issuer.", code="bad_issuer")
    algorithms = [
        a for a in doc.get("id_token_signing_alg_values_supported", ["RS256"]) if a in ASYMMETRIC
    ]
    found = Provider(
        issuer=doc["issuer"],
        authorization_endpoint=doc["authorization_endpoint"],
        token_endpoint=doc["token_endpoint"],
        jwks_uri=doc["jwks_uri"],
        userinfo_endpoint=doc.get("userinfo_endpoint", ""),
        end_session_endpoint=doc.get("end_session_endpoint", ""),
        algorithms=algorithms or ["RS256"],
        fetched_at=time.monotonic(),
    )
    with _lock:
        _providers[issuer] = found
    return found


def _keys(found: Provider, kid: str | None) -> KeySet:
    """The provider's signing keys; fetched again once when a token names a key not
    among them (the provider rotated its keys)."""
    known = found.keys is not None and (kid is None or any(k.kid == kid for k in found.keys.keys))
    if not known:
        found.keys = KeySet.import_key_set(_get_json(found.jwks_uri))
    assert found.keys is not None
    return found.keys


def forget_providers() -> None:
    """Drop the kept discovery documents and keys (tests; a changed configuration)."""
    with _lock:
        _providers.clear()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def begin(session: Any, *, redirect_uri: str) -> str:
    """Starts a sign-in: the URL to send the browser to."""
    found = provider()
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    session[FLOW] = {"state": state, "nonce": nonce, "verifier": verifier}
    params = {
        "response_type": "code",
        "client_id": settings.HAZRI_OIDC_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": settings.HAZRI_OIDC_SCOPES,
        "state": state,
        "nonce": nonce,
        "code_challenge": _b64(hashlib.sha256(verifier.encode()).digest()),
        "code_challenge_method": "S256",
    }
    params = client_auth().authorization_params(params)
    return f"{found.authorization_endpoint}?{urlencode(params)}"


@dataclass(frozen=True)
class SignedIn:
    """Who the provider says signed in: verified ID token claims and user-info claims."""

    issuer: str
    subject: str
    claims: dict[str, Any]
    id_token: str


def finish(session: Any, params: dict[str, str], *, redirect_uri: str) -> SignedIn:
    """Completes a sign-in from the callback's query; SignOnError when anything is off."""
    flow = session.pop(FLOW, None)
    if not flow:
        raise SignOnError("No sign-in was under way in this browser.", code="no_flow")
    if "error" in params:
        raise SignOnError(f"The sign-on service said: {params['error']}", code="refused")
    if not secrets.compare_digest(params.get("state", ""), flow["state"]):
        raise SignOnError("The sign-in's state does not match.", code="bad_state")
    code = params.get("code", "")
    if not code:
        raise SignOnError("The sign-on service sent no code.", code="no_code")
    found = provider()
    request = client_auth().token_request(
        TokenRequest(
            url=found.token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": flow["verifier"],
            },
            headers={"Accept": "application/json"},
        )
    )
    try:
        response = http.post(
            request.url, data=request.data, headers=request.headers, timeout=TIMEOUT
        )
        tokens = response.json()
    except (requests.RequestException, ValueError) as error:
        raise SignOnError(f"The sign-on service did not answer: {error}", code="down") from None
    if response.status_code != 200 or "id_token" not in tokens:
        raise SignOnError(
            f"The sign-on service refused the code: {tokens.get('error', response.status_code)}",
            code="token_refused",
        )
    claims = verify_id_token(found, tokens["id_token"], nonce=flow["nonce"])
    info = _userinfo(found, tokens.get("access_token", ""), claims["sub"])
    return SignedIn(
        issuer=found.issuer,
        subject=claims["sub"],
        claims={**info, **claims},
        id_token=tokens["id_token"],
    )


def verify_id_token(found: Provider, token: str, *, nonce: str) -> dict[str, Any]:
    """The ID token's claims, once its signature, issuer, audience, expiry and nonce
    are right (OpenID Connect Core §3.1.3.7)."""
    refused = SignOnError("The sign-on service's ID token is not valid.", code="bad_id_token")
    try:
        header = extract_compact(token.encode()).headers()
    except (JoseError, ValueError):
        raise refused from None
    try:
        decoded = jwt.decode(token, _keys(found, header.get("kid")), algorithms=found.algorithms)
    except (JoseError, ValueError):
        raise refused from None
    claims = dict(decoded.claims)
    client_id = settings.HAZRI_OIDC_CLIENT_ID
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    now = time.time()
    checks = [
        claims.get("iss") == found.issuer,
        client_id in audiences,
        len(audiences) == 1 or claims.get("azp") == client_id,
        isinstance(claims.get("exp"), int | float) and claims["exp"] > now - LEEWAY,
        isinstance(claims.get("iat"), int | float) and claims["iat"] < now + LEEWAY,
        isinstance(claims.get("sub"), str) and 0 < len(claims["sub"]) <= 255,
        secrets.compare_digest(str(claims.get("nonce", "")), nonce),
    ]
    if not all(checks):
        raise refused
    return claims


def _userinfo(found: Provider, access_token: str, subject: str) -> dict[str, Any]:
    """The user-info claims, when the provider has the endpoint; a different subject
    there is refused (Core §5.3.2)."""
    if not found.userinfo_endpoint or not access_token:
        return {}
    info = _get_json(found.userinfo_endpoint, headers={"Authorization": f"Bearer {access_token}"})
    if not isinstance(info, dict) or info.get("sub") != subject:
        raise SignOnError("The user-info names another person.", code="bad_userinfo")
    return info


def end_session_url(*, id_token: str, post_logout_redirect_uri: str) -> str | None:
    """Where to send the browser to end the provider's session too (RP-initiated
    logout), or None when the provider has no such endpoint."""
    try:
        found = provider()
    except SignOnError:
        return None
    if not found.end_session_endpoint:
        return None
    params = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": post_logout_redirect_uri,
        "client_id": settings.HAZRI_OIDC_CLIENT_ID,
    }
    return f"{found.end_session_endpoint}?{urlencode(params)}"
