"""Lifecycle on the sandbox clock, control routes, timelines, reset, and webhook payloads."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.providers.orderprotection import provider
from sandbox.testing import asgi_client, make_sandbox
from sandbox.timefmt import parse_instant

PENDING = "cpending000000000000000001"
HOLD = "chold00000000000000000001"
NEW = "cnew000000000000000000001"
CTRL = "/_sandbox/orderprotection/claims/"


def _claim(client, claim_id):
    return client.get(CTRL + claim_id).json()


def test_loading_emits_nothing(small, sandbox_from, k):
    sandbox, _ = small
    assert sandbox.events.query(provider="orderprotection") == []
    default, _ = sandbox_from(k.default_text(), providers=["orderprotection"])
    assert default.events.query(provider="orderprotection") == []


def test_pending_claim_auto_closes_at_the_exact_instant(small):
    sandbox, client = small
    # updated (entered Pending) at -1d; 7 days of silence → closed at +6d
    sandbox.advance_clock(timedelta(days=6) - timedelta(seconds=1))
    assert _claim(client, PENDING)["claimState"] == "WAITING_FOR_CUSTOMER"
    sandbox.advance_clock(timedelta(seconds=5))
    claim = _claim(client, PENDING)
    assert claim["claimState"] == "CLOSED"
    assert claim["updatedAt"] == "2026-12-02T12:00:00.000Z"
    last = claim["claimMessages"][-1]
    assert (last["senderType"], last["authorName"]) == ("system", "OrderProtection")
    assert last["message"] == "Claim closed automatically: no reply from the customer within 7 days."
    events = [e for e in sandbox.events.query(object_id=PENDING)]
    assert [(e.type, e.at, e.data["state"]) for e in events] == [
        ("message.created", parse_instant("2026-12-02T12:00:00Z"), {"from": "WAITING_FOR_CUSTOMER", "to": "CLOSED"})
    ]
    assert events[0].data["message_id"] == last["id"]


def test_on_hold_claim_returns_to_todo(small):
    sandbox, client = small
    sandbox.advance_clock(timedelta(days=3))
    claim = _claim(client, HOLD)
    assert claim["claimState"] == "OPEN" and claim["updatedAt"] == "2026-11-28T12:00:00.000Z"
    assert claim["claimMessages"][-1]["message"] == "Claim moved back to To Do after 3 days on hold."
    assert len(sandbox.events.query(object_id=HOLD)) == 1


def test_customer_reply_moves_pending_to_todo_and_cancels_auto_close(small):
    sandbox, client = small
    sandbox.advance_clock(timedelta(days=1))
    r = client.post(CTRL + PENDING + "/message", json={"message": "Photos attached."})
    assert r.status_code == 200 and r.json()["claimState"] == "COMMUNICATING"
    assert r.json()["updatedAt"] == "2026-11-27T12:00:00.000Z"
    msg = r.json()["claimMessages"][-1]
    assert (msg["senderType"], msg["message"], msg["authorName"]) == ("customer", "Photos attached.", r.json()["authorName"])
    sandbox.advance_clock(timedelta(days=30))
    assert _claim(client, PENDING)["claimState"] == "COMMUNICATING"
    types = [e.type for e in sandbox.events.query(object_id=PENDING)]
    assert types == ["message.created"]


def test_resolve_approve_and_deny(small, k):
    sandbox, client = small
    r = client.post(CTRL + NEW + "/resolve", json={"outcome": "approve", "type": "RESHIP"})
    assert r.status_code == 200
    claim = r.json()
    assert claim["claimState"] == "APPROVED" and claim["resolutionDate"] == "2026-11-26T12:00:00.000Z"
    res = claim["claimResolutions"][-1]
    assert (res["resolution"], res["resolutionType"], res["claimState"]) == ("RESHIP", "RESHIP", "APPROVED")
    assert [e.type for e in sandbox.events.query(object_id=NEW)] == ["message.created", "claim.approved"]
    # visible through the API too
    listed = client.get(k.BASE + "/claims", params={"claimState": "APPROVED", "first": 100}, headers=k.RW).json()
    assert NEW in [e["node"]["id"] for e in listed["edges"]]
    r = client.post(CTRL + NEW + "/deny", json={})
    assert r.status_code == 400 and r.json() == {"error": f"claim {NEW} is already APPROVED"}
    r = client.post(CTRL + HOLD + "/resolve", json={"outcome": "deny", "type": "REFUND"})
    assert r.status_code == 400 and r.json()["error"].startswith("type must be one of ADDRESS_TYPO")
    r = client.post(CTRL + HOLD + "/resolve", json={"outcome": "deny", "type": "POTENTIAL_FRAUD"})
    assert r.json()["claimState"] == "DENIED" and r.json()["claimResolutions"][-1]["paidValue"] == 0
    r = client.post(CTRL + HOLD + "/resolve", json={"outcome": "maybe"})
    assert r.status_code == 400
    assert client.post(CTRL + "cnothing/resolve", json={"outcome": "approve"}).status_code == 404


def test_store_credit_approval_issues_a_credit(small):
    _, client = small
    claim = client.post(CTRL + NEW + "/approve", json={"type": "STORE_CREDIT"}).json()
    assert claim["claimResolutions"][-1]["creditStore"] is True
    credit = claim["storeCredits"][-1]
    assert credit["type"] == "GIFT_CARD" and credit["creditValue"] == claim["claimResolutions"][-1]["paidValue"]


def test_set_state_and_delete(small, k):
    sandbox, client = small
    r = client.post(CTRL + NEW + "/set_state", json={"state": "WAITING_FOR_CUSTOMER"})
    assert r.json()["claimState"] == "WAITING_FOR_CUSTOMER"
    sandbox.advance_clock(timedelta(days=7))
    assert _claim(client, NEW)["claimState"] == "CLOSED"
    assert client.post(CTRL + NEW + "/set_state", json={"state": "LOST"}).status_code == 400
    r = client.post(CTRL + NEW + "/delete", json={})
    assert r.json()["deletedAt"] == "2026-12-03T12:00:00.000Z"
    listed = client.get(k.BASE + "/claims?first=100", headers=k.RW).json()
    assert NEW not in [e["node"]["id"] for e in listed["edges"]]
    assert client.post(CTRL + NEW + "/message", json={"message": "hi"}).status_code == 400


TIMELINE = """
    timeline:
      - {at: "+1h", id: cnew000000000000000000001, action: set_state, data: {state: OPEN}}
      - {at: "+2h", id: cnew000000000000000000001, action: message, data: {message: "Any news?"}}
      - {at: "+3h", id: cnew000000000000000000001, action: approve, data: {type: REFUND}}
      - {at: "+90m", id: chold00000000000000000001, action: deny, data: {type: NOT_COVERED}}
    rules:
      pending_auto_close: 1d
