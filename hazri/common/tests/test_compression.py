"""Compression on the API (hazri/common/compression.py): answers gzip or brotli where
the client offers them, pages never; request bodies gzip, unpacked within the body
limit, anything else refused."""

import gzip
import json
import tracemalloc
import zlib

import brotli
import pytest
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.test import Client, RequestFactory

from hazri.attendance.models import RollCall
from hazri.attendance.tests.conftest import Api, login, now_iso, rollcall
from hazri.common.compression import (
    MIN_SIZE,
    ApiCompressionMiddleware,
    CorruptBody,
    choose_coding,
    gunzip_limited,
)
from hazri.common.tests.test_api_input import refused, table_sizes
from hazri.testing.world import World


@pytest.fixture
def ravi(world: World) -> Api:
    return login(Client(), world.ravi)


def pull(api: Api, accept: str | None) -> HttpResponse:
    headers = dict(api.headers)
    if accept is not None:
        headers["Accept-Encoding"] = accept
    response: HttpResponse = api.client.get("/api/v1/sync/pull", headers=headers)
    assert response.status_code == 200, response.content
    return response


def answer_of(content_type: str, body: bytes, path: str = "/api/v1/x") -> HttpResponse:
    request = RequestFactory().get(path, headers={"Accept-Encoding": "gzip"})
    middleware = ApiCompressionMiddleware(lambda _: HttpResponse(body, content_type=content_type))
    return middleware(request)


