"""A real OpenID Connect provider for the tests: node's oidc-provider 8.x
(hazri/signon/tests/provider/, installed by `make test` with `npm ci`), started on a
free 127.0.0.1 port with the clients and accounts a test gives it, and stopped after.

`drive_login` walks its log-in form with plain HTTP (a requests session), as a
browser would, and answers the callback URL it sends the browser back to.
"""

import json
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests
from joserfc.jwk import RSAKey

HERE = Path(__file__).parent / "provider"
SECRET = "hazri-test-client-secret-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningProvider:
    issuer: str
    process: subprocess.Popen[str]
    accounts: dict[str, Any] = field(default_factory=dict)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def client(
    redirect_base: str,
    *,
    client_id: str = "hazri",
    auth: str = "client_secret_basic",
    jwks: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A client's metadata as oidc-provider takes it."""
    made: dict[str, Any] = {
        "client_id": client_id,
        "redirect_uris": [f"{redirect_base}/accounts/sso/callback/"],
        "post_logout_redirect_uris": [f"{redirect_base}/accounts/login/"],
        "token_endpoint_auth_method": auth,
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
    }
    if auth == "private_key_jwt":
        made["jwks"] = jwks
        made["token_endpoint_auth_signing_alg"] = "RS256"
    else:
        made["client_secret"] = SECRET
    return made


def start_provider(
    folder: Path,
    *,
    clients: list[dict[str, Any]],
    accounts: dict[str, Any],
    jwks: dict[str, Any] | None = None,
) -> RunningProvider:
    node = shutil.which("node")
    if node is None or not (HERE / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            "The test OpenID provider needs Node 20+ and its packages: "
            "`npm ci --prefix hazri/signon/tests/provider` (make test runs it)."
        )
    if jwks is None:
        # Its own signing key: two providers never share one.
        key = RSAKey.generate_key(2048, parameters={"kid": f"op-{free_port()}"}, private=True)
        jwks = {"keys": [{**key.as_dict(private=True), "use": "sig", "alg": "RS256"}]}
    port = free_port()
    config = folder / f"provider-{port}.json"
    config.write_text(
        json.dumps(
            {
                "port": port,
                "clients": clients,
                "accounts": accounts,
                "jwks": jwks,
            }
        )
    )
    process = subprocess.Popen(
        [node, str(HERE / "provider.mjs"), str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=HERE,
    )
    issuer = f"http://127.0.0.1:{port}"
    assert process.stdout is not None
    deadline = time.monotonic() + 20
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if line.startswith("ready "):
            _drain(process)
            return RunningProvider(issuer=issuer, process=process, accounts=accounts)
    process.kill()
    pytest.fail("The test OpenID provider did not start:\n" + "".join(seen))


def _drain(process: subprocess.Popen[str]) -> None:
    """Reads the provider's output (its warnings) so that a full pipe never blocks it."""

    def drain() -> None:
        assert process.stdout is not None
        for _line in process.stdout:
            pass

    threading.Thread(target=drain, daemon=True).start()


@pytest.fixture
def oidc_provider(tmp_path: Path) -> Iterator[Any]:
    """A factory: start_provider with this test's folder; every one is stopped after."""
    started: list[RunningProvider] = []

    def make(**kw: Any) -> RunningProvider:
        running = start_provider(tmp_path, **kw)
        started.append(running)
        return running

    yield make
    for running in started:
        running.stop()


_FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


def drive_login(authorize_url: str, login: str, password: str, *, stop_at: str) -> str:
    """Follows the provider's redirects from the authorization URL, posts its log-in
    form, and returns the URL (starting with `stop_at`) it sends the browser back to."""
    session = requests.Session()
    url = authorize_url
    for _ in range(12):
        if url.startswith(stop_at):
            return url
        response = session.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            continue
        form = _FORM_ACTION.search(response.text)
        assert response.status_code == 200 and form, response.text[:500]
        posted = session.post(
            urljoin(url, form.group(1)),
            data={"login": login, "password": password},
            allow_redirects=False,
            timeout=10,
        )
        assert posted.is_redirect, posted.text[:500]
        url = urljoin(url, posted.headers["Location"])
    raise AssertionError(f"the provider never sent the browser back: {url}")
