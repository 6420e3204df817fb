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


# Formats whose values have a bounded length: pydantic checks them before any use.
FIXED_FORMATS = {"date", "date-time", "uuid"}


def test_every_integer_and_string_a_request_can_carry_is_bounded() -> None:
    """An unbounded integer reaches the database driver or the JSON encoder as a Python
    int beyond 64 bits: a 500 (a roll call's history asked for meeting 10**20 was one).
    An unbounded string is a 500 on PostgreSQL when it is longer than its column."""
    document = json.loads(openapi_text())
    components = document["components"]["schemas"]
    unbounded: list[str] = []

    def walk(schema: dict, where: str, seen: frozenset[str] = frozenset()) -> None:
        ref = schema.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            if name not in seen:
                walk(components[name], f"{where} ({name})", seen | {name})
            return
        for key in ("anyOf", "oneOf", "allOf"):
            options = schema.get(key, [])
            # A decimal is a number or its string: pydantic checks its digits.
            decimal = any(option.get("type") == "number" for option in options)
            for sub in options:
                if not (decimal and sub.get("type") == "string"):
                    walk(sub, where, seen)
        if schema.get("type") == "integer" and not (
            {"minimum", "exclusiveMinimum"} & set(schema)
            and {"maximum", "exclusiveMaximum"} & set(schema)
        ):
            unbounded.append(where)
        # A string is bounded by its length, its values, or a format that fixes them
        # (a pattern alone need not: ^[a-z]+$ takes any length).
        if schema.get("type") == "string" and not (
            "maxLength" in schema
            or "enum" in schema
            or "const" in schema
            or schema.get("format") in FIXED_FORMATS
        ):
            unbounded.append(where)
        for name, sub in schema.get("properties", {}).items():
            walk(sub, f"{where}.{name}", seen)
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                walk(schema[key], f"{where}[]", seen)
        for index, sub in enumerate(schema.get("prefixItems", [])):
            walk(sub, f"{where}[{index}]", seen)

    carried = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                carried += 1
                walk(parameter["schema"], f"{method} {path} {parameter['name']}")
            for media in operation.get("requestBody", {}).get("content", {}).values():
                carried += 1
                walk(media["schema"], f"{method} {path} body")
    assert carried > 50
    assert unbounded == [], unbounded
