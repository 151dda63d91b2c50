"""The webhook endpoint API (`/stores/{storeId}/webhooks…`): the documented shapes, validation,
scopes, read after write, one object with `/_sandbox/webhooks`, and a client that registers its
own endpoint receiving signed deliveries: V2 verified with `standardwebhooks`, V1 per the docs'
`verifyV1`."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path

import httpx
import pytest
from standardwebhooks import Webhook

from sandbox.providers.pandabase.wire import (
    WebhookEndpointCreatedResponse,
    WebhookEndpointListResponse,
    WebhookEndpointResponse,
)
from sandbox.testing import WebhookReceiver, asgi_client, live_sandbox, make_sandbox

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pandabase"
STORE = "shp_hookapistore0000000001"
OTHER = "shp_hookapiother0000000001"
CASE = "cse_hookapicase00000000001"
BASE = f"/pandabase/v2/core/stores/{STORE}/webhooks"
RW = {"Authorization": "Bearer sk_hooks_rw"}
RO = {"Authorization": "Bearer sk_hooks_ro"}
SCENARIO = f"""
version: 1
seed: 3
clock: {{start: "2026-06-01T00:00:00Z"}}
providers:
  pandabase:
    rate_limits: {{per_second: 0}}
    stores:
      - id: {STORE}
        name: Hooks
        tokens:
          - {{secret: sk_hooks_rw, scopes: [WEBHOOKS_READ, WEBHOOKS_WRITE, DISPUTES_READ]}}
          - {{secret: sk_hooks_ro, scopes: [WEBHOOKS_READ]}}
        cases:
          - {{id: {CASE}, status: AWAITING_MERCHANT, order: {{id: ord_hookapiorder0000000001, amount: 4900, currency: USD}}}}
      - id: {OTHER}
        name: Other
        tokens: [{{secret: sk_other_rw, scopes: [WEBHOOKS_READ, WEBHOOKS_WRITE]}}]
