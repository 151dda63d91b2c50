"""Shoplazza under bad input: control bodies validated before anything changes, forced faults of
every status in Shoplazza's shape, the core catch-all answering as Shoplazza does, and timeline
actions refused when due showing as events."""

from __future__ import annotations

import re

import pytest

BASE = "/shoplazza/openapi/2024-07/shoplazza-payment/disputes"
TOKEN = {"Access-Token": "tok_alpha"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def read(client, dispute_id):
    return client.get(f"{BASE}/{dispute_id}", headers=TOKEN).json()["data"]["dispute"]


BAD_ACTIONS = [
    ("resolve", {"outcome": 1}, "outcome"),
    ("resolve", {"outcome": "maybe"}, "outcome"),
    ("resolve", {}, "outcome"),
    ("set_status", {"status": ["won"]}, "status"),
    ("set_status", {"status": "lost", "expiration_time": 5}, "expiration_time"),
    ("set_status", {"status": "needs_response", "expiration_time": "tomorrow"}, "expiration_time"),
    ("respond", {"note": "x"}, "note"),
    ("escalate", {"fee": "9.00"}, "fee"),
]


@pytest.mark.parametrize(("action", "body", "field"), BAD_ACTIONS)
def test_action_bodies_are_validated_before_anything_changes(shz, action, body, field):
    _, client = shz
    before = read(client, "dp_alpha_warn")
    r = client.post(f"/_sandbox/shoplazza/disputes/dp_alpha_warn/{action}", json=body)
    assert r.status_code == 400, r.text
    assert any(p.startswith(field) for p in r.json()["problems"]), r.json()
    assert read(client, "dp_alpha_warn") == before
    assert client.get(BASE, headers=TOKEN).status_code == 200
    assert [e for e in client.get("/_sandbox/events?provider=shoplazza").json()["events"]] == []


@pytest.mark.parametrize(
    "body",
    [{"store": 1001}, {"store": ["alpha"]}, {"store": "alpha", "dispute_amount": [1]},
     {"store": "alpha", "currency": 7}, {"store": "alpha", "created_at": 12}, {"store": "alpha", "fee": "1e400"},
     {"store": "alpha", "nope": 1}, {}],
)
def test_open_dispute_refuses_wrong_types_and_stores_nothing(shz, body):
    sandbox, client = shz
    count = len(sandbox.state("shoplazza").disputes)
    r = client.post("/_sandbox/shoplazza/disputes", json=body)
    assert r.status_code == 400 and r.json()["problems"], r.text
    assert len(sandbox.state("shoplazza").disputes) == count
    assert client.get(BASE, headers=TOKEN, params={"limit": 100}).status_code == 200


@pytest.mark.parametrize("raw", [b"[]", b"nope", b'"x"'])
def test_control_bodies_that_are_not_objects(shz, raw):
    _, client = shz
    for path in ("/_sandbox/shoplazza/disputes", "/_sandbox/shoplazza/disputes/dp_alpha_warn/respond"):
        r = client.post(path, content=raw, headers={"content-type": "application/json"})
        assert r.status_code == 400 and "error" in r.json()


@pytest.mark.parametrize("status", range(400, 600))
def test_forced_fault_of_every_status_in_shoplazza_shape(shz, status):
    _, client = shz
    assert client.post("/_sandbox/faults", json={"provider": "shoplazza", "status": status}).status_code == 201
    r = client.get(BASE, headers=TOKEN)
    assert r.status_code == status and UUID.match(r.headers["request-id"])
    body = r.json()
    assert set(body) in ({"errors"}, {"error"}, {"code", "message"})
    assert client.get(BASE, headers=TOKEN).status_code == 200


@pytest.mark.parametrize("path", ["/shoplazza/nowhere", "/shoplazza/openapi/2024-07/orders", "/shoplazza/admin/x"])
def test_core_catch_all_answers_as_shoplazza(shz, path):
    _, client = shz
    for method in ("GET", "POST", "DELETE"):
        r = client.request(method, path, headers=TOKEN)
        assert (r.status_code, r.json()) == (404, {"errors": ["Not Found"]})
        assert UUID.match(r.headers["request-id"])


def test_timeline_action_refused_when_due_is_a_visible_event(sandbox_from, shz_scenario, caplog):
    timeline = """    timeline:
      - {at: "+1h", id: dp_alpha_needs, action: escalate}
      - {at: "+2h", id: dp_alpha_needs, action: respond}
      - {at: "+3h", id: dp_alpha_needs, action: resolve, data: {outcome: banana}}"""
    _, client = sandbox_from(shz_scenario(timeline), providers=["shoplazza"])
    with caplog.at_level("WARNING", logger="sandbox.timeline"):
        events = client.post("/_sandbox/clock/advance", json={"duration": "4h"}).json()["events"]
    refused = [e for e in events if e["type"] == "sandbox.timeline_refused"]
    assert [(e["data"]["action"], e["object_id"], e["tenant"]) for e in refused] == [
        ("escalate", "dp_alpha_needs", "alpha"), ("resolve", "dp_alpha_needs", "alpha")]
    assert refused[0]["data"]["reason"].startswith("only an open warning escalates")
    assert refused[0]["at"].startswith("2026-03-10T13:00:00")
    assert any(e["type"] == "disputes/update" and e["data"]["cause"] == "responded" for e in events)
    assert sum("refused" in r.getMessage() for r in caplog.records) == 2
