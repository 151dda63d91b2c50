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
