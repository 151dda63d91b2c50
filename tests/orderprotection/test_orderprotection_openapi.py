"""OrderProtection's OpenAPI document: every served route is in it, its webhooks describe what the
sandbox sends, its control routes go into the control plane's document."""

from __future__ import annotations

import json
import re

from openapi_spec_validator import validate
from starlette.routing import Route

from sandbox.openapi import Document
from sandbox.providers.orderprotection import openapi, provider, webhooks


def _served(routes) -> set[tuple[str, str]]:
    """(method, path) of every route, `{name:convertor}` written as OpenAPI's `{name}`."""
    out = set()
    for route in routes:
        assert isinstance(route, Route)
        for method in route.methods or ():
            if method != "HEAD":
                out.add((method.lower(), re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)))
    return out


def _documented(doc: dict) -> set[tuple[str, str]]:
    return {(method, path) for path, ops in doc["paths"].items() for method in ops}


def test_every_served_route_is_documented(sandbox_from, k):
    _, client = sandbox_from(k.SMALL, providers=["orderprotection"])
    doc = client.get("/_sandbox/openapi/orderprotection.json").json()
    validate(doc)
    assert _documented(doc) == _served(provider.routes)
    assert doc["servers"][0]["url"].endswith("/orderprotection")
    assert sorted(doc["webhooks"]) == sorted(webhooks.TYPES)
    ids = [op["operationId"] for part in ("paths", "webhooks") for ops in doc[part].values() for op in ops.values()]
    assert len(ids) == len(set(ids))


def test_every_sent_webhook_matches_its_documented_payload(sandbox_from, k):
    """Drive every topic, then check each message both dialects send against `webhooks.PAYLOADS`."""
    sandbox, client = sandbox_from(k.SMALL, providers=["orderprotection"])
    body = {"email": "ada@example.com", "issues": [{"issueType": "DAMAGED", "sourceItemId": "it-1"}]}
    assert client.post(k.BASE + "/claims/A-100", headers=k.RW, json=body).status_code == 201
    for claim, action in (("cpending000000000000000001", "approve"), ("chold00000000000000000001", "deny")):
        assert client.post(f"/_sandbox/orderprotection/claims/{claim}/{action}", json={}).status_code == 200
    protection = "/_sandbox/orderprotection/stores/alpha/orders/A-100/protection"
    assert client.post(protection, json={"action": "remove"}).status_code == 200
    assert client.post(protection, json={"action": "add"}).status_code == 200
    state = sandbox.state("orderprotection")
    sent: set[str] = set()
    for event in sandbox.events.query("orderprotection"):
        for message in webhooks.messages(state, event):
            webhooks.PAYLOADS[message.type].model_validate_json(json.dumps(message.payload))
            sent.add(message.type)
    assert sent == set(webhooks.TYPES)


def test_control_routes_join_the_control_plane_document():
    doc = Document("control", "1", servers=["/_sandbox"])
    provider.openapi_control(doc)
    built = doc.to_json()
    validate(built)
    assert _documented(built) == _served(provider.control_routes)
    assert openapi.SERVER == provider.prefix


def test_rejects_valid_names_declared_statuses():
    """`x-sandbox-rejects-valid` (business rules a schema cannot state) names only declared statuses."""
    doc = openapi.build()
    marked = [(op, status) for ops in doc["paths"].values() for op in ops.values()
              for status in op.get(openapi.REJECTS_VALID, {})]
    assert {op["operationId"] for op, _ in marked} >= {"getClaims", "createOnlineClaim"}
    assert all(status in op["responses"] for op, status in marked)
