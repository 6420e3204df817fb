import json
import re
from collections.abc import Iterator
from typing import Annotated, Any, get_args, get_origin

from django.test import Client
from pydantic import BaseModel, Strict

from config.api import api
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
    assert tables == 12  # the nine before, photo attendance, learning and reporting by area


# Formats whose values have a bounded length: pydantic checks them before any use.
FIXED_FORMATS = {"date", "date-time", "uuid"}


def request_schemas() -> Iterator[tuple[dict[str, Any], str]]:
    """Every schema, and every schema inside it, of every parameter and body a request
    can carry, with where it is: a decimal's string form left out (a decimal is a
    number or its string: pydantic checks its digits)."""
    document = json.loads(openapi_text())
    components = document["components"]["schemas"]

    def walk(
        schema: dict[str, Any], where: str, seen: frozenset[str] = frozenset()
    ) -> Iterator[tuple[dict[str, Any], str]]:
        ref = schema.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            if name not in seen:
                yield from walk(components[name], f"{where} ({name})", seen | {name})
            return
        yield schema, where
        for key in ("anyOf", "oneOf", "allOf"):
            options = schema.get(key, [])
            decimal = any(option.get("type") == "number" for option in options)
            for sub in options:
                if not (decimal and sub.get("type") == "string"):
                    yield from walk(sub, where, seen)
        for name, sub in schema.get("properties", {}).items():
            yield from walk(sub, f"{where}.{name}", seen)
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                yield from walk(schema[key], f"{where}[]", seen)
        for index, sub in enumerate(schema.get("prefixItems", [])):
            yield from walk(sub, f"{where}[{index}]", seen)

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                yield from walk(parameter["schema"], f"{method} {path} {parameter['name']}")
            for media in operation.get("requestBody", {}).get("content", {}).values():
                yield from walk(media["schema"], f"{method} {path} body")


def test_every_integer_and_string_a_request_can_carry_is_bounded() -> None:
    """An unbounded integer reaches the database driver or the JSON encoder as a Python
    int beyond 64 bits: a 500 (a roll call's history asked for meeting 10**20 was one).
    An unbounded string is a 500 on PostgreSQL when it is longer than its column."""
    unbounded: list[str] = []
    carried = 0
    for schema, where in request_schemas():
        carried += 1
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
    assert carried > 50
    assert unbounded == [], unbounded


def test_no_string_a_request_can_carry_takes_a_control_character() -> None:
    """A NUL in a string was a 500 on PostgreSQL and stored as is on SQLite. Every string
    is common.api.Text (which documents the rule as a pattern), or a pattern, a list of
    values or a format that leaves control characters out."""
    open_strings: list[str] = []
    strings = 0
    for schema, where in request_schemas():
        if schema.get("type") != "string":
            continue
        strings += 1
        if "enum" in schema or "const" in schema or schema.get("format") in FIXED_FORMATS:
            continue
        if schema.get("format") == "binary" and where.endswith(" body"):
            continue  # a photo's bytes, not text: sniffed for its type before it is read
        pattern = schema.get("pattern")
        if pattern is None or any(re.search(pattern, f"a{c}b") for c in "\x00\x1b\x0b"):
            open_strings.append(where)
    assert strings > 20
    assert open_strings == [], open_strings


def body_models() -> Iterator[tuple[str, type[BaseModel]]]:
    for router in api._get_bound_routers():
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in operation.models:
                    if model.__ninja_param_source__ == "body":  # type: ignore[attr-defined]
                        yield f"{operation.methods} {operation.view_func.__name__}", model


ID_NAMES = {"id", "section", "school", "student", "students", "staff", "unit", "rollcall"}


def test_every_id_in_a_body_is_a_json_integer() -> None:
    """A JSON body's ids are common.api.Id, strict: "6" and 6.0 are refused, not read
    as 6. Found by name: a field named as a thing (school, student, …) or …_id."""
    lax: list[str] = []
    ids = 0

    def walk(annotation: Any, metadata: list[Any], where: str, name: str) -> None:
        nonlocal ids
        if get_origin(annotation) is Annotated:
            inner, *more = get_args(annotation)
            walk(inner, [*metadata, *more], where, name)
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            for field, info in annotation.model_fields.items():
                walk(info.annotation, info.metadata, f"{where}.{field}", field)
        elif get_origin(annotation) is not None:
            for arg in get_args(annotation):
                walk(arg, metadata if get_origin(annotation) is not list else [], where, name)
        elif annotation is int and (name in ID_NAMES or name.endswith(("_id", "_ids"))):
            ids += 1
            if not any(isinstance(m, Strict) and m.strict for m in metadata):
                lax.append(where)

    for operation, model in body_models():
        walk(model, [], operation, "")
    assert ids >= 10
    assert lax == [], lax


def test_no_two_api_shapes_share_a_name() -> None:
    """The OpenAPI document keeps one schema per name: a second shape of the same name
    (two apps' `HomeworkOut`) silently replaced the first, and the document described
    one operation's answer with another's."""
    from pydantic import BaseModel

    import config.api  # noqa: F401  (every router's shapes imported)

    def every(cls: type) -> list[type]:
        return [cls, *(grand for sub in cls.__subclasses__() for grand in every(sub))]

    seen: dict[str, set[str]] = {}
    for model in every(BaseModel):
        if model.__module__.startswith(("hazri.", "config.")) and ".tests." not in model.__module__:
            seen.setdefault(model.__name__, set()).add(model.__module__)
    assert {name: mods for name, mods in seen.items() if len(mods) > 1} == {}
