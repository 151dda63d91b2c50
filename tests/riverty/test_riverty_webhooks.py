"""Riverty webhook messages: the Header/Body envelope and the `Riverty-Signature` HMAC."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from datetime import UTC, datetime, timedelta

import httpx
import orjson

from sandbox.providers.riverty import provider
from sandbox.testing import WebhookReceiver, live_sandbox, make_sandbox


def _messages(C):
    sandbox = make_sandbox(text=C.SCENARIO, providers=["riverty"])
    sandbox.advance_clock(timedelta(days=30))
    state = sandbox.state("riverty")
    return [m for e in sandbox.events.query() for m in provider.webhook_messages(state, e)], sandbox


def test_envelope_shape_and_stable_message_ids(C):
    messages, sandbox = _messages(C)
    assert messages and {m.type for m in messages} <= set(provider.webhook_types)
    rfi = next(m for m in messages if m.payload["Body"]["DisputeId"] == C.OPEN_ID)
    assert rfi.type == "RequestForInformationEvent"
    header = rfi.payload["Header"]
    assert list(header) == ["TransmittedTimestamp", "ClientId", "MessageName", "Version", "MessageId", "ShopId", "CountryCode"]
    assert header["TransmittedTimestamp"] == "2025-06-20T12:00:00.0000000+00:00"
    assert header["ClientId"] == 1 and header["ShopId"] == "RTY000002240" and header["CountryCode"] == "DE"
    assert header["MessageName"] == "RequestForInformationEvent" and header["Version"] == "1.0"
    assert re.match(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", header["MessageId"])
    assert header["MessageId"] == rfi.message_id
    assert rfi.payload["Body"] == {"DisputeId": C.OPEN_ID, "TicketNumber": "D-0001-4112", "InvoiceNumber": "INV#1234",
                                   "ReasonCode": "R3", "StageId": 2, "Decision": None}
    assert len({m.message_id for m in messages}) == len(messages)
    again, _ = _messages(C)
    assert [m.message_id for m in again] == [m.message_id for m in messages]  # same after a rebuild
    # events with no Riverty webhook produce no message
    state = sandbox.state("riverty")
    quiet = [e for e in sandbox.events.query() if e.type.startswith("sandbox.")]
    assert all(provider.webhook_messages(state, e) == [] for e in quiet)


def verify(secret: str, header: str, body: bytes) -> bool:
    """What a receiver does: split on `,` then `=`, recompute over `t.body`, compare."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    if "t" not in parts or "v1" not in parts:
        return False
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def test_signature_is_hmac_sha256_of_t_dot_body(C):
    messages, _ = _messages(C)
    body = orjson.dumps(messages[0].payload)
    at = datetime(2025, 6, 20, 12, 0, 5, tzinfo=UTC)
    headers = provider.webhook_headers("whsec_riverty", messages[0], body, at)
    value = headers["Riverty-Signature"]
    match = re.fullmatch(r"t=(\d+),v1=([0-9a-f]{64})", value)
    assert match and int(match.group(1)) == int(at.timestamp())
    expected = hmac.new(b"whsec_riverty", match.group(1).encode() + b"." + body, hashlib.sha256).hexdigest()
    assert match.group(2) == expected
    assert verify("whsec_riverty", value, body)
    assert not verify("other", value, body) and not verify("whsec_riverty", value, body + b" ")


def test_retry_schedule_and_types():
    assert list(provider.webhook_types) == [
        "DisputeNotificationEvent", "RequestForInformationEvent", "InitialDecisionEvent", "FinalDecisionEvent", "CancellationEvent",
    ]
    assert [d.total_seconds() for d in provider.webhook_retry_delays] == [60, 300, 1800, 7200]


def test_live_delivery_is_signed_and_retried_on_the_clock(C):
    with WebhookReceiver() as receiver, live_sandbox(text=C.SCENARIO, providers=["riverty"]) as server:
        sub = httpx.post(server.url + "/_sandbox/webhooks", json={"provider": "riverty", "tenant": "1", "url": receiver.url})
        assert sub.status_code == 201, sub.text
        secret = sub.json()["secret"]
        httpx.post(server.url + f"/_sandbox/riverty/disputes/{C.OPEN_ID}/cancel", json={})
        got = receiver.wait_for(1)
        body = json.loads(got[0].body)
        assert body["Header"]["MessageName"] == "CancellationEvent" and body["Body"]["DisputeId"] == C.OPEN_ID
        assert verify(secret, got[0].headers["riverty-signature"], got[0].body)
        assert not verify(secret + "x", got[0].headers["riverty-signature"], got[0].body)
        # a failing receiver gets the same MessageId at +1 min, +5 min, ... on the sandbox clock
        receiver.fail_next = 10
        httpx.post(server.url + f"/_sandbox/riverty/disputes/{C.RFI_ID}/cancel", json={})
        first = server.wait_deliveries(1, type="CancellationEvent")
        mine = {"message_id": next(d["message_id"] for d in first if d["state"] == "failed")}
        httpx.post(server.url + "/_sandbox/clock/advance", json={"seconds": 59})
        time.sleep(0.2)
        assert len(server.deliveries(**mine)) == 1
        httpx.post(server.url + "/_sandbox/clock/advance", json={"seconds": 1})
        assert [d["attempt"] for d in server.wait_deliveries(2, **mine)] == [1, 2]
        httpx.post(server.url + "/_sandbox/clock/advance", json={"seconds": 300})
        found = server.wait_deliveries(3, **mine)
        assert [d["due_at"][11:19] for d in found] == ["12:00:00", "12:01:00", "12:06:00"]
