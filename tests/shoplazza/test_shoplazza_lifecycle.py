"""Shoplazza lifecycle on the sandbox clock: expirations, reviews, timelines, controls, reset."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.testing import make_sandbox

BASE = "/shoplazza/openapi/2024-07/shoplazza-payment/disputes"
TOKEN = {"Access-Token": "tok_alpha"}


def dispute(client, dispute_id: str, token: str = "tok_alpha") -> dict:
    response = client.get(f"{BASE}/{dispute_id}", headers={"Access-Token": token})
    assert response.status_code == 200, response.text
    return response.json()["data"]["dispute"]


def advance_to(client, instant: str) -> list[dict]:
    response = client.post("/_sandbox/clock/set", json={"now": instant})
    assert response.status_code == 200, response.text
    return [e for e in response.json()["events"] if e["provider"] == "shoplazza"]


def shoplazza_events(client) -> list[dict]:
    return client.get("/_sandbox/events", params={"provider": "shoplazza"}).json()["events"]


def test_loading_emits_no_events_and_all_deadlines_are_ahead(shz):
    sandbox, client = shz
    assert shoplazza_events(client) == []
    assert sandbox.world.scheduler.next_due() > sandbox.now()


def test_needs_response_past_expiration_is_lost_at_the_exact_instant(shz):
    _, client = shz
    assert dispute(client, "dp_alpha_needs")["expiration_time"] == "2026-03-15T00:00:00Z"
    early = advance_to(client, "2026-03-14T23:59:59Z")
    assert all(e["object_id"] != "dp_alpha_needs" for e in early)
    assert dispute(client, "dp_alpha_needs")["status"] == "needs_response"
    advance_to(client, "2026-03-15T00:00:00Z")
    after = dispute(client, "dp_alpha_needs")
    assert (after["status"], after["updated_at"], after["expiration_time"]) == (
        "lost",
        "2026-03-15T00:00:00Z",
        "2026-03-15T00:00:00Z",
    )
    mine = [e for e in shoplazza_events(client) if e["object_id"] == "dp_alpha_needs"]
    assert [(e["type"], e["data"], e["at"], e["tenant"]) for e in mine] == [
        (
            "disputes/update",
            {"status": {"from": "needs_response", "to": "lost"}, "cause": "expired"},
            "2026-03-15T00:00:00.000Z",
            "alpha",
        )
    ]


def test_warning_states_close(shz):
    _, client = shz
    advance_to(client, "2026-03-20T00:00:00Z")
    warn = dispute(client, "dp_alpha_warn")
    assert (warn["status"], warn["updated_at"]) == ("warning_closed", "2026-03-16T00:00:00Z")
    review = dispute(client, "dp_alpha_wreview")
    assert (review["status"], review["updated_at"]) == ("warning_closed", "2026-03-18T00:00:00Z")
    assert warn["fee"] == "0.00"


def test_under_review_is_decided_after_the_review_time(shz):
    _, client = shz
    advance_to(client, "2026-04-07T23:59:59Z")
    assert dispute(client, "dp_alpha_review")["status"] == "under_review"
    advance_to(client, "2026-04-08T00:00:00Z")
    decided = dispute(client, "dp_alpha_review")
    assert decided["status"] in ("won", "lost")
    assert decided["updated_at"] == "2026-04-08T00:00:00Z"
    events = [e for e in shoplazza_events(client) if e["object_id"] == "dp_alpha_review"]
    assert [e["data"]["status"]["to"] for e in events] == [decided["status"]]


def test_status_filter_follows_transitions(shz):
    _, client = shz
    lost_before = {
        d["id"]
        for d in client.get(BASE, headers=TOKEN, params={"status": "lost", "limit": 100}).json()["data"][
            "list"
        ]
    }
    assert "dp_alpha_needs" not in lost_before
    advance_to(client, "2026-03-15T00:00:00Z")
    lost_after = {
        d["id"]
        for d in client.get(BASE, headers=TOKEN, params={"status": "lost", "limit": 100}).json()["data"][
            "list"
        ]
    }
    needs = {
        d["id"]
        for d in client.get(BASE, headers=TOKEN, params={"status": "needs_response", "limit": 100}).json()[
            "data"
        ]["list"]
    }
    assert "dp_alpha_needs" in lost_after - lost_before
    assert "dp_alpha_needs" not in needs


def _snapshot(sandbox) -> list[tuple]:
    state = sandbox.state("shoplazza")
    return sorted((d.id, d.status, d.updated_at, d.expiration_time, d.fee) for d in state.disputes)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.integers(min_value=1, max_value=20 * 86400), min_size=1, max_size=12))
def test_one_step_and_many_steps_give_identical_state(shz_scenario, steps):
    scenario = shz_scenario()
    total = timedelta(seconds=sum(steps))
    one = make_sandbox(text=scenario, providers=["shoplazza"])
    many = make_sandbox(text=scenario, providers=["shoplazza"])
    one.advance_clock(total)
    for step in steps:
        many.advance_clock(timedelta(seconds=step))
    assert _snapshot(one) == _snapshot(many)
    strip = [(e.type, e.object_id, e.at, e.data) for e in one.events.query("shoplazza")]
    assert strip == [(e.type, e.object_id, e.at, e.data) for e in many.events.query("shoplazza")]


def test_reset_restores_the_start_byte_for_byte(shz):
    _, client = shz
    before = client.get(BASE, headers=TOKEN, params={"limit": 100}).content
    advance_to(client, "2026-05-01T00:00:00Z")
    assert client.get(BASE, headers=TOKEN, params={"limit": 100}).content != before
    assert client.post("/_sandbox/reset").status_code == 200
    assert client.get(BASE, headers=TOKEN, params={"limit": 100}).content == before
    assert shoplazza_events(client) == []


def test_same_seed_same_state_other_seed_other_state(shz_scenario):
    a = make_sandbox(text=shz_scenario(), providers=["shoplazza"])
    b = make_sandbox(text=shz_scenario(), providers=["shoplazza"])
    c = make_sandbox(text=shz_scenario().replace("seed: 7", "seed: 8"), providers=["shoplazza"])
    assert _snapshot(a) == _snapshot(b)
    assert _snapshot(a) != _snapshot(c)


def test_timeline_entries_fire_once_in_order(sandbox_from, shz_scenario):
    extra = """    timeline:
      - {at: "+2h", id: dp_alpha_warn, action: escalate}
      - {at: "+1h", id: dp_alpha_needs, action: respond}
      - {at: "+3h", id: dp_alpha_needs, action: resolve, data: {outcome: won}}
      - {at: "+4h", id: dp_alpha_warn, action: set_status, data: {status: needs_response, expiration_time: "+1d"}}"""
    _, client = sandbox_from(shz_scenario(extra), providers=["shoplazza"])
    events = advance_to(client, "2026-03-10T16:00:00Z")
    assert [(e["object_id"], e["data"]["status"], e["data"]["cause"], e["at"]) for e in events] == [
        (
            "dp_alpha_needs",
            {"from": "needs_response", "to": "under_review"},
            "responded",
            "2026-03-10T13:00:00.000Z",
        ),
        (
            "dp_alpha_warn",
            {"from": "warning_needs_response", "to": "needs_response"},
            "escalated",
            "2026-03-10T14:00:00.000Z",
        ),
        ("dp_alpha_needs", {"from": "under_review", "to": "won"}, "resolved", "2026-03-10T15:00:00.000Z"),
        (
            "dp_alpha_warn",
            {"from": "needs_response", "to": "needs_response"},
            "set_status",
            "2026-03-10T16:00:00.000Z",
        ),
    ]
    assert advance_to(client, "2026-03-10T18:00:00Z") == []
    warn = dispute(client, "dp_alpha_warn")
    assert (warn["status"], warn["fee"], warn["expiration_time"]) == (
        "needs_response",
        "15.00",
        "2026-03-11T16:00:00Z",
    )
    # the escalation's own deadline was replaced: it expires on the new one only
    events = advance_to(client, "2026-03-25T00:00:00Z")
    warn_events = [e for e in events if e["object_id"] == "dp_alpha_warn"]
    assert [(e["data"]["status"]["to"], e["at"]) for e in warn_events] == [
        ("lost", "2026-03-11T16:00:00.000Z")
    ]


def test_rules_override_windows(sandbox_from, shz_scenario):
    extra = """    rules: {response_window: 90m, review_time: "off", warning_review_time: 2d}"""
    sandbox, client = sandbox_from(shz_scenario(extra), providers=["shoplazza"])
    state = sandbox.state("shoplazza")
    running = [
        d
        for d in state.disputes
        if d.status == "needs_response" and d.id.startswith("dp_") and d.id != "dp_alpha_needs"
    ]
    assert running and all(d.expiration_time - d.created_at == timedelta(minutes=90) for d in running)
    assert all(d.expiration_time > sandbox.now() for d in running)
    advance_to(client, "2026-12-31T00:00:00Z")
    assert dispute(client, "dp_alpha_review")["status"] == "under_review"  # review off: never decided
    closed = dispute(client, "dp_alpha_wreview")
    assert (closed["status"], closed["updated_at"]) == ("warning_closed", "2026-03-10T00:00:00Z")


def test_control_plane_respond_escalate_resolve(shz):
    _, client = shz
    warn = client.post("/_sandbox/shoplazza/disputes/dp_alpha_warn/escalate")
    assert warn.status_code == 200
    assert {k: warn.json()["dispute"][k] for k in ("status", "fee", "updated_at", "expiration_time")} == {
        "status": "needs_response",
        "fee": "15.00",
        "updated_at": "2026-03-10T12:00:00Z",
        "expiration_time": "2026-03-17T00:00:00Z",
    }
    assert (
        client.post("/_sandbox/shoplazza/disputes/dp_alpha_warn/respond").json()["dispute"]["status"]
        == "under_review"
    )
    bad = client.post(
        "/_sandbox/shoplazza/disputes/dp_alpha_warn/resolve", json={"outcome": "warning_closed"}
    )
    assert (bad.status_code, bad.json()) == (
        400,
        {"error": "outcome must be one of won, lost for a under_review dispute"},
    )
    won = client.post("/_sandbox/shoplazza/disputes/dp_alpha_warn/resolve", json={"outcome": "won"})
    assert won.json()["dispute"]["status"] == "won"
    again = client.post("/_sandbox/shoplazza/disputes/dp_alpha_warn/act", json={"action": "respond"})
    assert again.status_code == 409
    assert again.json() == {
        "error": "only needs_response or warning_needs_response disputes take a response (status is won)"
    }
    missing = client.post("/_sandbox/shoplazza/disputes/dp_nope/respond")
    assert (missing.status_code, missing.json()) == (404, {"error": "no Shoplazza dispute 'dp_nope'"})
    unknown = client.post("/_sandbox/shoplazza/disputes/dp_alpha_needs/refund")
    assert unknown.status_code == 400
    assert dispute(client, "dp_alpha_warn")["status"] == "won"


def test_control_plane_opens_a_dispute_that_lists_first_and_emits_create(shz):
    _, client = shz
    client.post("/_sandbox/clock/advance", json={"duration": "1h"})
    created = client.post(
        "/_sandbox/shoplazza/disputes",
        json={
            "store": "alpha",
            "id": "dp_new_one",
            "dispute_amount": "10.00",
            "original_order_amount": "30.00",
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()["dispute"]
    assert (body["created_at"], body["updated_at"], body["expiration_time"], body["status"]) == (
        "2026-03-10T13:00:00Z",
        "2026-03-10T13:00:00Z",
        "2026-03-17T00:00:00Z",
        "needs_response",
    )
    first = client.get(BASE, headers=TOKEN, params={"limit": 1}).json()["data"]["list"][0]
    assert first == body
    events = shoplazza_events(client)
    assert [(e["type"], e["object_id"], e["data"]) for e in events] == [
        ("disputes/create", "dp_new_one", {"status": "needs_response"})
    ]
    dup = client.post("/_sandbox/shoplazza/disputes", json={"store": "1001", "id": "dp_new_one"})
    assert dup.status_code == 409
    bad = client.post("/_sandbox/shoplazza/disputes", json={"store": "alpha", "status": "open"})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid dispute"
    nostore = client.post("/_sandbox/shoplazza/disputes", json={"store": "zeta"})
    assert nostore.status_code == 404
    advance_to(client, "2026-03-17T00:00:00Z")
    assert dispute(client, "dp_new_one")["status"] == "lost"
