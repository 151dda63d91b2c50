"""Pandabase dispute webhooks: Standard Webhooks V2, verified by the standardwebhooks library."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import httpx
import pytest
from standardwebhooks import Webhook

from sandbox.testing import WebhookReceiver, live_sandbox

STORE = "shp_webhookstore0000000001"
SCENARIO = f"""
version: 1
seed: 5
clock: {{start: "2026-06-01T00:00:00Z"}}
providers:
  pandabase:
    stores:
      - id: {STORE}
        name: Hooks
        tokens: [{{secret: sk_hooks}}]
        cases:
          - {{id: cse_webhookcase000000000001, status: AWAITING_MERCHANT, order: {{id: ord_webhookorder0000000001, amount: 4900, currency: USD}}}}
"""
CASE = "cse_webhookcase000000000001"


@pytest.fixture
def setup():
    with WebhookReceiver() as receiver, live_sandbox(text=SCENARIO, providers=["pandabase"]) as server:
        yield server, receiver


def subscribe(server, receiver, **extra):
    response = httpx.post(
        server.url + "/_sandbox/webhooks", json={"provider": "pandabase", "tenant": STORE, "url": receiver.url, **extra}
    )
    assert response.status_code == 201, response.text
    return response.json()




def test_dispute_events_are_signed_standard_webhooks_v2(setup):
    server, receiver = setup
    sub = subscribe(server, receiver)
    assert sub["secret"].startswith("whsec_")
    # case activity sends nothing: Pandabase has no case webhook event
    httpx.post(server.url + f"/_sandbox/pandabase/cases/{CASE}/customer-reply", json={"body": "hi"})
    httpx.post(server.url + f"/_sandbox/pandabase/cases/{CASE}/dispute", json={"reason": "FRAUDULENT"})
    dispute = httpx.get(server.url + "/_sandbox/pandabase/disputes").json()["disputes"][0]
    httpx.post(server.url + f"/_sandbox/pandabase/disputes/{dispute['id']}/resolve", json={"outcome": "WON"})
    got = receiver.wait_for(2)
    assert len(got) == 2
    bodies = [Webhook(sub["secret"]).verify(w.body, w.headers) for w in got]
    assert [b["event"] for b in bodies] == ["PAYMENT_DISPUTED", "PAYMENT_DISPUTE_WON"]
    first = bodies[0]
    assert list(first) == ["event", "id", "timestamp", "data"]
    assert first["id"].startswith("evt_") and first["id"] == got[0].headers["webhook-id"]
    assert first["timestamp"] == "2026-06-01T00:00:00.000Z"
    order = first["data"]["order"]
    assert (order["id"], order["status"], order["amount"], order["currency"]) == ("ord_webhookorder0000000001", "CHARGEBACK", 4900, "USD")
    assert list(first["data"]) == ["order", "customer", "geo"]
    assert first["data"]["customer"]["id"].startswith("cus_")
    assert len(got[0].headers["webhook-timestamp"]) == 10  # seconds, not milliseconds (V1)
    assert got[0].headers["webhook-signature"].startswith("v1,")
    with pytest.raises(Exception, match="(?i)signature"):
        Webhook("whsec_" + base64.b64encode(b"wrong").decode()).verify(got[0].body, got[0].headers)


def test_a_non_whsec_secret_is_keyed_with_its_utf8_bytes(setup):
    server, receiver = setup
    secret = "whk_secret_abc123"
    subscribe(server, receiver, secret=secret)
    httpx.post(server.url + f"/_sandbox/pandabase/cases/{CASE}/dispute", json={})
    hook = receiver.wait_for(1)[0]
    signed = f"{hook.headers['webhook-id']}.{hook.headers['webhook-timestamp']}.".encode() + hook.body
    expected = base64.b64encode(hmac.new(secret.encode(), signed, hashlib.sha256).digest()).decode()
    assert hook.headers["webhook-signature"] == f"v1,{expected}"  # the docs' manual verifier


def test_retries_follow_the_documented_schedule(setup):
    server, receiver = setup
    subscribe(server, receiver)
    receiver.fail_next = 10
    httpx.post(server.url + f"/_sandbox/pandabase/cases/{CASE}/dispute", json={})
    first = server.wait_deliveries(1)
    mine = {"message_id": first[0]["message_id"]}
    advance = lambda s: httpx.post(server.url + "/_sandbox/clock/advance", json={"seconds": s})  # noqa: E731
    advance(4)
    time.sleep(0.2)
    assert len(server.deliveries(**mine)) == 1
    advance(1)  # +5 s
    server.wait_deliveries(2, **mine)
    advance(299)
    time.sleep(0.2)
    assert len(server.deliveries(**mine)) == 2
    advance(1)  # +5 s +5 min
    found = server.wait_deliveries(3, **mine)
    assert [d["due_at"][11:19] for d in found] == ["00:00:00", "00:00:05", "00:05:05"]
    assert {d["message_id"] for d in found} == {first[0]["message_id"]}


def test_messages_and_delays_from_the_provider_hooks():
    from sandbox.events import Event
    from sandbox.providers.pandabase import provider

    assert len(provider.webhook_types) == 18 and "PAYMENT_DISPUTE_LOST" in provider.webhook_types
    assert [d.total_seconds() for d in provider.webhook_retry_delays] == [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]
    assert provider.webhook_messages(None, Event(1, "pandabase", "case.updated", CASE, STORE, None, {})) == []
    order = {"id": "ord_x00000000000", "orderNumber": "cs_x", "status": "CHARGEBACK", "amount": 1, "currency": "USD",
             "customFields": {}, "metadata": {}, "items": []}
    event = Event(2, "pandabase", "PAYMENT_DISPUTED", "dsp_1", STORE, None,
                  {"eventId": "evt_1", "timestamp": "2026-06-01T00:00:00.000Z", "order": order, "customer": None})
    [message] = provider.webhook_messages(None, event)
    assert message.message_id == "evt_1" and json.loads(json.dumps(message.payload))["data"]["order"] == order
