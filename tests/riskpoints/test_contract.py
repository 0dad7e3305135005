"""The risk API's OpenAPI as a client generator reads it (issue #9 item 7): every operation answers a
named schema and declares its refusals; every list pages with the shared, bounded limit/offset; every
text a client sends has a documented maximum length, every number a documented range."""

import pytest

from anquan.api import api
from anquan.core.xlsx import XLSX

RISK_MODULES = tuple(
    f"anquan_{app}_"
    for app in ("standards", "riskpoints", "majorhazards", "checks", "riskreports", "riskmap")
)  # the apps split from the former risk app (docs/adr/0015-risk-split.md)
NOT_PAGED = {"/api/v1/stats/risk-report-coverage"}  # one row per child region: bounded by the region tree
LIST_ITEM = "#/components/schemas/"


@pytest.fixture(scope="module")
def schema():
    return api.get_openapi_schema()


def risk_operations(schema):
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            if op["operationId"].startswith(RISK_MODULES):
                yield method.upper(), path, op


def resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].removeprefix(LIST_ITEM)]
    return node


def test_there_are_risk_operations(schema):
    assert len(list(risk_operations(schema))) >= 37


def test_every_answer_is_a_named_schema_and_refusals_are_declared(schema):
    problems = []
    for method, path, op in risk_operations(schema):
        ok = [code for code in op["responses"] if str(code).startswith("2")]
        content = op["responses"][ok[0]].get("content", {}) if ok else {}
        json_body = content.get("application/json", {}).get("schema", {})
        if path.endswith("/image"):
            if not {"image/png", "image/jpeg"} <= set(content):
                problems.append(f"{method} {path}: image types not documented")
        elif path.endswith("/export"):  # the workbook at once, or 202 and the job making it
            queued = op["responses"].get(202, {}).get("content", {}).get("application/json", {})
            if XLSX not in content or "$ref" not in queued.get("schema", {}):
                problems.append(f"{method} {path}: the workbook or the queued job not documented")
        elif "$ref" not in json_body:
            problems.append(f"{method} {path}: {ok} answer is not a named schema: {json_body}")
        for code in (401, 422):
            if code not in op["responses"]:
                problems.append(f"{method} {path}: {code} not declared")
        if "{" in path and 404 not in op["responses"]:
            problems.append(f"{method} {path}: 404 not declared for an object by id")
        if method != "GET" and "requestBody" in op and 415 not in op["responses"]:
            problems.append(f"{method} {path}: 415 not declared for a body")
    assert problems == []


def test_every_list_pages_with_the_bounded_paginator(schema):
    problems = []
    for method, path, op in risk_operations(schema):
        ok = op["responses"].get(200, {}).get("content", {}).get("application/json", {}).get("schema", {})
        body = resolve(schema, ok) if ok else {}
        if "items" not in body.get("properties", {}) or path in NOT_PAGED:
            continue
        params = {p["name"]: p["schema"] for p in op.get("parameters", []) if p["in"] == "query"}
        limit, offset = params.get("limit", {}), params.get("offset", {})
        if (limit.get("minimum"), limit.get("maximum"), offset.get("minimum"), offset.get("maximum")) != (
            1,
            500,
            0,
            1_000_000,
        ):
            problems.append(f"{method} {path}: limit {limit} offset {offset}")
        if not {"items", "count"} <= set(body.get("required", [])):
            problems.append(f"{method} {path}: items and count not both required")
    assert problems == []


def _unbounded(schema, node, where, seen) -> list[str]:
    """Every string with a maxLength (or an enum/const/format), every number with a maximum."""
    node = resolve(schema, node) if "$ref" in node else node
    key = id(node)
    if key in seen:
        return []
    seen.add(key)
    found = []
    options = node.get("anyOf", [])
    bounded_number = any(o.get("type") == "number" and "maximum" in o for o in options)
    for option in options:
        if bounded_number and option == {"type": "string"}:
            continue  # a decimal may come as text: parsed, then held to the number's bounds
        found += _unbounded(schema, option, where, seen)
    kind = node.get("type")
    if kind == "string" and not ({"maxLength", "enum", "const", "format"} & set(node)):
        found.append(where)
    if kind in ("integer", "number") and "maximum" not in node and "exclusiveMaximum" not in node:
        found.append(where)
    if kind == "array":
        if "maxItems" not in node:
            found.append(f"{where}[]")
        found += _unbounded(schema, node.get("items", {}), f"{where}.0", seen)
    for name, prop in node.get("properties", {}).items():
        found += _unbounded(schema, prop, f"{where}.{name}", seen)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        found += _unbounded(schema, extra, f"{where}.*", seen)
    return found


def test_every_input_is_bounded(schema):
    problems = []
    for method, path, op in risk_operations(schema):
        for param in op.get("parameters", []):
            problems += _unbounded(schema, param["schema"], f"{method} {path} ?{param['name']}", set())
        for media, body in op.get("requestBody", {}).get("content", {}).items():
            found = _unbounded(schema, body["schema"], f"{method} {path} {media}", set())
            problems += [f for f in found if not f.endswith(".file")]  # an upload: checked by size
    assert problems == []
