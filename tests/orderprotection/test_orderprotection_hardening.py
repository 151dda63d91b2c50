"""Hardening: control bodies validated before anything is stored, forced faults of every status in
NestJS's shape, timeline actions refused when they fire made visible, bad timeline data refused at load."""

from __future__ import annotations

import logging
from datetime import timedelta
from http import HTTPStatus

import pytest

from sandbox.scenario import ScenarioError
from sandbox.testing import make_sandbox

CTRL = "/_sandbox/orderprotection/claims/"
NEW = "cnew000000000000000000001"
HOLD = "chold00000000000000000001"


@pytest.mark.parametrize(
    "action,body,field",
    [
        ("set_state", {"state": "OPEN", "message": 123}, "message"),
        ("set_state", {"state": 5}, "state"),
        ("set_state", {}, "state"),
        ("set_state", {"state": "OPEN", "message": "x" * 100_000}, "message"),
        ("message", {"message": 123}, "message"),
        ("message", {"message": "hi", "sender_type": ["brand"]}, "sender_type"),
        ("message", {"message": "hi", "author_name": {"a": 1}}, "author_name"),
        ("approve", {"type": "REFUND", "paid_value": "100"}, "paid_value"),
        ("approve", {"type": "REFUND", "paid_value": 1e300}, "paid_value"),
        ("approve", {"type": "REFUND", "paid_value": True}, "paid_value"),
        ("deny", {"details": 7}, "details"),
        ("approve", {"typo": 1}, "typo"),
        ("delete", {"now": 1}, "now"),
        ("resolve", {"outcome": "approve", "type": 3}, "type"),
    ],
)
def test_bad_control_body_is_400_naming_the_field_and_stores_nothing(small, k, action, body, field):
    _, client = small
    before = client.get(CTRL + NEW).content
    listed = client.get(k.BASE + "/claims?first=100", headers=k.RW).content
    r = client.post(CTRL + NEW + "/" + action, json=body)
    assert r.status_code == 400
    assert field in r.json()["error"]
    assert client.get(CTRL + NEW).content == before
    after = client.get(k.BASE + "/claims?first=100", headers=k.RW)
    assert after.status_code == 200 and after.content == listed


def test_set_state_message_123_leaves_the_list_readable(small, k):
    _, client = small
    assert client.post(CTRL + NEW + "/set_state", json={"state": "OPEN", "message": 123}).status_code == 400
    assert client.get(k.BASE + "/claims", headers=k.RW).status_code == 200
    assert client.get(CTRL + NEW).json()["claimState"] == "NEW"


@pytest.mark.parametrize("raw", [b"[1,2]", b"{not json", b'"text"'])
def test_control_body_that_is_not_an_object_is_400(small, raw):
    _, client = small
    r = client.post(CTRL + NEW + "/message", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400 and "error" in r.json()


def test_empty_control_body_names_the_missing_field(small):
    _, client = small
    r = client.post(CTRL + NEW + "/message")
    assert r.status_code == 400 and "message" in r.json()["error"]


@pytest.mark.parametrize("status", range(400, 600))
def test_forced_fault_of_every_status_keeps_it_in_nestjs_shape(small, k, status):
    _, client = small
    assert client.post("/_sandbox/faults", json={"provider": "orderprotection", "status": status}).status_code == 201
    r = client.get(k.BASE + "/claims", headers=k.RW)
    assert r.status_code == status
    body = r.json()
    assert body["statusCode"] == status
    assert isinstance(body["message"], (str, list)) and body["message"]
    assert set(body) <= {"statusCode", "message", "error"}
    if 400 < status < 500 and status not in (401, 403, 404, 429):
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Request failed"
        assert body == {"statusCode": status, "message": phrase}
    if status >= 500:
        assert body == {"statusCode": status, "message": "Internal server error"}
    if status == 429:
        assert r.headers["retry-after"] == "1"


REFUSED = """
    timeline:
      - {at: "+1h", id: cnew000000000000000000001, action: approve, data: {type: REFUND}}
      - {at: "+2h", id: cnew000000000000000000001, action: deny, data: {type: NOT_COVERED}}
      - {at: "+3h", id: cgone000000000000000000001, action: message, data: {message: "hello?"}}
"""


def test_timeline_action_invalid_when_it_fires_is_a_visible_event_and_a_log_line(sandbox_from, k, caplog):
    text = k.SMALL.replace("    apps:", REFUSED + "    apps:")
    sandbox, client = sandbox_from(text, providers=["orderprotection"])
    with caplog.at_level(logging.WARNING, logger="sandbox"):
        sandbox.advance_clock(timedelta(hours=4))
    refused = [e for e in sandbox.events.query(provider="orderprotection") if e.type == "sandbox.timeline_refused"]
    assert [(e.object_id, e.data["action"], e.at.hour) for e in refused] == [
        (NEW, "deny", 14),
        ("cgone000000000000000000001", "message", 15),
    ]
    assert "already APPROVED" in refused[0].data["reason"]
    assert "deleted" in refused[1].data["reason"]
    assert refused[0].tenant == "alpha"
    assert client.get(CTRL + NEW).json()["claimState"] == "APPROVED"
    logged = [r.getMessage() for r in caplog.records if "timeline" in r.getMessage()]
    assert len(logged) == 2 and "refused" in logged[0]
    events = client.get("/_sandbox/events", params={"provider": "orderprotection"}).json()
    listed = events["events"] if isinstance(events, dict) else events
    assert sum(1 for e in listed if e["type"] == "sandbox.timeline_refused") == 2


BAD_DATA = """
    timeline:
      - {at: "+1h", id: cnew000000000000000000001, action: set_state, data: {state: OPEN, message: 123}}
      - {at: "+1h", id: cnew000000000000000000001, action: approve, data: {paid_value: "lots"}}
"""


def test_timeline_data_of_the_wrong_type_is_a_scenario_problem(k):
    text = k.SMALL.replace("    apps:", BAD_DATA + "    apps:")
    with pytest.raises(ScenarioError) as info:
        make_sandbox(text=text, providers=["orderprotection"])
    text_lines = "\n".join(info.value.lines)
    assert "providers.orderprotection.timeline[0].data.message" in text_lines
    assert "providers.orderprotection.timeline[1].data.paid_value" in text_lines