"""
CREATE = {"url": "https://127.0.0.1:8443/webhooks/pandabase", "eventTypes": ["PAYMENT_DISPUTED"], "note": "Production"}


@pytest.fixture
def client():
    with asgi_client(make_sandbox(text=SCENARIO, providers=["pandabase"])) as client:
        yield client


def create(client, **body):
    response = client.post(BASE, json={**CREATE, **body}, headers=RW)
    assert response.status_code == 201, response.text
    return response.json()["data"]


def test_documented_examples_validate_against_the_wire_models():
    for name, model in (("webhook_list_example.json", WebhookEndpointListResponse),
                        ("webhook_create_example.json", WebhookEndpointCreatedResponse),
                        ("webhook_get_example.json", WebhookEndpointResponse),
                        ("webhook_update_example.json", WebhookEndpointResponse)):
        example = json.loads((FIXTURES / name).read_text())
        assert model.model_validate(example).model_dump(mode="json") == example
    with pytest.raises(ValueError):  # the secret is never part of a read
        WebhookEndpointResponse.model_validate(json.loads((FIXTURES / "webhook_create_example.json").read_text()))


def test_create_returns_the_secret_once_and_reads_back(client):
    made = create(client, signatureVersion="V1")
    example = json.loads((FIXTURES / "webhook_create_example.json").read_text())["data"]
    assert list(made) == list(example)
    assert made["id"].startswith("whk_") and 12 <= len(made["id"]) <= 48
    assert (made["url"], made["note"], made["isEnabled"], made["eventTypes"], made["signatureVersion"]) == (
        CREATE["url"], "Production", True, ["PAYMENT_DISPUTED"], "V1")
    assert made["createdAt"] == made["updatedAt"] == "2026-06-01T00:00:00.000Z"
    got = client.get(f"{BASE}/{made['id']}", headers=RO).json()["data"]
    assert "secret" not in got and got == {k: v for k, v in made.items() if k != "secret"}
    listed = client.get(BASE + "/", headers=RO).json()["data"]
    assert [i["id"] for i in listed["items"]] == [made["id"]]
    assert listed["pagination"] == {"page": 1, "limit": 20, "total": 1, "totalPages": 1}
    subs = client.get("/_sandbox/webhooks").json()["subscriptions"]  # the same object
    assert [(s["id"], s["url"], s["events"], s["secret"], s["tenant"]) for s in subs] == [
        (made["id"], CREATE["url"], ["PAYMENT_DISPUTED"], made["secret"], STORE)]
    default = create(client)
    assert default["signatureVersion"] == "V2" and default["secret"] != made["secret"]


def test_update_and_delete_read_after_write(client):
    made = create(client)
    hook = f"{BASE}/{made['id']}"
    client.post("/_sandbox/clock/advance", json={"duration": "1h"})
    patched = client.patch(hook, json={"note": None, "eventTypes": ["PAYMENT_DISPUTE_WON", "PAYMENT_DISPUTE_WON"],
                                       "signatureVersion": "V1"}, headers=RW)
    assert patched.status_code == 200, patched.text
    data = patched.json()["data"]
    assert (data["note"], data["eventTypes"], data["signatureVersion"], data["updatedAt"]) == (
        None, ["PAYMENT_DISPUTE_WON"], "V1", "2026-06-01T01:00:00.000Z")
    assert client.get(hook, headers=RO).json()["data"] == data
    assert client.get("/_sandbox/webhooks").json()["subscriptions"][0]["events"] == ["PAYMENT_DISPUTE_WON"]
    off = client.patch(hook, json={"isEnabled": False}, headers=RW).json()["data"]
    assert off["isEnabled"] is False
    assert client.get("/_sandbox/webhooks").json()["subscriptions"] == []  # disabled: not delivered to
    assert client.get(hook, headers=RO).json()["data"]["isEnabled"] is False
    on = client.patch(hook, json={"isEnabled": "true"}, headers=RW).json()["data"]
    assert on["isEnabled"] is True
    [sub] = client.get("/_sandbox/webhooks").json()["subscriptions"]
    assert (sub["id"], sub["secret"]) == (made["id"], made["secret"])  # same id, same secret
    deleted = client.delete(hook, headers=RW)
    assert deleted.json() == {"ok": True, "data": {"deleted": True}}
    assert client.get(hook, headers=RO).status_code == 404
    assert client.get("/_sandbox/webhooks").json()["subscriptions"] == []
    assert client.delete(hook, headers=RW).json() == {"ok": False, "error": "Webhook not found"}


def test_control_plane_subscriptions_show_in_the_api_and_deletes_follow(client):
    sub = client.post("/_sandbox/webhooks", json={"provider": "pandabase", "tenant": STORE, "url": "http://127.0.0.1:9/x"}).json()
    listed = client.get(BASE, headers=RO).json()["data"]["items"]
    assert [(i["id"], i["url"], i["signatureVersion"], len(i["eventTypes"])) for i in listed] == [(sub["id"], "http://127.0.0.1:9/x", "V2", 18)]
    made = create(client)
    client.delete(f"/_sandbox/webhooks/{made['id']}")
    assert [i["id"] for i in client.get(BASE, headers=RO).json()["data"]["items"]] == [sub["id"]]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "body must have required property 'url'"),
        ({"url": "https://127.0.0.1/h"}, "body must have required property 'eventTypes'"),
        ({**CREATE, "url": "http://example.com/h"}, 'body/url must match pattern "^https://"'),
        ({**CREATE, "url": "ftp://127.0.0.1/h"}, 'body/url must match pattern "^https://"'),
        ({**CREATE, "url": "https://"}, 'body/url must match format "uri"'),
        ({**CREATE, "url": "https://example.com/" + "a" * 500}, "body/url must NOT have more than 512 characters"),
        ({**CREATE, "url": ["https://example.com"]}, "body/url must be string"),
        ({**CREATE, "eventTypes": []}, "body/eventTypes must NOT have fewer than 1 items"),
        ({**CREATE, "eventTypes": "PAYMENT_DISPUTED"}, "body/eventTypes must be array"),
        ({**CREATE, "eventTypes": ["CASE_OPENED"]}, "body/eventTypes/0 must be equal to one of the allowed values"),
        ({**CREATE, "note": "n" * 257}, "body/note must NOT have more than 256 characters"),
        ({**CREATE, "note": {"a": 1}}, "body/note must be string"),
        ({**CREATE, "signatureVersion": "V3"}, "body/signatureVersion must be equal to one of the allowed values"),
    ],
)
def test_bad_create_bodies_are_400_and_store_nothing(client, body, error):
    response = client.post(BASE, json=body, headers=RW)
    assert (response.status_code, response.json()) == (400, {"ok": False, "error": error})
    assert client.get(BASE, headers=RO).json()["data"]["items"] == []
    assert client.get("/_sandbox/webhooks").json()["subscriptions"] == []


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({}, 400, "Nothing to update"),
        ({"isEnabled": "maybe"}, 400, "body/isEnabled must be boolean"),
        ({"url": "http://evil.example/h"}, 400, 'body/url must match pattern "^https://"'),
        ({"eventTypes": [1]}, 400, "body/eventTypes/0 must be equal to one of the allowed values"),
    ],
)
def test_bad_updates_are_refused_and_change_nothing(client, body, status, error):
    made = create(client)
    response = client.patch(f"{BASE}/{made['id']}", json=body, headers=RW)
    assert (response.status_code, response.json()) == (status, {"ok": False, "error": error})
    assert client.get(f"{BASE}/{made['id']}", headers=RO).json()["data"] == {k: v for k, v in made.items() if k != "secret"}


def test_targets_outside_webhook_allow_are_refused_as_on_the_control_plane(client):
    refused = client.post(BASE, json={**CREATE, "url": "https://example.com/webhooks/pandabase"}, headers=RW)
    assert refused.status_code == 400
    assert refused.json()["error"].startswith("Webhook URL refused by the sandbox: url: ") and "--webhook-allow" in refused.json()["error"]
    assert client.get(BASE, headers=RO).json()["data"]["items"] == [] and client.get("/_sandbox/webhooks").json()["subscriptions"] == []
    made = create(client)
    moved = client.patch(f"{BASE}/{made['id']}", json={"url": "https://10.1.2.3/h"}, headers=RW)
    assert moved.status_code == 400 and "--webhook-allow" in moved.json()["error"]
    assert client.get(f"{BASE}/{made['id']}", headers=RO).json()["data"]["url"] == CREATE["url"]


def test_the_documented_example_registers_where_webhook_allow_admits_it():
    from sandbox.providers import load_providers
    from sandbox.runtime import Sandbox
    from sandbox.webhooks import WebhookAllow

    sandbox = Sandbox(load_providers(["pandabase"]), webhook_allow=WebhookAllow.parse("*"))
    sandbox.load_text(SCENARIO)
    example = json.loads((FIXTURES / "webhook_create_example.json").read_text())["data"]
    with asgi_client(sandbox) as client:
        body = {k: example[k] for k in ("url", "eventTypes", "note")}
        made = client.post(BASE, json=body, headers=RW).json()["data"]
    assert {k: made[k] for k in ("url", "note", "isEnabled", "eventTypes", "signatureVersion")} == {
        k: example[k] for k in ("url", "note", "isEnabled", "eventTypes", "signatureVersion")}


def test_scopes_stores_and_limits(client):
    refused = client.post(BASE, json=CREATE, headers=RO)
    assert (refused.status_code, refused.json()["error"]) == (403, "Missing required permissions: WEBHOOKS_WRITE")
    assert client.get(BASE).status_code == 401
    made = create(client)
    other = {"Authorization": "Bearer sk_other_rw"}
    assert client.get(f"/pandabase/v2/core/stores/{OTHER}/webhooks/{made['id']}", headers=other).status_code == 404
    assert client.get(BASE, headers=other).status_code == 403
    assert client.get(f"{BASE}/whk_nosuchhook000000000001", headers=RO).json()["error"] == "Webhook not found"
    assert client.get(BASE, params={"limit": 101}, headers=RO).json()["error"] == "querystring/limit must be <= 100"
    for _ in range(49):
        create(client)
    full = client.post(BASE, json=CREATE, headers=RW)
    assert (full.status_code, full.json()["error"]) == (400, "Webhook limit reached (50 per store)")
    pages = [client.get(BASE, params={"page": p, "limit": 20}, headers=RO).json()["data"] for p in (1, 2, 3)]
    ids = [i["id"] for page in pages for i in page["items"]]
    assert len(ids) == len(set(ids)) == 50 and pages[0]["pagination"]["totalPages"] == 3


# -- deliveries to an endpoint the client registered itself ------------------------------------------


def verify_v1(headers: dict, raw_body: bytes, secret: str) -> bool:
    """The docs' Python `verify_v1`, as published (migrate-signatures)."""
    ts, sig = headers.get("webhook-timestamp"), headers.get("webhook-signature")
    if not ts or not sig:
        return False
    expected = hmac.new(secret.encode(), f"{ts}.{raw_body.decode()}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, sig):
        return False
    return abs(int(time.time() * 1000) - int(ts)) <= 5 * 60 * 1000


def test_an_endpoint_registered_through_the_api_receives_signed_deliveries():
    with WebhookReceiver() as receiver, live_sandbox(text=SCENARIO, providers=["pandabase"]) as server:
        api = server.url + BASE
        v2 = httpx.post(api, json={"url": receiver.url, "eventTypes": ["PAYMENT_DISPUTED", "PAYMENT_DISPUTE_WON"]}, headers=RW).json()["data"]
        v1 = httpx.post(api, json={"url": receiver.url, "eventTypes": ["PAYMENT_DISPUTED"], "signatureVersion": "V1"},
                        headers=RW).json()["data"]
        httpx.post(server.url + f"/_sandbox/pandabase/cases/{CASE}/dispute", json={"reason": "FRAUDULENT"})
        dispute = httpx.get(server.url + "/_sandbox/pandabase/disputes").json()["disputes"][0]
        httpx.post(server.url + f"/_sandbox/pandabase/disputes/{dispute['id']}/resolve", json={"outcome": "WON"})
        got = receiver.wait_for(3)
        assert len(got) == 3
        by_kind = {"v2": [], "v1": []}
        for hook in got:
            by_kind["v2" if hook.headers["webhook-signature"].startswith("v1,") else "v1"].append(hook)
        bodies = [Webhook(v2["secret"]).verify(h.body, h.headers) for h in by_kind["v2"]]
        assert sorted(b["event"] for b in bodies) == ["PAYMENT_DISPUTED", "PAYMENT_DISPUTE_WON"]
        [old] = by_kind["v1"]
        assert verify_v1(old.headers, old.body, v1["secret"])
        assert not verify_v1(old.headers, old.body, v2["secret"])
        assert len(old.headers["webhook-timestamp"]) == 13  # milliseconds
        assert old.headers["webhook-id"].startswith(v1["id"] + "/job_")
        assert old.headers["x-pandabase-idempotency"] == old.headers["webhook-id"]
        assert old.headers["x-pandabase-timestamp"] == old.headers["webhook-timestamp"]
        legacy = hmac.new(v1["secret"].encode(), old.body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(old.headers["x-pandabase-signature"], legacy)
        with pytest.raises(Exception, match="(?i)signature|timestamp"):  # a V2 SDK rejects V1, as the docs warn
            Webhook(v1["secret"]).verify(old.body, old.headers)
        event = json.loads(old.body)
        detail = httpx.get(server.url + f"/pandabase/v2/core/stores/{STORE}/cases/{CASE}",
                           headers={"Authorization": "Bearer sk_hooks_rw"})
        assert detail.status_code == 403  # the hooks token has no CASES_READ: the payload alone tells
        assert (event["event"], event["data"]["order"]["id"], event["data"]["order"]["status"]) == (
            "PAYMENT_DISPUTED", "ord_hookapiorder0000000001", "CHARGEBACK")
        won = next(b for b in bodies if b["event"] == "PAYMENT_DISPUTE_WON")
        assert won["data"]["order"]["status"] == "COMPLETED"
        listed = httpx.get(server.url + f"/pandabase/v2/core/stores/{STORE}/disputes/{dispute['id']}", headers=RW).json()
        assert listed["data"]["order"]["status"] == won["data"]["order"]["status"]
