"""Golden checks: the seed's example and the sheet's example validate against the serializer's
models; the default section loads with the promised spread; scenario problems are reported."""

from __future__ import annotations

import json

import pytest
import yaml

from sandbox.providers.pandabase import provider
from sandbox.providers.pandabase.wire import CaseDetailResponse, CaseListResponse, MessageListResponse
from sandbox.scenario import ScenarioError, parse_scenario
from sandbox.testing import asgi_client, make_sandbox, shipped_text


def test_seed_example_validates_against_the_wire_model(api):
    seed = json.loads((api.FIXTURES / "seed_example.json").read_text())
    parsed = CaseListResponse.model_validate(seed)
    assert parsed.model_dump(mode="json") == seed  # nothing dropped, nothing renamed, same order
    assert list(parsed.model_dump()["data"]["items"][0]) == list(seed["data"]["items"][0])
    sheet = json.loads((api.FIXTURES / "sheet_list_example.json").read_text())
    assert CaseListResponse.model_validate(sheet).model_dump(mode="json") == sheet
    broken = json.loads(json.dumps(seed))
    broken["data"]["items"][0]["status"] = "PENDING"
    with pytest.raises(ValueError):
        CaseListResponse.model_validate(broken)


def test_what_we_serve_validates_and_matches_the_seed_shape(api):
    seed = json.loads((api.FIXTURES / "seed_example.json").read_text())
    served = api.get(api.BASE).json()
    CaseListResponse.model_validate(served)
    assert list(served["data"]["items"][0]) == list(seed["data"]["items"][0])
    assert list(served["data"]["pagination"]) == list(seed["data"]["pagination"])
    CaseDetailResponse.model_validate(api.get(f"{api.BASE}/{api.CASE}").json())
    MessageListResponse.model_validate(api.get(f"{api.BASE}/{api.CASE}/messages").json())


def default_text(api) -> str:
    return shipped_text("default", ["pandabase"])


def test_default_section_has_two_stores_and_every_status_and_priority(api):
    assert list(yaml.safe_load(default_text(api))["providers"]) == ["pandabase"]
    sandbox = make_sandbox(text=default_text(api), providers=["pandabase"])
    state = sandbox.state("pandabase")
    assert len(state.stores) == 2 and len(state.cases) >= 120
    for store in state.stores:
        mine = [c for c in state.cases if c.store_id == store]
        assert {c.status for c in mine} == {"OPEN", "AWAITING_CUSTOMER", "AWAITING_MERCHANT", "CLOSED"}
        assert {c.priority for c in mine} == {"LOW", "NORMAL", "HIGH", "URGENT"}
    assert {c.closed_by for c in state.cases if c.status == "CLOSED"} == {"MERCHANT", "SYSTEM", "CUSTOMER"}
    assert any(c.escalated for c in state.cases)
    # consistency at build: every running deadline is ahead of the clock start
    for case in state.cases:
        assert case.last_message_at <= sandbox.now() and case.created_at <= case.last_message_at
        if case.status == "AWAITING_CUSTOMER":
            assert case.idle_since + state.rules.auto_close_after > sandbox.now()
        assert (case.closed_at is None) == (case.status != "CLOSED")
        assert state.orders[case.order_id].created_at < case.created_at
    assert sandbox.events.query(provider="pandabase") == []
    with asgi_client(sandbox) as client:
        listing = client.get("/_sandbox/scenario").json()["providers"]["pandabase"]
    assert listing["base_path"] == "/pandabase/v2/core"
    first = listing["tenants"][0]
    assert first["id"] == "shp_kxw5h7n4tr3bcfp2v8q1mzj0"
    assert first["credentials"][0] == {"header": "Authorization", "value": "Bearer sk_test_pixelforge_cases_rw",
                                       "scopes": ["CASES_READ", "CASES_WRITE"]}


def test_same_seed_same_state_other_seed_other_state(api):
    one = make_sandbox(text=default_text(api), providers=["pandabase"])
    two = make_sandbox(text=default_text(api), providers=["pandabase"])
    three = make_sandbox(text=default_text(api).replace("seed: 20261126", "seed: 3"), providers=["pandabase"])
    ids = [sorted(c.id for c in s.state("pandabase").cases) for s in (one, two, three)]  # builds lazy ones too
    assert ids[0] == ids[1] != ids[2]


def test_scenario_problems_are_reported_with_locations(api):
    text = f"""
version: 1
providers:
  pandabase:
    rules: {{auto_close_after: soon}}
    stores:
      - id: {api.STORE}
        name: A
        tokens: [{{secret: sk_same}}, {{secret: sk_same}}]
        cases: [{{id: cse_duplicatecase0000001}}, {{id: cse_duplicatecase0000001}}]
      - id: {api.STORE}
        name: B
        tokens: [{{secret: not_a_secret}}]
    timeline:
      - {{at: "+1h", id: cse_nosuchcase00000000001, action: customer_reply}}
"""
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml", [provider])
    lines = "\n".join(info.value.lines)
    assert "providers.pandabase.stores[1].tokens[0].secret" in lines
    text = text.replace("not_a_secret", "sk_other")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml", [provider])
    lines = info.value.lines
    assert any("stores[0].tokens[1].secret: duplicate token secret 'sk_same'" in line for line in lines)
    assert any("stores[0].cases[1].id: duplicate case id" in line for line in lines)
    assert any("stores[1].id: duplicate store id" in line for line in lines)
    assert any("timeline[0].id: no hand-written case with id 'cse_nosuchcase00000000001'" in line for line in lines)
    assert any("rules.auto_close_after: not a duration" in line for line in lines)
    with pytest.raises(ScenarioError) as info:
        parse_scenario("providers:\n  pandabase:\n    stores: [{id: shp_x, name: A, colour: red}]\n", "t.yaml", [provider])
    assert any("colour" in line for line in info.value.lines)


def test_expiring_section_deadlines(api):
    text = shipped_text("expiring-disputes", ["pandabase"])
    sandbox = make_sandbox(text=text, providers=["pandabase"])
    with asgi_client(sandbox) as client:
        changes, lapsed = [], []
        for step in ("1h", "23h", "2d", "4d", "14d"):
            events = client.post("/_sandbox/clock/advance", json={"duration": step}).json()["events"]
            # the hand-written disputes that lapse at +1h, +1d, +3d, +7d are checked on their own below
            lapsed.append([e["object_id"] for e in events if e["object_id"].startswith("dsp_expires")])
            events = [e for e in events if not e["object_id"].startswith("dsp_expires")]
            changes.append(sorted((e["object_id"][:14], e["type"]) for e in events if e["type"] in ("case.closed", "PAYMENT_DISPUTE_LOST")))
    assert lapsed == [["dsp_expires1h000000000000001"], ["dsp_expires1d000000000000001"],
                      ["dsp_expires3d000000000000001"], ["dsp_expires7d000000000000001"], []]
    assert [c[0][1] for c in changes] == ["case.closed", "case.closed", "case.closed", "PAYMENT_DISPUTE_LOST", "case.closed"]
    assert [len(c) for c in changes] == [1, 1, 1, 1, 1]
    assert [c[0][0][:14] for c in changes] == [
        "cse_expires1h0", "cse_expires1d0", "cse_expires3d0", changes[3][0][0][:14], "cse_expires21d",
    ]
    assert changes[3][0][0].startswith("dsp_")
