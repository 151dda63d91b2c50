"""Shoplazza's two OpenAPI documents against the routes served, and the integers fuzzing showed
Python's `\\d` and `str.isdigit` read where an HTTP API does not (issue 20)."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate
from starlette.routing import Route

from sandbox.openapi import Document
from sandbox.providers.shoplazza import inferred, provider
from sandbox.providers.shoplazza.wire import CodeError, FieldErrors, ListError

from .test_shoplazza_api import BASE, TOKEN, assert_error

FLAT = "/shoplazza/openapi/2022-01/webhooks"
WRAPPED = "/shoplazza/openapi/2026-01/webhooks"


def _documents() -> dict[str, dict]:
    built = {name: build() for name, build in provider.openapi_documents().items()}
    for doc in built.values():
        validate(doc)
    return built


def test_documents_cover_every_route_and_version():
    docs = _documents()
    assert list(docs) == ["shoplazza", "shoplazza-2025-06"]
    served = {r.path for r in provider.routes if isinstance(r, Route)}
    for path in served:
        assert any(path in doc["paths"] for doc in docs.values()), path
    versions: dict[str, set[str]] = {}
    for doc in docs.values():
        for path, ops in doc["paths"].items():
            for op in ops.values():
                for param in op.get("parameters", []):
                    if param["name"] == "version":
                        versions.setdefault(path, set()).update(param["schema"]["enum"])
    assert versions["/openapi/{version}/shoplazza-payment/disputes"] == inferred.VERSIONS
    assert versions["/openapi/{version}/webhooks"] == inferred.WEBHOOK_VERSIONS
    token = docs["shoplazza"]["paths"]["/admin/oauth/token"]["post"]
    assert token["security"] == [] and "application/x-www-form-urlencoded" in token["requestBody"]["content"]
    listed = docs["shoplazza"]["paths"]["/openapi/{version}/shoplazza-payment/disputes"]["get"]
    assert listed["security"] == [{"accessToken": ["read_finance"]}]
    assert "Retry-After" in listed["responses"]["429"]["headers"]


def test_control_routes_documented():
    doc = Document("control", "1", servers=["/_sandbox"])
    provider.openapi_control(doc)
    built = doc.to_json()
    validate(built)
    documented = {(m.upper(), p) for p, ops in built["paths"].items() for m in ops}
    served = {(m, re.sub(r":\w+}", "}", r.path)) for r in provider.control_routes if isinstance(r, Route)
              for m in r.methods or () if m != "HEAD"}
    assert documented == served


@pytest.mark.parametrize("query", ["limit=%D9%A3", "limit=1_0", "limit=%EF%BC%95", "limit=+5",
                                   "created_at_min=%D9%A3", "created_at_max=1%D9%A3"])
def test_dispute_list_refuses_non_ascii_digits(shz, query):
    _, client = shz
    name = query.split("=")[0]
    response = client.get(f"{BASE}?{query}", headers=TOKEN)
    assert_error(response, 400, {"code": "InvalidParameter", "message": f"{name} is invalid"})
    CodeError.model_validate(response.json())


@pytest.mark.parametrize("value", ["%C2%B2", "%D9%A3", "1_0", "%EF%BC%92"])  # ², ٣, 1_0, ２
def test_webhook_list_refuses_non_ascii_digits(shz, value):
    """`²` passed `str.isdigit` and then broke `int()`: a 500 before."""
    _, client = shz
    flat = client.get(f"{FLAT}?limit={value}", headers=TOKEN)
    assert flat.status_code == 422
    assert FieldErrors.model_validate(flat.json()).errors == {"limit": ["is not a number"]}
    wrapped = client.get(f"{WRAPPED}?page_size={value}", headers=TOKEN)
    assert_error(wrapped, 400, {"code": "InvalidParameter", "message": "page_size is not a number"})


def test_empty_values_are_absent(shz):
    """inferred.py: a blank value is no value (a client sending the last page's empty cursor back)."""
    _, client = shz
    plain = client.get(FLAT, headers=TOKEN)
    blank = client.get(f"{FLAT}?limit=&page=&topic=&address=", headers=TOKEN)
    assert blank.status_code == plain.status_code == 200 and blank.json() == plain.json()
    ListError.model_validate(client.get("/shoplazza/openapi/2020-01/webhooks", headers=TOKEN).json())
