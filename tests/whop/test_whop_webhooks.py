"""Whop webhooks: signed per Standard Webhooks, verified by the official SDK, retried on the clock."""

from __future__ import annotations

import base64
import json
import time

import httpx
import pytest

from sandbox.testing import WebhookReceiver, live_sandbox

SCENARIO = """
version: 1
seed: 11
clock: {start: "2026-05-01T00:00:00Z"}
providers:
  whop:
    companies:
      - id: biz_A
        title: A
        api_keys: [{key: k}]
        cases:
          - {id: reso_Due, status: merchant_response_needed, created_at: "-6d23h59m59s"}
          - {id: reso_Other, status: merchant_response_needed, created_at: "-1d"}
"""


@pytest.fixture
def setup():
    with WebhookReceiver() as receiver, live_sandbox(text=SCENARIO, providers=["whop"]) as server:
        yield server, receiver, server.subscribe("whop", "biz_A", receiver.url)




def test_the_official_sdk_verifies_the_signature(setup, whop_legacy):
    server, receiver, sub = setup
    assert sub["secret"].startswith("ws_")
    httpx.post(server.url + "/_sandbox/whop/cases/reso_Other/resolve", json={"outcome": "merchant_won"})
    got = receiver.wait_for(2)
    assert len(got) == 2
    client = whop_legacy.Whop(api_key="x", webhook_key=base64.b64encode(sub["secret"].encode()).decode())
    events = [client.webhooks.unwrap(w.body.decode(), headers=w.headers) for w in got]
    assert sorted(e.type for e in events) == ["resolution_center_case.decided", "resolution_center_case.updated"]
    decided = next(e for e in events if e.type == "resolution_center_case.decided")
    assert decided.data.status == "merchant_won" and decided.data.id == "reso_Other"
    assert decided.company_id == "biz_A"
    assert all(json.loads(w.body)["id"] == w.headers["webhook-id"] for w in got)
    wrong = whop_legacy.Whop(api_key="x", webhook_key=base64.b64encode(b"ws_wrong").decode())
    with pytest.raises(Exception, match="(?i)signature"):
        wrong.webhooks.unwrap(got[0].body.decode(), headers=got[0].headers)


def test_retries_follow_the_documented_offsets_on_the_clock(setup):
    server, receiver, _ = setup
    receiver.fail_next = 10
    httpx.post(server.url + "/_sandbox/whop/cases/reso_Other/act", json={"action": "withdraw"})
    first = server.wait_deliveries(1)
    assert len(first) == 1
    mine = {"message_id": first[0]["message_id"]}
    advance = lambda s: httpx.post(server.url + "/_sandbox/clock/advance", json={"seconds": s})  # noqa: E731
    advance(9)
    time.sleep(0.2)
    assert len(server.deliveries(**mine)) == 1  # not before +10 s
    advance(1)
    assert [d["attempt"] for d in server.wait_deliveries(2, **mine)] == [1, 2]
    advance(19)
    time.sleep(0.2)
    assert len(server.deliveries(**mine)) == 2
    advance(1)  # +30 s: 10 then 20
    server.wait_deliveries(3, **mine)
    advance(40)  # +70 s: then 40
    found = server.wait_deliveries(4, **mine)
    assert [d["attempt"] for d in found] == [1, 2, 3, 4]
    assert [d["due_at"][11:19] for d in found] == ["00:00:00", "00:00:10", "00:00:30", "00:01:10"]
    assert {d["message_id"] for d in found} == {found[0]["message_id"]}
    assert all(d["state"] == "failed" and d["response"]["status"] == 500 for d in found)
    advance(3600)
    time.sleep(0.2)
    assert len(server.deliveries(**mine)) == 4  # gave up after three retries


def test_redelivery_keeps_the_message_id(setup):
    server, receiver, _ = setup
    httpx.post(server.url + "/_sandbox/whop/cases/reso_Other/act", json={"action": "withdraw"})
    first = server.wait_deliveries(1)[0]
    response = httpx.post(server.url + f"/_sandbox/webhooks/deliveries/{first['id']}/redeliver")
    assert response.status_code == 202
    got = receiver.wait_for(2)
    assert [w.headers["webhook-id"] for w in got] == [first["message_id"]] * 2
    assert got[0].body == got[1].body


def test_deadline_expiry_is_delivered(setup):
    server, receiver, _ = setup
    httpx.post(server.url + "/_sandbox/clock/advance", json={"seconds": 1})
    got = receiver.wait_for(1)
    body = json.loads(got[0].body)
    assert body["type"] == "resolution_center_case.updated"
    assert body["data"]["id"] == "reso_Due" and body["data"]["status"] == "under_platform_review"
    assert body["timestamp"] == "2026-05-01T00:00:01.000Z"


