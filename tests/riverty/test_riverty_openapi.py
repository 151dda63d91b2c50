"""Riverty's OpenAPI documents: Gen 2 (`riverty`) and Gen 1 (`riverty-gen1`) together hold every
route served, each in its own shapes; the control routes go into the control plane's document."""

from __future__ import annotations

import re

from openapi_spec_validator import validate
from starlette.routing import Route

from sandbox.openapi import Document
from sandbox.providers.riverty import provider


def _served(routes) -> set[tuple[str, str]]:
    """(method, path) of every route, `{name:convertor}` written as OpenAPI's `{name}`."""
    out = set()
    for route in routes:
        assert isinstance(route, Route)
        out |= {(m.lower(), re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)) for m in route.methods or () if m != "HEAD"}
    return out


def _documented(doc: dict) -> set[tuple[str, str]]:
    return {(method, path) for path, ops in doc["paths"].items() for method in ops}


def test_both_generations_document_every_route(riverty):
    _, client = riverty
    listed = client.get("/_sandbox/openapi").json()["documents"]
    assert sorted(listed) == ["riverty", "riverty-gen1"]
    gen2 = client.get("/_sandbox/openapi/riverty.json").json()
    gen1 = client.get("/_sandbox/openapi/riverty-gen1.json").json()
    for doc in (gen1, gen2):
        validate(doc)
        assert doc["components"]["securitySchemes"]["apiKey"] == {
            "type": "apiKey", "in": "header", "name": "X-Auth-Key", "description": "one key per webshop and country"}
    assert _documented(gen1) | _documented(gen2) == _served(provider.routes)
    assert not _documented(gen1) & _documented(gen2)
    upload = gen2["paths"]["/attachments"]["post"]["requestBody"]["content"]
    assert list(upload) == ["multipart/form-data"]
    assert "Gen1Dispute" in gen1["components"]["schemas"] and "Gen1Dispute" not in gen2["components"]["schemas"]


def test_control_routes_join_the_control_plane_document():
    doc = Document("control", "1", servers=["/_sandbox"])
    provider.openapi_control(doc)
    built = doc.to_json()
    validate(built)
    assert _documented(built) == _served(provider.control_routes)


def test_rejects_valid_names_declared_statuses():
    """`x-sandbox-rejects-valid` (rules a schema cannot state) names only declared statuses."""
    from sandbox.providers.riverty import openapi

    doc = openapi.build_gen2()
    marked = [(op, status) for ops in doc["paths"].values() for op in ops.values()
              for status in op.get(openapi.REJECTS_VALID, {})]
    assert {op["operationId"] for op, _ in marked} == {"get_all_dispute_comments", "add_comment_for_a_dispute", "upload_a_file"}
    assert all(status in op["responses"] for op, status in marked)