# --- Answers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "coding", "unpack"),
    [
        ("gzip, deflate", "gzip", gzip.decompress),
        ("gzip, deflate, br, zstd", "br", brotli.decompress),
        ("br;q=0, gzip", "gzip", gzip.decompress),
    ],
)
def test_an_answer_is_compressed_as_offered_and_unpacks_to_the_same(
    world: World, ravi: Api, accept: str, coding: str, unpack: object
) -> None:
    plain = pull(ravi, None)
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    packed = pull(ravi, accept)
    assert packed["Content-Encoding"] == coding
    assert "Accept-Encoding" in packed["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 3
    assert callable(unpack)
    # The token and the server's clock differ between two pulls; the rest is the same.
    answer, first = json.loads(unpack(packed.content)), plain.json()
    for volatile in ("token", "server_time"):
        answer.pop(volatile, None), first.pop(volatile, None)
    assert answer == first


def test_an_answer_is_not_compressed_when_not_offered(world: World, ravi: Api) -> None:
    for accept in ("", "identity", "gzip;q=0", "deflate"):
        assert "Content-Encoding" not in pull(ravi, accept), accept


def test_a_tiny_answer_is_not_compressed() -> None:
    response = Client().get("/api/v1/sync/pull", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 401 and len(response.content) < MIN_SIZE
    assert "Content-Encoding" not in response


def test_the_device_token_is_never_compressed() -> None:
    """The one API answer that carries a credential (BREACH): left out by its path,
    whatever its size (the real one is under MIN_SIZE today)."""
    body = json.dumps({"token": "t" * 43, "username": "ravi", "x": "y" * 600}).encode()
    assert "Content-Encoding" not in answer_of("application/json", body, "/api/v1/auth/token")
    assert answer_of("application/json", body, "/api/v1/auth/tokens")["Content-Encoding"]


def test_a_page_with_a_form_is_never_compressed(world: World) -> None:
    """The login page carries a CSRF token and reflects what was typed (BREACH)."""
    client = Client()
    page = client.get("/accounts/login/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert page.status_code == 200 and len(page.content) > MIN_SIZE
    assert b"csrfmiddlewaretoken" in page.content
    assert "Content-Encoding" not in page
    wrong = client.post(
        "/accounts/login/",
        {"username": "ravi", "password": "wrong", "csrfmiddlewaretoken": "x"},
        headers={"Accept-Encoding": "gzip, br"},
    )
    assert "Content-Encoding" not in wrong


def test_only_the_apis_text_types_are_compressed() -> None:
    text = b"school,section,present\n" + b"Sunrise,1A,40\n" * 100
    assert answer_of("text/csv; charset=utf-8", text)["Content-Encoding"] == "gzip"
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "Content-Encoding" not in answer_of(xlsx, text)
    assert "Content-Encoding" not in answer_of("text/html", text)
    assert "Content-Encoding" not in answer_of("text/csv", text, path="/registers/x.csv")


def test_a_strong_etag_is_weakened_when_compressed() -> None:
    request = RequestFactory().get("/api/v1/x", headers={"Accept-Encoding": "gzip"})

    def view(_: object) -> HttpResponse:
        response = HttpResponse(b"{}" + b" " * 1000, content_type="application/json")
        response["ETag"] = '"abc"'
        return response

    assert ApiCompressionMiddleware(view)(request)["ETag"] == 'W/"abc"'


def test_accept_encoding_is_read_with_its_weights() -> None:
    assert choose_coding("gzip, deflate, br") == "br"
    assert choose_coding("BR;q=0.5, gzip;q=1") == "br"
    assert choose_coding("br;q=0, gzip") == "gzip"
    assert choose_coding("br;q=0.0, gzip;q=0") is None
    assert choose_coding("*") == "gzip"
    assert choose_coding("identity") is None
    assert choose_coding("") is None


# --- Request bodies --------------------------------------------------------------------


def send(api: Api, body: bytes, coding: str) -> HttpResponse:
    response: HttpResponse = api.client.post(
        "/api/v1/rollcalls/batch",
        body,
        content_type="application/json",
        headers={**api.headers, "Content-Encoding": coding},
    )
    return response


def batch(world: World) -> bytes:
    return json.dumps({"device_clock": now_iso(), "rollcalls": [rollcall(world)]}).encode()


@pytest.mark.parametrize("coding", ["gzip", "GZIP", "x-gzip"])
def test_a_gzipped_batch_is_stored(world: World, ravi: Api, coding: str) -> None:
    response = send(ravi, gzip.compress(batch(world)), coding)
    assert response.status_code == 200, response.content
    assert [r["status"] for r in response.json()["results"]] == ["created"]
    assert RollCall.objects.count() == 1


def test_a_batch_in_two_gzip_members_is_stored(world: World, ravi: Api) -> None:
    body = batch(world)
    response = send(ravi, gzip.compress(body[:40]) + gzip.compress(body[40:]), "gzip")
    assert response.status_code == 200, response.content
    assert RollCall.objects.count() == 1


def test_a_gzip_bomb_is_a_413_without_unpacking_it(world: World, ravi: Api) -> None:
    bomb = gzip.compress(b"0" * (50 * 2**20), 9)
    assert len(bomb) < 100_000
    before = table_sizes()
    tracemalloc.start()
    try:
        response = send(ravi, bomb, "gzip")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    refused(response, 413, "body", "too_large")
    assert str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) in response.json()["detail"]
    # The limit (8 MiB) and what a request costs, not the 50 MB it would unpack to.
    assert peak < 2.5 * settings.DATA_UPLOAD_MAX_MEMORY_SIZE, peak
    assert table_sizes() == before


def test_a_body_just_under_the_limit_unpacks_and_one_byte_over_does_not() -> None:
    limit = 100_000
    assert gunzip_limited(gzip.compress(b"a" * limit), limit) == b"a" * limit
    with pytest.raises(RequestDataTooBig):
        gunzip_limited(gzip.compress(b"a" * (limit + 1)), limit)


def test_unpacking_stops_at_the_limit() -> None:
    bomb = gzip.compress(b"\0" * (50 * 2**20), 9)
    tracemalloc.start()
    try:
        with pytest.raises(RequestDataTooBig):
            gunzip_limited(bomb, 2**20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 2**20, peak


@pytest.mark.parametrize(
    "body",
    [
        b'{"rollcalls": []}',  # said gzip, sent plain
        gzip.compress(b'{"rollcalls": []}')[:-6],  # cut short
        gzip.compress(b'{"rollcalls": []}') + b"junk",
        b"\x1f\x8b\x08\x00" + b"\xff" * 40,
    ],
    ids=["plain", "truncated", "trailing-junk", "broken-header"],
)
def test_a_corrupt_gzip_body_is_a_400_naming_the_body(world: World, ravi: Api, body: bytes) -> None:
    before = table_sizes()
    refused(send(ravi, body, "gzip"), 400, "body", "malformed_gzip")
    assert table_sizes() == before
    with pytest.raises(CorruptBody):
        gunzip_limited(body)


@pytest.mark.parametrize("coding", ["deflate", "br", "zstd", "gzip, gzip", "compress"])
def test_any_other_content_encoding_is_a_415(world: World, ravi: Api, coding: str) -> None:
    body = batch(world)
    packed = zlib.compress(body) if coding == "deflate" else body
    before = table_sizes()
    error = refused(send(ravi, packed, coding), 415, "body", "unsupported_content_encoding")
    assert coding in error["message"]
    assert table_sizes() == before


def test_identity_is_no_encoding(world: World, ravi: Api) -> None:
    assert send(ravi, batch(world), "identity").status_code == 200
    assert RollCall.objects.count() == 1
