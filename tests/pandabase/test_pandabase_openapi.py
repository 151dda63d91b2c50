"""Pandabase's OpenAPI document against what the routes serve, and the query values fuzzing showed
Python reads as numbers where Fastify/ajv (JavaScript's Number) does not (issue 20)."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate
from starlette.routing import Route

from sandbox.openapi import Document
from sandbox.providers.pandabase import openapi, provider
from sandbox.providers.pandabase.params import js_to_number
from sandbox.providers.pandabase.wire import DeletedResponse, ReadResponse
from sandbox.testing import asgi_client, make_sandbox

from .test_pandabase_api import assert_error

SERVER = "/pandabase/v2/core"
DEFAULT = SERVER + "/stores/shp_kxw5h7n4tr3bcfp2v8q1mzj0"  # the default scenario's first store
HOOKS = {"Authorization": "Bearer sk_test_pixelforge_disputes_rw"}  # DISPUTES_* and WEBHOOKS_*


def _served() -> set[tuple[str, str]]:
    """(method, path without the trailing slash) of every Store API route."""
    out = set()
    for route in provider.routes:
        assert isinstance(route, Route)
        path = route.path.removeprefix("/v2/core").rstrip("/")  # routes sit under the /pandabase mount
        out |= {(m, path) for m in route.methods or () if m != "HEAD"}
    return out


def test_document_has_every_route_and_scope():
    doc = openapi.build()
    validate(doc)
    documented = {(m.upper(), p.rstrip("/")) for p, ops in doc["paths"].items() for m in ops}
    assert documented == _served()
    for ops in doc["paths"].values():
        for op in ops.values():
            (scope,) = op["security"][0]["bearerAuth"]
            assert re.fullmatch(r"(CASES|DISPUTES|WEBHOOKS)_(READ|WRITE)", scope)
            assert {"400", "401", "403", "404", "429"} <= set(op["responses"])
            assert "Retry-After" in op["responses"]["429"]["headers"]


def test_control_routes_documented():
    doc = Document("control", "1", servers=["/_sandbox"])
    provider.openapi_control(doc)
    built = doc.to_json()
    validate(built)
    documented = {(m.upper(), p) for p, ops in built["paths"].items() for m in ops}
    served = {(m, r.path) for r in provider.control_routes
              if isinstance(r, Route) for m in r.methods or () if m != "HEAD"}
    assert documented == served


def test_read_and_delete_replies_are_their_models(api):
    read = api.post(f"{api.BASE}/{api.CASE}/read")
    assert read.status_code == 200
    assert ReadResponse.model_validate(read.json()).data.read is True
    with asgi_client(make_sandbox("default")) as client:
        made = client.post(DEFAULT + "/webhooks/", headers=HOOKS,
                           json={"url": "http://127.0.0.1:9/h", "eventTypes": ["PAYMENT_DISPUTED"]})
        assert made.status_code == 201, made.text
        gone = client.delete(f"{DEFAULT}/webhooks/{made.json()['data']['id']}", headers=HOOKS)
        assert gone.status_code == 200
        assert DeletedResponse.model_validate(gone.json()).data.deleted is True
        for query in ("sort=", "needsEvidence=", "status=", "limit=%D9%A3"):
            refused = client.get(f"{DEFAULT}/disputes/?{query}", headers=HOOKS)
            assert refused.status_code == 400, query
            assert refused.json()["error"].startswith("querystring/" + query.split("=")[0] + " must be")


@pytest.mark.parametrize("text, number", [("1e1", 10), (" 7 ", 7), ("0x1f", 31), ("+3", 3), (".5", 0.5)])
def test_js_numbers_read_as_javascript_does(text, number):
    assert js_to_number(text) == number


@pytest.mark.parametrize("text", ["1_0", "٣", "１", "²", "nan", "inf", "0x", "1e", ""])
def test_not_numbers_in_javascript(text):
    assert js_to_number(text) != js_to_number(text)  # NaN


@pytest.mark.parametrize(
    "query, message",
    [
        ("limit=1_0", "querystring/limit must be integer"),
        ("limit=%D9%A3", "querystring/limit must be integer"),  # ٣, ARABIC-INDIC DIGIT THREE
        ("page=%EF%BC%92", "querystring/page must be integer"),  # ２, FULLWIDTH DIGIT TWO
        ("page=nan", "querystring/page must be integer"),
        ("status=", "querystring/status must be equal to one of the allowed values"),
        ("priority=", "querystring/priority must be equal to one of the allowed values"),
        ("customerId=", "querystring/customerId must NOT have fewer than 12 characters"),
        ("orderId=", "querystring/orderId must NOT have fewer than 12 characters"),
        ("page=", "querystring/page must be integer"),
    ],
)
def test_case_list_refuses_non_ascii_numbers_and_empty_values(api, query, message):
    assert_error(api.get(f"{api.BASE}?{query}"), 400, message)


def test_message_list_refuses_underscored_limit(api):
    assert_error(api.get(f"{api.BASE}/{api.CASE}/messages?limit=5_0"), 400, "querystring/limit must be integer")
    assert api.get(f"{api.BASE}/{api.CASE}/messages?limit=5e1").json()["data"]["pagination"]["limit"] == 50


def test_attachment_size_string_is_read_as_javascript_would(api):
    body = {"body": "see file", "attachments": [
        {"attachmentId": "csa_000000000001", "filename": "a.png", "mimeType": "image/png", "sizeBytes": "1_000"}]}
    assert_error(api.post(f"{api.BASE}/{api.CASE}/messages", body), 400, "body/attachments/0/sizeBytes must be integer")
    body["attachments"][0]["sizeBytes"] = "1e3"
    sent = api.post(f"{api.BASE}/{api.CASE}/messages", body)
    assert sent.status_code == 201 and sent.json()["data"]["attachments"][0]["sizeBytes"] == 1000