def test_a_hanging_receiver_does_not_slow_the_api(setup):
    server, receiver, sub = setup
    receiver.hang_seconds = 6
    httpx.patch(server.url + f"/_sandbox/webhooks/{sub['id']}", json={"timeout": 4})
    httpx.post(server.url + "/_sandbox/whop/cases/reso_Other/act", json={"action": "withdraw"})
    receiver.wait_for(1)
    for _ in range(5):
        listed = httpx.get(server.url + "/whop/api/v1/resolution_center_cases", headers={"Authorization": "Bearer k"})
        assert listed.status_code == 200
    # the five calls were answered while the attempt still waited on the hanging receiver
    attempts = httpx.get(server.url + "/_sandbox/webhooks/deliveries").json()["deliveries"]
    assert [a["state"] for a in attempts if a["type"] == "resolution_center_case.updated"] == ["pending"], attempts
    found = server.wait_deliveries(1, type="resolution_center_case.updated")
    assert found[0]["error"] == "timed out after 4.0s"


def test_subscription_input_is_validated(setup):
    server, receiver, _ = setup
    bad = [
        {"provider": "whop", "tenant": "biz_A", "url": "not a url"},
        {"provider": "whop", "tenant": "biz_Nope", "url": receiver.url},
        {"provider": "whop", "tenant": "biz_A", "url": receiver.url, "events": ["case.exploded"]},
        {"provider": "nope", "tenant": "biz_A", "url": receiver.url},
    ]
    for body in bad:
        response = httpx.post(server.url + "/_sandbox/webhooks", json=body)
        assert response.status_code == 400 and response.json()["error"], body


def test_duplicate_and_out_of_order_toggles(setup):
    server, receiver, sub = setup
    toggled = httpx.patch(server.url + f"/_sandbox/webhooks/{sub['id']}", json={"duplicate": True})
    assert toggled.json()["duplicate"] is True
    httpx.post(server.url + "/_sandbox/whop/cases/reso_Other/act", json={"action": "withdraw"})
    got = receiver.wait_for(2)
    assert len(got) == 2 and got[0].headers["webhook-id"] == got[1].headers["webhook-id"]

    httpx.patch(server.url + f"/_sandbox/webhooks/{sub['id']}", json={"duplicate": False, "out_of_order": True})
    receiver.received.clear()
    httpx.post(server.url + "/_sandbox/clock/advance", json={"seconds": 1})  # reso_Due: updated
    httpx.post(server.url + "/_sandbox/whop/cases/reso_Due/resolve", json={"outcome": "merchant_won"})
    # one batch per clock move: the two events of the resolve arrive newest first
    got = receiver.wait_for(3)
    types = [json.loads(w.body)["type"] for w in got[1:]]
    assert types == ["resolution_center_case.decided", "resolution_center_case.updated"]


def test_a_subscription_pinned_to_a_current_version_gets_the_current_shape():
    from whop_sdk.lib.verify_webhook import unwrap

    with WebhookReceiver() as receiver, WebhookReceiver() as other, live_sandbox(text=SCENARIO, providers=["whop"]) as server:
        current = server.subscribe("whop", "biz_A", receiver.url, version="2026-10-15-1")
        legacy = server.subscribe("whop", "biz_A", other.url)
        assert current["version"] == "2026-10-15-1" and legacy["version"] is None
        bogus = httpx.post(server.url + "/_sandbox/webhooks", json={"provider": "whop", "tenant": "biz_A", "url": receiver.url, "version": "2031-01-01"})
        assert bogus.status_code == 400 and "Api-Version-Date" in bogus.text
        httpx.post(server.url + "/_sandbox/whop/cases/reso_Other/resolve", json={"outcome": "merchant_won"})
        pinned, plain = receiver.wait_for(2), other.wait_for(2)
    assert len(pinned) == 2 and len(plain) == 2
    bodies = [unwrap(w.body, headers=w.headers, key=current["secret"]) for w in pinned]
    updated = next(b for b in bodies if b["type"] == "resolution_center_case.updated")
    assert updated["api_version_date"] == "2026-10-15-1" and updated["account_id"] == "biz_A"
    assert updated["data"]["status"] == "closed" and updated["data"]["outcome"] == "merchant_won"
    assert updated["previous_attributes"] == {"status": "awaiting_merchant"}
    assert "company_id" not in updated
    legacy_body = json.loads(plain[0].body)
    assert "company_id" in legacy_body and "api_version_date" not in legacy_body
    assert legacy_body["data"]["status"] == "merchant_won"
