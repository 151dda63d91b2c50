"""Opt-in dispute webhooks (not Shoplazza's: it has no dispute topic), delivered in Shoplazza's style."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import httpx
import pytest

from sandbox.testing import WebhookReceiver, live_sandbox

SCENARIO = """
version: 1
seed: 5
clock: {start: "2026-03-10T12:00:00Z"}
providers:
  shoplazza:
    stores:
      - id: "1001"
        subdomain: alpha
        tokens: [{token: tok_alpha}]
        disputes:
          - {id: dp_soon, status: needs_response, created_at: "2026-03-04T13:00:00Z"}
          - {id: dp_warn, status: warning_needs_response, created_at: "2026-03-09T10:00:00Z"}
      - id: "1002"
        subdomain: beta
        tokens: [{token: tok_beta}]
        disputes:
          - {id: dp_beta, status: warning_needs_response, created_at: "2026-03-09T10:00:00Z"}
"""


@pytest.fixture
def setup():
    with WebhookReceiver() as receiver, live_sandbox(text=SCENARIO, providers=["shoplazza"]) as server:
        yield server, receiver, server.subscribe("shoplazza", "alpha", receiver.url)




def verify(secret: str, body: bytes, signature: str) -> bool:
    """What a Shoplazza app does: base64 HMAC-SHA256 of the raw body, compared in constant time."""
    digest = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(digest, signature)


def test_receiver_verifies_the_hmac_and_sees_the_flagged_topic(setup):
    server, receiver, sub = setup
    assert sub["not_provider_feature"] is True
    assert len(sub["secret"]) == 32 and not sub["secret"].startswith("whsec_")
    escalated = httpx.post(server.url + "/_sandbox/shoplazza/disputes/dp_warn/escalate")
    assert escalated.status_code == 200
    httpx.post(server.url + "/_sandbox/shoplazza/disputes/dp_beta/escalate")  # other store: not delivered
    got = receiver.wait_for(1)
    time.sleep(0.2)
    assert len(receiver.received) == 1
    hook = got[0]
    assert verify(sub["secret"], hook.body, hook.headers["x-shoplazza-hmac-sha256"])
    assert not verify("wrong-secret", hook.body, hook.headers["x-shoplazza-hmac-sha256"])
    assert hook.headers["x-shoplazza-topic"] == "disputes/update"
    assert hook.headers["x-shoplazza-shop-domain"] == "alpha.myshoplaza.com"
    assert hook.headers["x-shoplazza-api-version"] == "2024-07"
    assert hook.headers["x-sandbox-invented-topic"] == "true"
    assert hook.headers["content-type"] == "application/json"
    body = json.loads(hook.body)
    assert body == {"dispute": escalated.json()["dispute"]}


def test_expiry_on_the_clock_is_delivered_and_retried_at_the_documented_offsets(setup):
    server, receiver, _ = setup
    receiver.fail_next = 10
    advance = lambda seconds: httpx.post(server.url + "/_sandbox/clock/advance", json={"seconds": seconds})  # noqa: E731
    advance(12 * 3600)  # dp_soon: created 03-04T13:00 + 7d, floored: 2026-03-11T00:00:00Z
    first = server.wait_deliveries(1)
    assert len(first) == 1 and first[0]["due_at"] == "2026-03-11T00:00:00.000Z"
    assert json.loads(first[0]["request"]["body"])["dispute"]["status"] == "lost"
    mine = {"message_id": first[0]["message_id"]}
    advance(59)
    time.sleep(0.2)
    assert len(server.deliveries(**mine)) == 1
    advance(1)  # +1m
    server.wait_deliveries(2, **mine)
    advance(120)  # +2m
    found = server.wait_deliveries(3, **mine)
    assert [d["due_at"][11:19] for d in found] == ["00:00:00", "00:01:00", "00:03:00"]
    dedupe = {d["request"]["headers"]["X-Shoplazza-Deduplication-ID"] for d in found}
    assert dedupe == {first[0]["message_id"]}


def test_redelivery_keeps_the_deduplication_id(setup):
    server, receiver, _ = setup
    httpx.post(server.url + "/_sandbox/shoplazza/disputes/dp_warn/respond")
    first = server.wait_deliveries(1)[0]
    assert (
        httpx.post(server.url + f"/_sandbox/webhooks/deliveries/{first['id']}/redeliver").status_code == 202
    )
    got = receiver.wait_for(2)
    assert [w.headers["x-shoplazza-deduplication-id"] for w in got] == [first["message_id"]] * 2
    assert got[0].body == got[1].body
