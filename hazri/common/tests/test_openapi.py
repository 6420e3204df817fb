import json

from django.test import Client

from hazri.common.openapi import SNAPSHOT, openapi_text
from hazri.common.tables import XLSX


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


def test_every_table_endpoint_documents_its_csv_and_xlsx_answers() -> None:
    """An endpoint that takes format=csv|xlsx says so in its 200 answer's content types,
    and every endpoint that reads a JSON body documents the 400 of a malformed one."""
    paths = json.loads(openapi_text())["paths"]
    tables = 0
    for path, operations in paths.items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            content = set(operation["responses"].get("200", {}).get("content", {}))
            if "format" in names:
                tables += 1
                assert {"text/csv", XLSX} <= content, f"{method} {path}"
            else:
                assert content <= {"application/json"}, f"{method} {path}"
            if "requestBody" in operation:
                assert "400" in operation["responses"], f"{method} {path}"
    assert tables == 9
