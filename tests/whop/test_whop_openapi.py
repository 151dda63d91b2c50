"""Whop's OpenAPI documents (issue 20): one per version family, every route documented, and the
query values fuzzing found taken as Whop would take them (empty values refused, ASCII digits only)."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate
from starlette.routing import Route

from sandbox.openapi import Document
from sandbox.providers.whop import provider, versions

SCENARIO = """
version: 1
seed: 7
clock: {start: "2026-11-26T12:00:00Z"}
providers:
  whop:
    companies:
      - id: biz_A
        title: Alpha
        api_keys:
          - {key: k, permissions: [payment:resolution_center_case:read, payment:dispute:read, payment:dispute, payment:dispute_alert:read]}
        cases:
          - {id: reso_One, status: merchant_response_needed, created_at: "-1d", total: 30}
        disputes:
          - {id: dspt_Open, status: needs_response, created_at: "-1d", amount: 20, currency: usd}
"""
API = "/whop/api/v1"
CURRENT = {"Authorization": "Bearer k", "Api-Version-Date": "2026-10-15-1"}
LEGACY = {"Authorization": "Bearer k"}


@pytest.fixture(scope="module")
def client():
    from sandbox.testing import asgi_client, make_sandbox

    with asgi_client(make_sandbox(text=SCENARIO, providers=["whop"])) as c:
        yield c


@pytest.fixture(scope="module")
def docs(client):
    return {name: client.get(f"/_sandbox/openapi/{name}.json").json() for name in ("whop", "whop-legacy")}


def _version_param(doc, path, method):
    return next(p for p in doc["paths"][path][method]["parameters"] if p["name"] == "Api-Version-Date")


def test_both_families_validate_and_pin_their_versions(docs):
    for doc in docs.values():
        validate(doc)
    current = _version_param(docs["whop"], "/resolution_center_cases", "get")
    legacy = _version_param(docs["whop-legacy"], "/resolution_center_cases", "get")
    assert current["required"] is True and legacy.get("required") is not True
    assert set(current["schema"]["enum"]) | set(legacy["schema"]["enum"]) == set(versions.KNOWN_VERSIONS)
    assert all(versions.is_current(v) for v in current["schema"]["enum"])
    assert not any(versions.is_current(v) for v in legacy["schema"]["enum"])
    assert "/resolution_center_cases/{id}/accept" not in docs["whop-legacy"]["paths"]


def test_every_route_whop_serves_is_documented(docs):
    """Each (method, path) of the provider's routes appears in one of the two documents."""
    documented = {
        (method.upper(), (item.get("servers", [{"url": "/whop/api/v1"}])[0]["url"].removeprefix("/whop") + path))
        for doc in docs.values()
        for path, item in doc["paths"].items()
        for method in item
        if method != "servers"
    }
    served = set()
    for route in provider.routes:
        assert isinstance(route, Route)
        for method in route.methods or ():
            if method == "HEAD":
                continue
            path = route.path.replace("{id:path}", "{id}")
            if path.endswith("/{action}"):
                served |= {(method, path.replace("{action}", a)) for a in ("accept", "deny", "request_info", "reply", "appeal", "withdraw")}
            else:
                served.add((method, path))
    assert served - documented == set()


def test_errors_carry_the_documented_body_and_retry_after(docs):
    op = docs["whop"]["paths"]["/disputes"]["get"]["responses"]
    assert op["429"]["headers"]["Retry-After"]["schema"]["type"] == "integer"
    error = docs["whop"]["components"]["schemas"]["ErrorBody"]
    assert error["required"] == ["error"]


def test_the_control_routes_document_themselves():
    doc = Document("control", "1", servers=["/_sandbox"])
    provider.openapi_control(doc)
    built = doc.to_json()
    validate(built)
    assert {"/whop/payments/{id}/chargeback", "/whop/disputes/{id}/decide", "/whop/dispute_alerts"} <= set(built["paths"])


@pytest.mark.parametrize("headers", [CURRENT, LEGACY], ids=["current", "legacy"])
@pytest.mark.parametrize("name", ["first", "last", "direction", "created_after", "created_before"])
def test_an_empty_value_is_refused_not_taken_as_absent(client, headers, name):
    r = client.get(f"{API}/resolution_center_cases", params={name: ""}, headers=headers)
    assert r.status_code == 400 and r.json()["error"]["param"] == name


@pytest.mark.parametrize("name", ["status", "order", "account_id", "currency", "first"])
def test_an_empty_dispute_filter_is_refused(client, name):
    r = client.get(f"{API}/disputes", params={name: ""}, headers=CURRENT)
    assert r.status_code == 400 and r.json()["error"]["param"] == name


def test_an_empty_cursor_means_from_the_start(client):
    whole = client.get(f"{API}/resolution_center_cases", headers=CURRENT).json()
    empty = client.get(f"{API}/resolution_center_cases", params={"after": "", "before": ""}, headers=CURRENT).json()
    assert empty == whole and whole["data"]


