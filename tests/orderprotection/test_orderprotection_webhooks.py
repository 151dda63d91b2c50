"""OrderProtection webhooks end to end: a real receiver checks `x-webhook-secret`; retries on the clock."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from sandbox.testing import WebhookReceiver, live_sandbox

SCENARIO = """
version: 1
seed: 3
clock: {start: "2026-05-01T00:00:00Z"}
providers:
  orderprotection:
    stores:
      - id: shop1
        tokens: [{token: op_at_shop1}]
        orders:
          - source_order_id: "9001"
            source_order_number: "#9001"
            customer_email: kim@example.com
            fulfilled_at: -1d
            items: [{name: Lamp, source_item_id: "li-1", price: 40.0}]
        claims:
          - {id: cwaiting00000000000000001, state: WAITING_FOR_OP, created_at: -1h}
"""
AUTH = {"Authorization": "Bearer op_at_shop1"}


@pytest.fixture
def setup():
    with WebhookReceiver() as receiver, live_sandbox(text=SCENARIO, providers=["orderprotection"]) as server:
        yield server, receiver, server.subscribe("orderprotection", "shop1", receiver.url)




def test_receiver_checks_the_shared_secret(setup):
    server, receiver, sub = setup
    r = httpx.post(
        server.url + "/orderprotection/v1/claims/9001",
        headers=AUTH,
        json={"email": "kim@example.com", "issues": [{"issueType": "DAMAGED", "sourceItemId": "li-1"}]},
    )
    assert r.status_code == 201
    got = receiver.wait_for(2)
    assert len(got) == 2
    for hook in got:
        assert hook.headers["x-webhook-secret"] == sub["secret"]  # what the receiver compares
        assert hook.headers["content-type"].startswith("application/json")
    topics = sorted(json.loads(h.body)["topic"] for h in got)
    assert topics == ["claim.created", "message.created"]
    created = next(json.loads(h.body) for h in got if json.loads(h.body)["topic"] == "claim.created")
    assert created["body"]["source_order_id"] == "9001" and created["body"]["claim_state"] == "NEW"
    assert created["created_at"] == "2026-05-01T00:00:00Z"


def test_approval_is_delivered_and_retried_on_the_clock(setup):
    server, receiver, _ = setup
    receiver.fail_next = 10
    httpx.post(server.url + "/_sandbox/orderprotection/claims/cwaiting00000000000000001/resolve",
               json={"outcome": "approve", "type": "REFUND"})
    first = server.wait_deliveries(2)
    approved = next(d for d in first if d["type"] == "claim.approved")
    mine = {"message_id": approved["message_id"]}
    advance = lambda s: httpx.post(server.url + "/_sandbox/clock/advance", json={"seconds": s})  # noqa: E731
    advance(59)
    time.sleep(0.2)
    assert len(server.deliveries(**mine)) == 1
    advance(1)
    server.wait_deliveries(2, **mine)
    advance(300)
    server.wait_deliveries(3, **mine)
    advance(1800)
    found = server.wait_deliveries(4, **mine)
    assert [d["due_at"][11:19] for d in found] == ["00:00:00", "00:01:00", "00:06:00", "00:36:00"]
    advance(86400)
    time.sleep(0.2)
    assert len(server.deliveries(**mine)) == 4


def test_dialect_is_chosen_per_subscription_by_its_topics(setup):
    server, receiver, default_sub = setup
    dev = server.subscribe("orderprotection", "shop1", receiver.url, events=["claim/created", "message/created"])
    assert dev["events"] == ["claim/created", "message/created"]
    assert default_sub["events"] == [
        "claim.created", "claim.approved", "claim.denied", "message.created", "protection.added", "protection.removed",
    ]
    r = httpx.post(
        server.url + "/orderprotection/v1/claims/9001",
        headers=AUTH,
        json={"email": "kim@example.com", "issues": [{"issueType": "DAMAGED", "sourceItemId": "li-1"}]},
    )
    assert r.status_code == 201
    got = receiver.wait_for(4)
    assert len(got) == 4
    by_topic = {json.loads(h.body)["topic"]: (h, json.loads(h.body)) for h in got}
    assert sorted(by_topic) == ["claim.created", "claim/created", "message.created", "message/created"]
    hook, created = by_topic["claim/created"]
    assert hook.headers["x-webhook-secret"] == dev["secret"]
    assert list(created) == ["topic", "body"]  # no event id in this dialect
    body = created["body"]
    assert list(body)[:2] == ["claimId", "storeId"] and body["storeId"] == "shop1"
    assert body["sourceOrderId"] == "9001" and body["claimState"] == "NEW"
    assert body["items"][0]["itemId"] == "li-1" and "item_id" not in body["items"][0]
    _, reference = by_topic["claim.created"]
    assert reference["body"]["claim_id"] == body["claimId"]
    time.sleep(0.2)
    assert len(receiver.received) == 4  # nobody got both dialects


def test_developer_app_approval_matches_the_documented_example(setup, k):
    server, receiver, _ = setup
    server.subscribe("orderprotection", "shop1", receiver.url, events=["claim/approved"])
    example = json.loads((k.FIXTURES / "webhook_dev_app_example.json").read_text())
    httpx.post(server.url + "/_sandbox/orderprotection/claims/cwaiting00000000000000001/approve", json={"type": "RESHIP"})
    got = receiver.wait_for(3)
    dev = [json.loads(h.body) for h in got if json.loads(h.body)["topic"] == "claim/approved"]
    assert len(dev) == 1
    payload = dev[0]
    assert list(payload) == list(example)
    assert list(payload["body"])[:2] == list(example["body"])[:2]
    assert [list(r) for r in payload["body"]["resolutions"]] == [list(example["body"]["resolutions"][0])]
    assert payload["body"]["resolutions"][0]["type"] == "RESHIP"


def test_protection_added_and_removed(setup, k):
    server, receiver, sub = setup
    url = server.url + "/_sandbox/orderprotection/stores/shop1/orders/9001/protection"
    example = json.loads((k.FIXTURES / "webhook_protection_added_example.json").read_text())
    assert httpx.post(url, json={"action": "add"}).status_code == 409  # scenario orders are protected
    removed = httpx.post(url, json={"action": "remove"})
    assert removed.status_code == 200 and removed.json()["policyCancelledAt"] == "2026-05-01T00:00:00.000Z"
    added = httpx.post(url, json={"action": "add", "amount": 5.99})
    assert added.status_code == 200 and added.json()["policyCancelledAt"] is None
    assert added.json()["premiumPaid"] == 5.99
    got = sorted((json.loads(h.body) for h in receiver.wait_for(2)), key=lambda p: p["topic"], reverse=True)
    assert [p["topic"] for p in got] == ["protection.removed", "protection.added"]
    for payload in got:
        assert list(payload) == list(example) and list(payload["body"]) == list(example["body"])
        assert payload["body"]["source_order_id"] == "9001" and payload["body"]["currency"] == "USD"
    assert got[1]["body"]["amount"] == 5.99
    assert got[0]["body"]["amount"] == 1.2  # the refund: the 3 % premium of the $40 lamp (minimum 0.98)
    order = httpx.get(server.url + "/orderprotection/v1/orders/9001", headers={"Authorization": "Bearer op_at_shop1"})
    assert order.status_code == 403  # the scenario token has claim scopes only


@pytest.mark.parametrize(
    "body,status,field",
    [
        ({}, 400, "action"),
        ({"action": "toggle"}, 400, "action"),
        ({"action": "add", "amount": "5"}, 400, "amount"),
        ({"action": "add", "amount": -1}, 400, "amount"),
        ({"action": "add", "amount": 1e300}, 400, "amount"),
        ({"action": "remove", "extra": 1}, 400, "extra"),
    ],
)
def test_bad_protection_body_is_refused_and_stores_nothing(sandbox_from, k, body, status, field):
    sandbox, client = sandbox_from(k.SMALL, providers=["orderprotection"])
    url = "/_sandbox/orderprotection/stores/alpha/orders/A-100/protection"
    before = sandbox.state("orderprotection").orders[("alpha", "A-100")].policy_cancelled_at
    r = client.post(url, json=body)
    assert r.status_code == status and field in r.json()["error"]
    assert sandbox.state("orderprotection").orders[("alpha", "A-100")].policy_cancelled_at == before
    assert [e for e in sandbox.events.query(provider="orderprotection")] == []
    assert client.post("/_sandbox/orderprotection/stores/alpha/orders/nope/protection", json={"action": "remove"}).status_code == 404
    assert client.post(url, content=b"[1]", headers={"content-type": "application/json"}).status_code == 400


def test_subscription_events_choose_the_dialect_through_the_control_plane(sandbox_from, k):
    _, client = sandbox_from(k.SMALL, providers=["orderprotection"])
    base = {"provider": "orderprotection", "tenant": "alpha", "url": "http://127.0.0.1:9/hook"}
    plain = client.post("/_sandbox/webhooks", json=base).json()
    assert plain["events"] == list(provider_types()[0])
    dev = client.post("/_sandbox/webhooks", json={**base, "events": ["protection/added"]}).json()
    assert dev["events"] == ["protection/added"]
    back = client.patch(f"/_sandbox/webhooks/{dev['id']}", json={"events": []})
    assert back.status_code == 200 and back.json()["events"] == list(provider_types()[0])
    bad = client.post("/_sandbox/webhooks", json={**base, "events": ["claim:created"]})
    assert bad.status_code == 400 and "claim:created" in bad.json()["error"]
    listed = client.get("/_sandbox/webhooks").json()["subscriptions"]
    assert sorted(s["id"] for s in listed) == sorted([plain["id"], dev["id"]])


def provider_types():
    from sandbox.providers.orderprotection import provider

    return provider.webhook_default_events, provider.webhook_types