"""


def test_timeline_fires_once_in_order_and_rules_override(sandbox_from, k):
    text = k.SMALL.replace("    apps:", TIMELINE + "    apps:")
    sandbox, client = sandbox_from(text, providers=["orderprotection"])
    # pending_auto_close 1d: entered Pending at -1d → closes at the start, during load
    assert _claim(client, PENDING)["claimState"] == "CLOSED"
    sandbox.advance_clock(timedelta(hours=5))
    sandbox.advance_clock(timedelta(hours=5))
    claim = _claim(client, NEW)
    assert claim["claimState"] == "APPROVED"
    assert [m["message"] for m in claim["claimMessages"][-3:]] == [
        "Claim status changed from NEW to OPEN.", "Any news?", "Claim approved: REFUND."
    ]
    events = [e for e in sandbox.events.query(provider="orderprotection") if e.object_id in (PENDING, HOLD, NEW)]
    assert [(e.type, e.object_id[:5], e.at.hour) for e in events] == [
        ("message.created", "cpend", 12),
        ("message.created", "cnew0", 13),
        ("message.created", "chold", 13),
        ("claim.denied", "chold", 13),
        ("message.created", "cnew0", 14),
        ("message.created", "cnew0", 15),
        ("claim.approved", "cnew0", 15),
    ]


def _snapshot(client, k):
    pages = [client.get(k.BASE + "/claims?first=100", headers=h).content for h in (k.RW, k.BETA)]
    controls = [client.get(CTRL + i).content for i in (PENDING, HOLD, NEW)]
    return pages, controls


@settings(max_examples=12, deadline=None)
@given(steps=st.lists(st.integers(1, 36 * 3600), min_size=1, max_size=12))
def test_one_step_equals_many_steps(k_session, steps):
    k = k_session
    total = timedelta(days=10)
    one = make_sandbox(text=k.SMALL, providers=["orderprotection"])
    one.advance_clock(total)
    many = make_sandbox(text=k.SMALL, providers=["orderprotection"])
    end = many.now() + total
    for seconds in steps:
        if many.now() + timedelta(seconds=seconds) >= end:
            break
        many.advance_clock(timedelta(seconds=seconds))
    many.set_clock(end)
    with asgi_client(one) as a, asgi_client(many) as b:
        assert _snapshot(a, k) == _snapshot(b, k)
    strip = lambda s: [(e.type, e.object_id, e.at, e.data) for e in s.events.query()]  # noqa: E731
    assert strip(one) == strip(many) and len(strip(one)) >= 2


def test_reset_is_byte_identical(small, k):
    sandbox, client = small
    before = _snapshot(client, k)
    client.post(k.BASE + "/claims/A-100", headers=k.RW, json={
        "email": "ada@example.com", "issues": [{"issueType": "STOLEN", "sourceItemId": "it-1"}],
    })
    client.post("/_sandbox/clock/advance", json={"duration": "8d"})
    assert _snapshot(client, k) != before
    assert client.post("/_sandbox/reset").status_code == 200
    assert _snapshot(client, k) == before
    assert sandbox.events.query(provider="orderprotection") == []


# -- webhooks ------------------------------------------------------------------------------------


def _messages(sandbox, event):
    """The reference-dialect messages: what a subscription listing no events receives."""
    found = provider.webhook_messages(sandbox.state("orderprotection"), event)
    return [m for m in found if m.type in provider.webhook_default_events]


def test_webhook_claim_created_and_message(small, k):
    sandbox, client = small
    client.post(k.BASE + "/claims/A-100", headers=k.RW, json={
        "email": "ada@example.com",
        "issues": [{"issueType": "MISSING_ITEM", "quantity": 2, "sourceItemId": "it-2", "details": "Two mugs missing."}],
    })
    created, message = sandbox.events.query(provider="orderprotection")
    [hook] = _messages(sandbox, created)
    payload = hook.payload
    assert hook.type == "claim.created" and hook.message_id == payload["id"]
    assert list(payload) == ["id", "topic", "created_at", "body"]
    assert payload["topic"] == "claim.created" and payload["created_at"] == "2026-11-26T12:00:00Z"
    import uuid

    assert uuid.UUID(payload["id"]).version == 4
    body = payload["body"]
    order = sandbox.state("orderprotection").orders[("alpha", "A-100")]
    assert body["order_id"] == order.id and body["source_order_id"] == "A-100"
    assert (body["claim_type"], body["claim_state"], body["claim_description"]) == ("MISSING_ITEM", "NEW", "Two mugs missing.")
    assert body["items"] == [{
        "product_id": order.items[1].source_product_id, "variant_id": order.items[1].source_variant_id,
        "sku": "MUG-1", "item_id": "it-2", "item_name": "Mug", "quantity": 2,
    }]
    assert _messages(sandbox, created)[0].message_id == hook.message_id  # stable across calls
    [note] = _messages(sandbox, message)
    assert note.payload["topic"] == "message.created"
    assert note.payload["body"]["message"].startswith("A claim was filed for order #100. View it in the dashboard: https://")
    assert note.message_id != hook.message_id


def test_webhook_approved_amount_rule_and_denied_zeros(small):
    sandbox, client = small
    state = sandbox.state("orderprotection")
    claim = state.claims.get(PENDING)
    order = state.orders[("alpha", "A-100")]
    client.post(CTRL + PENDING + "/approve", json={"type": "RESHIP"})
    approved = sandbox.events.query(provider="orderprotection")[-1]
    assert approved.type == "claim.approved"
    [hook] = _messages(sandbox, approved)
    [res] = hook.payload["body"]["resolutions"]
    expected = sum(
        (i.price - i.discount + i.tax) * c.quantity for c in claim.items for i in order.items if i.id == c.item_id
    ) + order.shipping_amount + order.shipping_tax
    assert res["type"] == "RESHIP"
    assert res["details"]["total_refund_amount"] == round(expected, 2)
    assert res["details"]["shipping_address"] == order.address
    assert list(res["details"]) == ["items", "currency", "total_refund_amount", "shipping_amount", "shipping_amount_tax", "shipping_address"]
    assert res["details"]["items"][0]["resolution_percentage"] == 100
    assert res["details"]["items"][0]["resolution_flat_amount"] is None
    client.post(CTRL + HOLD + "/deny", json={"type": "NO_RESPONSE"})
    denied = sandbox.events.query(provider="orderprotection")[-1]
    [hook] = _messages(sandbox, denied)
    details = hook.payload["body"]["resolutions"][0]["details"]
    assert hook.payload["topic"] == "claim.denied"
    assert (details["total_refund_amount"], details["shipping_amount"], details["shipping_amount_tax"]) == (0, 0, 0)


def test_webhook_headers_and_registration():
    # the four claim/message topics, now with protection.* and the developer-app (slash) dialect
    claim_topics = {"claim.created", "claim.approved", "claim.denied", "message.created"}
    assert set(provider.webhook_default_events) == claim_topics | {"protection.added", "protection.removed"}
    assert set(provider.webhook_types) == set(provider.webhook_default_events) | {
        t.replace(".", "/") for t in provider.webhook_default_events
    }
    assert [d.total_seconds() for d in provider.webhook_retry_delays] == [60, 300, 1800]
    headers = provider.webhook_headers("s3cret", None, b"{}", None)
    assert headers["x-webhook-secret"] == "s3cret"
    assert not any("signature" in h.lower() for h in headers)
