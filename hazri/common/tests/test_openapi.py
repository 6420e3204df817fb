import json

from django.test import Client

from hazri.common.openapi import SNAPSHOT, openapi_text


def test_the_committed_openapi_document_matches_the_code() -> None:
    assert SNAPSHOT.read_text() == openapi_text(), (
        "run `hazri openapi` and commit docs/openapi.json"
    )


def test_the_api_serves_its_openapi_document_and_docs(db) -> None:
    client = Client()
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/rollcalls/batch" in json.loads(schema.content)["paths"]
    assert client.get("/api/v1/docs").status_code == 200