@pytest.mark.parametrize("value", ["٣", "1_0", "+1", " 1", "²"])
@pytest.mark.parametrize("path,headers", [
    ("/resolution_center_cases", LEGACY), ("/resolution_center_cases", CURRENT),
    ("/disputes", CURRENT), ("/resolution_center_cases/reso_One/events", CURRENT),
])
def test_integers_are_ascii_digits_only(client, path, headers, value):
    r = client.get(f"{API}{path}", params={"first": value}, headers=headers)
    assert r.status_code == 400 and r.json()["error"]["param"] == "first"
    assert client.get(f"{API}{path}", params={"first": "1"}, headers=headers).status_code == 200


def test_a_version_with_non_ascii_digits_is_unknown(client):
    r = client.get(f"{API}/resolution_center_cases", headers={**LEGACY, "Api-Version-Date": "2026-10-15-١".encode()})
    assert r.status_code == 400 and r.json()["error"]["param"] == "Api-Version-Date"


def test_an_integral_float_byte_size_is_an_integer(client):
    """JSON Schema counts 1024.0 as an integer; POST /files takes it (found by fuzzing)."""
    r = client.post(f"{API}/files", json={"filename": "a.pdf", "byte_size": 1024.0}, headers=CURRENT)
    assert r.status_code == 201 and r.json()["size"] == 1024
    assert client.post(f"{API}/files", json={"filename": "a.pdf", "byte_size": 1.5}, headers=CURRENT).status_code == 400


def test_an_error_body_keeps_its_explicit_null_param(client):
    """Whop's error body is built through its model: `param: null` where the route says so, absent keys absent."""
    bad = client.post(f"{API}/files", content=b"{", headers={**CURRENT, "content-type": "application/json"})
    assert bad.status_code == 400 and bad.json() == {"error": {
        "type": "invalid_request_error", "message": "The request body is not valid JSON.", "code": "invalid_json", "param": None}}
    assert client.get(f"{API}/disputes", headers={"Authorization": "Bearer nope"}).json() == {
        "error": {"type": "unauthorized", "message": "Invalid or missing API key"}}


def test_lists_and_creates_link_to_their_retrieve(docs):
    link = docs["whop"]["paths"]["/disputes"]["get"]["responses"]["200"]["links"]["retrieve"]
    assert link == {"operationId": "retrieve_dispute", "parameters": {"id": "$response.body#/data/0/id"}}
    assert docs["whop"]["paths"]["/files"]["post"]["responses"]["201"]["links"]["retrieve"]["operationId"] == "retrieve_file"
    legacy = docs["whop-legacy"]["paths"]["/resolution_center_cases"]["get"]["responses"]["200"]["links"]
    assert legacy["retrieve"]["operationId"] == "retrieve_resolution_center_case"


def test_the_document_says_what_the_routes_refuse(docs):
    """Found by fuzzing: an attachment is exactly one of id/direct_upload_id, and a free-form query
    string is never empty (both are refused with a 400, so the document must not allow them)."""
    attach = docs["whop"]["components"]["schemas"]["Attach"]
    assert [sorted(o["required"]) for o in attach["oneOf"]] == [["id"], ["direct_upload_id"]]
    params = {p["name"]: p["schema"] for p in docs["whop"]["paths"]["/dispute_alerts"]["get"]["parameters"]}
    assert params["account_id"]["minLength"] == 1 and params["payment_id"]["minLength"] == 1


def test_the_examples_first_file_is_the_default_scenarios_first_file():
    """The upload examples PUT to the first file `POST /files` makes in the default scenario
    (openapi.FIRST_FILE): its id and token come from the seed, so a change there must show here."""
    from sandbox.providers.whop.openapi import DISPUTES, FIRST_FILE
    from sandbox.testing import asgi_client, make_sandbox

    with asgi_client(make_sandbox("default")) as c:
        made = c.post(f"{API}/files", json={"filename": "receipt.pdf"},
                      headers={**DISPUTES, "Api-Version-Date": "2026-08-21"}).json()
        assert (made["id"], made["upload_url"].split("token=")[1]) == (FIRST_FILE["id"], FIRST_FILE["token"])
        assert c.put(f"/whop/_uploads/{FIRST_FILE['id']}", params={"token": FIRST_FILE["token"]}, content=b"%PDF-1.4").status_code == 200


def test_every_operation_carries_examples_for_each_status_it_declares(docs):
    """Each authenticated operation's examples cover every status it declares but those marked
    `x-sandbox-not-fuzzed` (tests/test_openapi_contracts.py sends them)."""
    for doc in docs.values():
        for item in doc["paths"].values():
            for op in (o for o in item.values() if isinstance(o, dict) and "responses" in o):
                wanted = {int(c) for c, r in op["responses"].items() if "x-sandbox-not-fuzzed" not in r}
                sent = {e["status"] for e in op["x-sandbox-examples"] if e.get("operation_id") in (None, op["operationId"])}
                assert wanted <= sent, (op["operationId"], sorted(wanted - sent))
