"""How Hazri proves itself to the provider: the ClientAuth plug-in interface.

HAZRI_OIDC_CLIENT_AUTH names one of the built-in methods (client_secret_basic,
client_secret_post, private_key_jwt) or the dotted path of a class with this
interface. A class is made once per sign-in with the settings; it may add to the
authorization request (`authorization_params`) and must authenticate the token request
(`token_request`). Russia's ESIA is such a provider: its "client_secret" is a GOST
R 34.10-2012 detached signature (PKCS#7) over scope + timestamp + client_id + state,
sent in both requests with the timestamp. A state deploying Hazri there writes a
ClientAuth that signs with its certified crypto provider; Hazri ships no GOST crypto.
"""

import base64
import importlib
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc import jwt
from joserfc.jwk import ECKey, JWKRegistry, OKPKey, RSAKey


@dataclass(frozen=True)
class ClientSettings:
    client_id: str
    client_secret: str
    private_key_file: str


@dataclass
class TokenRequest:
    """The token endpoint's form fields and HTTP headers, before they are sent."""

    url: str
    data: dict[str, str]
    headers: dict[str, str]


class ClientAuth(Protocol):
    """The plug-in interface (docs/signon.md)."""

    def __init__(self, client: ClientSettings) -> None: ...

    def authorization_params(self, params: dict[str, str]) -> dict[str, str]:
        """The authorization request's query parameters, with anything added."""
        ...

    def token_request(self, request: TokenRequest) -> TokenRequest:
        """The token request, authenticated."""
        ...


class _Base:
    def __init__(self, client: ClientSettings) -> None:
        self.client = client

    def authorization_params(self, params: dict[str, str]) -> dict[str, str]:
        return params


class ClientSecretBasic(_Base):
    def token_request(self, request: TokenRequest) -> TokenRequest:
        from urllib.parse import quote

        # RFC 6749 §2.3.1: both parts form-encoded before base64.
        pair = (
            f"{quote(self.client.client_id, safe='')}:{quote(self.client.client_secret, safe='')}"
        )
        request.headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        return request


class ClientSecretPost(_Base):
    def token_request(self, request: TokenRequest) -> TokenRequest:
        request.data["client_id"] = self.client.client_id
        request.data["client_secret"] = self.client.client_secret
        return request


def load_private_key(path: str) -> RSAKey | ECKey | OKPKey:
    """A private key from a PEM file or a JWK (JSON) file."""
    raw = Path(path).read_bytes()
    if raw.lstrip().startswith(b"{"):
        data = json.loads(raw)
        key = JWKRegistry.import_key(data)
    else:
        key = None
        for cls in (RSAKey, ECKey, OKPKey):
            try:
                key = cls.import_key(raw)
                break
            except Exception:  # noqa: BLE001, S112 - try the next kind of key
                continue
    if not isinstance(key, RSAKey | ECKey | OKPKey) or not key.is_private:
        raise ImproperlyConfigured(f"{path} holds no private RSA, EC or OKP key")
    return key


_ALGORITHMS = {"RSA": "RS256", "EC": "ES256", "OKP": "EdDSA"}


class PrivateKeyJwt(_Base):
    """RFC 7523 §2.2: a short-lived JWT signed with our private key."""

    def token_request(self, request: TokenRequest) -> TokenRequest:
        key = load_private_key(self.client.private_key_file)
        algorithm = _ALGORITHMS[key.key_type]
        if isinstance(key, ECKey) and key.curve_name != "P-256":
            algorithm = {"P-384": "ES384", "P-521": "ES512"}[key.curve_name]
        now = int(time.time())
        header = {"alg": algorithm, "typ": "JWT"}
        if key.kid:
            header["kid"] = key.kid
        assertion = jwt.encode(
            header,
            {
                "iss": self.client.client_id,
                "sub": self.client.client_id,
                "aud": request.url,
                "jti": secrets.token_urlsafe(16),
                "iat": now,
                "exp": now + 60,
            },
            key,
            algorithms=[algorithm],
        )
        request.data["client_id"] = self.client.client_id
        request.data["client_assertion_type"] = (
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        )
        request.data["client_assertion"] = assertion
        return request


BUILT_IN: dict[str, type[Any]] = {
    "client_secret_basic": ClientSecretBasic,
    "client_secret_post": ClientSecretPost,
    "private_key_jwt": PrivateKeyJwt,
}


def client_auth() -> ClientAuth:
    """The configured method, made for this sign-in."""
    name = settings.HAZRI_OIDC_CLIENT_AUTH
    cls = BUILT_IN.get(name)
    if cls is None:
        module, _, attr = name.rpartition(".")
        if not module:
            raise ImproperlyConfigured(f"HAZRI_OIDC_CLIENT_AUTH: no method {name!r}")
        cls = getattr(importlib.import_module(module), attr)
    made: ClientAuth = cls(
        ClientSettings(
            client_id=settings.HAZRI_OIDC_CLIENT_ID,
            client_secret=settings.HAZRI_OIDC_CLIENT_SECRET,
            private_key_file=settings.HAZRI_OIDC_PRIVATE_KEY_FILE,
        )
    )
    return made
