"""Riverty lifecycle on the sandbox clock: day 21 → information request, decisions, appeal, cancel."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.testing import asgi_client, make_sandbox


def events(client, **params):
    return client.get("/_sandbox/events", params={"provider": "riverty", **params}).json()["events"]


def advance(client, duration: str):
    r = client.post("/_sandbox/clock/advance", json={"duration": duration})
    assert r.status_code == 200
    return r.json()


def set_clock(client, now: str):
    r = client.post("/_sandbox/clock/set", json={"now": now})
    assert r.status_code == 200, r.text


def test_day_21_opens_a_request_for_information(riverty, C):
    sandbox, client = riverty
    set_clock(client, "2025-06-20T11:59:59Z")
    assert client.get(f"/riverty/disputes/{C.OPEN_ID}", headers=C.K1).json()["stage"] == {"id": 1}
    set_clock(client, "2025-06-20T12:00:00Z")
    g2 = client.get(f"/riverty/disputes/{C.OPEN_ID}", headers=C.K1).json()
    assert g2["stage"] == {"id": 2}
    g1 = client.get(f"/riverty/1/disputes/{C.OPEN_ID}", headers=C.K1).json()
    assert g1["updatedAt"] == "2025-06-20T12:00:00.0000000Z"
    party = sandbox.state("riverty").disputes.get(C.OPEN_ID).rfi_party
    assert g1["complaintStatus"] == ({"id": 1, "name": "Waiting for shop"} if party == "shop"
                                     else {"id": 2, "name": "Waiting for customer"})
    fired = events(client, id=C.OPEN_ID)
    assert [(e["type"], e["at"]) for e in fired] == [("RequestForInformationEvent", "2025-06-20T12:00:00.000Z")]
    assert fired[0]["data"]["stage"] == {"from": 1, "to": 2}
    note = client.get(f"/riverty/disputes/{C.OPEN_ID}/comments", headers=C.K1).json()[-1]
    assert note["author"]["$type"] == "Agent" and note["createdAt"] == "2025-06-20T12:00:00.0000000Z"


def test_silent_shop_loses_when_the_rfi_window_closes(riverty, C):
    _, client = riverty
    set_clock(client, "2025-06-11T12:00:00Z")  # information requested 05-28 12:00 + 14 days
    body = client.get(f"/riverty/disputes/{C.RFI_ID}", headers=C.K1).json()
    assert body["stage"] == {"id": 4} and body["decision"] == {"name": "Chargeback"}
    g1 = client.get(f"/riverty/1/disputes/{C.RFI_ID}", headers=C.K1).json()
    assert g1["complaintStatus"] == {"id": 4, "name": "Resolved"} and g1["updatedAt"] == "2025-06-11T12:00:00.0000000Z"
    assert [e["type"] for e in events(client, id=C.RFI_ID)] == ["InitialDecisionEvent"]


def test_shop_reply_supplies_information_then_riverty_decides(riverty, C):
    _, client = riverty
    r = client.post(f"/riverty/disputes/{C.RFI_ID}/comments", headers=C.K1, json={"body": "Tracking: RT123"})
    assert r.status_code == 200
    g1 = client.get(f"/riverty/1/disputes/{C.RFI_ID}", headers=C.K1).json()
    assert g1["complaintStatus"] == {"id": 3, "name": "Waiting for Riverty"}
    assert client.get(f"/riverty/disputes/{C.RFI_ID}", headers=C.K1).json()["stage"] == {"id": 3}
    advance(client, "4d23h59m")
    assert client.get(f"/riverty/disputes/{C.RFI_ID}", headers=C.K1).json()["stage"] == {"id": 3}
    advance(client, "1m")
    body = client.get(f"/riverty/disputes/{C.RFI_ID}", headers=C.K1).json()
    assert body["stage"] == {"id": 4} and body["decision"]["name"] in ("Write-off", "Collection continues", "Chargeback")
    fired = [(e["type"], e["at"]) for e in events(client, id=C.RFI_ID)]
    assert fired == [("sandbox.comment_added", "2025-06-01T12:00:00.000Z"), ("sandbox.stage_changed", "2025-06-01T12:00:00.000Z"),
                     ("InitialDecisionEvent", "2025-06-06T12:00:00.000Z")]
    advance(client, "30d")  # the silent-window deadline of stage 2 was disarmed: nothing more happens
    assert len(events(client, id=C.RFI_ID)) == 3


def test_appeal_with_evidence_leads_to_a_final_decision(riverty, C):
    _, client = riverty
    url = f"/riverty/disputes/{C.DECIDED_ID}/comments"
    client.post(url, headers=C.K1, json={"body": "We disagree."})  # no evidence: no appeal
    assert client.get(f"/riverty/disputes/{C.DECIDED_ID}", headers=C.K1).json()["stage"] == {"id": 4}
    att = client.post("/riverty/attachments", headers=C.K1, files={"file": ("pod.pdf", b"%PDF")}).json()["id"]
    client.post(url, headers=C.K1, json={"body": "Proof of delivery.", "attachments": [att]})
    assert client.get(f"/riverty/disputes/{C.DECIDED_ID}", headers=C.K1).json()["stage"] == {"id": 5}
    advance(client, "5d")
    body = client.get(f"/riverty/disputes/{C.DECIDED_ID}", headers=C.K1).json()
    assert body["stage"] == {"id": 6} and "decision" in body
    final = [e for e in events(client, id=C.DECIDED_ID) if e["type"] == "FinalDecisionEvent"]
    assert len(final) == 1 and final[0]["at"] == "2025-06-06T12:00:00.000Z"


def test_appeal_window_closes(riverty, C):
    _, client = riverty
    set_clock(client, "2025-06-05T12:00:01Z")
    att = client.post("/riverty/attachments", headers=C.K1, files={"file": ("pod.pdf", b"%PDF")}).json()["id"]
    client.post(f"/riverty/disputes/{C.DECIDED_ID}/comments", headers=C.K1, json={"attachments": [att]})
    assert client.get(f"/riverty/disputes/{C.DECIDED_ID}", headers=C.K1).json()["stage"] == {"id": 4}


def test_control_cancel_open_and_resolve(riverty, C):
    _, client = riverty
    r = client.post(f"/_sandbox/riverty/disputes/{C.OPEN_ID}/cancel", json={})
    assert r.status_code == 200 and r.json()["stage"] == {"id": 7, "name": "Canceled"}
    assert client.get(f"/riverty/1/disputes/{C.OPEN_ID}", headers=C.K1).json()["complaintStatus"] == {"id": 5, "name": "Closed"}
    assert client.post(f"/_sandbox/riverty/disputes/{C.OPEN_ID}/cancel", json={}).status_code == 400
    assert [e["type"] for e in events(client, id=C.OPEN_ID)] == ["CancellationEvent"]
    advance(client, "30d")  # the day-21 deadline no longer applies
    assert [e["type"] for e in events(client, id=C.OPEN_ID)] == ["CancellationEvent"]

    opened = client.post("/_sandbox/riverty/disputes", json={"client_id": 1, "shop_id": "RTY000002240", "reason_code": "R4"})
    assert opened.status_code == 201
    new_id = opened.json()["dispute"]["id"]
    assert client.get("/riverty/1/disputes", headers=C.K1).json()[0]["id"] == new_id  # newest first
    assert [e["type"] for e in events(client, id=new_id)] == ["DisputeNotificationEvent"]
    r = client.post(f"/_sandbox/riverty/disputes/{new_id}/resolve", json={"decision": "Write-off"})
    assert r.json()["stage"]["id"] == 6 and r.json()["decision"] == "Write-off"
    assert client.post(f"/_sandbox/riverty/disputes/{new_id}/decide", json={"decision": "Maybe"}).status_code == 400
    assert client.post(f"/_sandbox/riverty/disputes/{new_id}/explode", json={}).status_code == 400
    at = client.post("/_sandbox/riverty/disputes", json={"client_id": 1, "country_code": "AT"}).json()["dispute"]["id"]
    assert client.get(f"/riverty/disputes/{at}", headers=C.K1_AT).json()["id"] == at
    assert client.post("/_sandbox/riverty/disputes", json={"client_id": 1, "country_code": "SE"}).status_code == 400
    assert client.post("/_sandbox/riverty/disputes", json={"client_id": 99}).status_code == 404


def test_timeline_fires_once_in_order_and_reset_restores(sandbox_from, C):
    text = C.SCENARIO.replace("    clients:", f"""    timeline:
      - {{at: +2d, id: {C.OPEN_ID}, action: cancel}}
      - {{at: +1d, id: {C.OPEN_ID}, action: customer_comment, data: {{body: "Still broken"}}}}
    clients:""", 1)
    sandbox, client = sandbox_from(text, providers=["riverty"])
    before = client.get("/riverty/1/disputes", headers=C.K1, params={"pageSize": 200}).content
    advance(client, "1d")
    assert [e["type"] for e in events(client, id=C.OPEN_ID)] == ["sandbox.comment_added"]
    advance(client, "5d")
    assert [e["type"] for e in events(client, id=C.OPEN_ID)] == ["sandbox.comment_added", "CancellationEvent"]
    advance(client, "5d")
    assert len(events(client, id=C.OPEN_ID)) == 2
    assert client.post("/_sandbox/reset").status_code == 200
    assert client.get("/riverty/1/disputes", headers=C.K1, params={"pageSize": 200}).content == before
    assert events(client) == []


def test_rule_overrides(sandbox_from, C):
    text = C.SCENARIO.replace("    clients:", "    rules: {rfi_after: 3d, review_time: 'off'}\n    clients:", 1)
    _, client = sandbox_from(text, providers=["riverty"])
    set_clock(client, "2025-06-02T12:00:00Z")  # created 05-30 12:00 + 3 days
    assert client.get(f"/riverty/disputes/{C.OPEN_ID}", headers=C.K1).json()["stage"] == {"id": 2}


def _state_bytes(client, C) -> tuple:
    lists = tuple(
        client.get(path, headers=key, params={"pageSize": 500}).content
        for path, key in (("/riverty/1/disputes", C.K1), ("/riverty/disputes", C.K1_AT), ("/riverty/4/disputes", C.K4))
    )
    return lists, tuple((e["type"], e["object_id"], e["at"]) for e in events(client))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.integers(1, 20 * 24), min_size=1, max_size=8))
def test_one_step_equals_many_steps(C, steps):
    total = sum(steps)
    one = asgi_client(make_sandbox(text=C.SCENARIO, providers=["riverty"]))
    many = asgi_client(make_sandbox(text=C.SCENARIO, providers=["riverty"]))
    try:
        advance(one, f"{total}h")
        for hours in steps:
            advance(many, f"{hours}h")
        assert _state_bytes(one, C) == _state_bytes(many, C)
    finally:
        one.close()
        many.close()
