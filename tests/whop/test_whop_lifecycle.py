"""Whop deadlines on the sandbox clock: exact transitions, events, timestamps; step invariance."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

URL = "/whop/api/v1/resolution_center_cases"
H = {"Authorization": "Bearer k"}

SCENARIO = """
version: 1
seed: 3
clock: {start: "2026-05-01T00:00:00Z"}
providers:
  whop:
    rules: {platform_review_time: 2d}
    companies:
      - id: biz_A
        title: A
        api_keys: [{key: k}]
        cases:
          - {id: reso_Due, status: merchant_response_needed, created_at: "-6d"}
          - {id: reso_Info, status: customer_info_needed, created_at: "-20d", updated_at: "-1d"}
          - {id: reso_Timeline, status: merchant_response_needed, created_at: "-1h"}
        generate: {count: 40}
    timeline:
      - {at: "+2h", id: reso_Timeline, action: customer_reply, data: {details: "Any news?"}}
      - {at: "+3h", id: reso_Timeline, action: withdraw}
"""


def get_case(client, case_id):
    return client.get(f"{URL}/{case_id}", headers=H).json()


def test_merchant_deadline_passes_to_platform_review_then_a_decision(sandbox_from):
    sandbox, client = sandbox_from(SCENARIO, ["whop"])
    before = get_case(client, "reso_Due")
    assert before["due_date"] == "2026-05-02T00:00:00.000Z"
    assert before["merchant_response_actions"] == ["accept", "deny", "request_more_info"]

    response = client.post("/_sandbox/clock/advance", json={"duration": "1d"})
    assert response.json()["now"] == "2026-05-02T00:00:00.000Z"
    after = get_case(client, "reso_Due")
    assert after["status"] == "under_platform_review"
    assert after["due_date"] is None
    assert after["updated_at"] == "2026-05-02T00:00:00.000Z"
    assert after["merchant_response_actions"] == []
    assert after["platform_response_actions"] == [
        "request_buyer_info", "request_merchant_info", "merchant_wins", "merchant_refund",
    ]
    assert after["resolution_events"][0]["action"] == "escalated"
    assert after["resolution_events"][0]["reporter_type"] == "system"
    assert after["resolution_events"][0]["created_at"] == "2026-05-02T00:00:00.000Z"

    client.post("/_sandbox/clock/advance", json={"seconds": 2 * 86400})
    decided = get_case(client, "reso_Due")
    assert decided["status"] in ("customer_won", "merchant_won")
    assert decided["updated_at"] == "2026-05-04T00:00:00.000Z"
    events = client.get("/_sandbox/events", params={"id": "reso_Due"}).json()["events"]
    assert [e["type"] for e in events] == [
        "resolution_center_case.updated",
        "resolution_center_case.updated",
        "resolution_center_case.decided",
    ]


def test_customer_info_deadline_closes_for_the_merchant(sandbox_from):
    _, client = sandbox_from(SCENARIO, ["whop"])
    client.post("/_sandbox/clock/set", json={"now": "2026-05-06T23:59:59Z"})
    assert get_case(client, "reso_Info")["status"] == "customer_info_needed"
    client.post("/_sandbox/clock/set", json={"now": "2026-05-07T00:00:00Z"})
    case = get_case(client, "reso_Info")
    assert case["status"] == "merchant_won"
    assert case["customer_response_actions"] == ["appeal"]


def test_timeline_fires_once_in_order(sandbox_from):
    _, client = sandbox_from(SCENARIO, ["whop"])
    client.post("/_sandbox/clock/advance", json={"duration": "1h59m"})
    assert len(get_case(client, "reso_Timeline")["resolution_events"]) == 1
    client.post("/_sandbox/clock/advance", json={"duration": "10h"})
    case = get_case(client, "reso_Timeline")
    assert case["status"] == "customer_withdrew"
    assert [e["action"] for e in case["resolution_events"]] == ["withdrew", "responded", "created"]
    assert case["resolution_events"][1]["details"] == "Any news?"
    client.post("/_sandbox/clock/advance", json={"duration": "30d"})
    assert len(get_case(client, "reso_Timeline")["resolution_events"]) == 3


def test_clock_refuses_to_go_back_and_reset_restores_the_start(sandbox_from):
    _, client = sandbox_from(SCENARIO, ["whop"])
    first = client.get(URL, params={"first": 100}, headers=H).content
    client.post("/_sandbox/clock/advance", json={"duration": "9d"})
    refused = client.post("/_sandbox/clock/set", json={"now": "2026-05-01T00:00:00Z"})
    assert refused.status_code == 400 and "backwards" in refused.json()["error"]
    assert client.post("/_sandbox/clock/advance", json={"seconds": -5}).status_code == 400
    assert client.get(URL, params={"first": 100}, headers=H).content != first
    assert client.post("/_sandbox/reset").status_code == 200
    assert client.get("/_sandbox/clock").json() == {"now": "2026-05-01T00:00:00.000Z"}
    assert client.get(URL, params={"first": 100}, headers=H).content == first


def test_forced_outcome_from_the_control_plane(sandbox_from):
    _, client = sandbox_from(SCENARIO, ["whop"])
    response = client.post("/_sandbox/whop/cases/reso_Due/resolve", json={"outcome": "merchant_won"})
    assert response.status_code == 200 and response.json()["status"] == "merchant_won"
    appeal = client.post("/_sandbox/whop/cases/reso_Due/appeal", json={"by": "customer"})
    assert appeal.json()["status"] == "under_platform_review" and appeal.json()["customer_appealed"] is True
    assert client.post("/_sandbox/whop/cases/reso_Due/resolve", json={"outcome": "nobody"}).status_code == 400
    assert client.post("/_sandbox/whop/cases/reso_Nope/resolve", json={}).status_code == 404


@settings(max_examples=15, deadline=None)
@given(steps=st.lists(st.integers(60, 3 * 86400), min_size=1, max_size=8))
def test_one_step_or_many_gives_the_same_state(steps):
    from sandbox.testing import asgi_client, make_sandbox

    one, many = (asgi_client(make_sandbox(text=SCENARIO, providers=["whop"])) for _ in range(2))
    one.post("/_sandbox/clock/advance", json={"seconds": sum(steps)})
    for step in steps:
        many.post("/_sandbox/clock/advance", json={"seconds": step})
    for client in (one, many):
        assert client.get("/_sandbox/clock").json() == one.get("/_sandbox/clock").json()
    listing = [c.get(URL, params={"first": 100}, headers=H).content for c in (one, many)]
    assert listing[0] == listing[1]
    details = [c.get(f"{URL}/reso_Due", headers=H).content for c in (one, many)]
    assert details[0] == details[1]
