"""Scenario section: validation problems, determinism, the default block, enum coverage."""

from __future__ import annotations

from collections import Counter

import pytest

from sandbox.providers.orderprotection.models import CLAIM_STATES, CLAIM_TYPES, RESOLUTION_TYPES
from sandbox.scenario import ScenarioError
from sandbox.testing import asgi_client, make_sandbox

BAD = """
version: 1
providers:
  orderprotection:
    stores:
      - id: s1
        tokens: [{token: op_at_x}, {token: op_at_x}]
        orders: [{source_order_id: "1"}, {source_order_id: "1"}]
        claims:
          - {id: caaaaaaa1, source_order_id: "2"}
          - {id: caaaaaaa1}
      - id: s1
        tokens: [{token: not_a_token}]
        claims: [{state: LOST}]
    apps:
      - {client_id: op_app_a, client_secret: op_secret_a, stores: [s9]}
    timeline:
      - {at: "+1h", id: cmissing01, action: approve}
    rules: {pending_auto_close: soon, on_hold_return: 0s}
"""


def test_check_reports_every_problem_with_its_line():
    with pytest.raises(ScenarioError) as info:
        make_sandbox(text=BAD, providers=["orderprotection"])
    lines = info.value.lines
    text = "\n".join(lines)
    # pydantic problems stop the section, so check them first, then the semantic ones
    assert "providers.orderprotection.stores[1].tokens[0].token" in text
    assert "providers.orderprotection.stores[1].claims[0].state" in text
    fixed = BAD.replace("not_a_token", "op_at_y").replace("state: LOST", "state: NEW")
    with pytest.raises(ScenarioError) as info:
        make_sandbox(text=fixed, providers=["orderprotection"])
    lines = info.value.lines
    expected = [
        "<request>:7: providers.orderprotection.stores[0].tokens[1].token: duplicate token 'op_at_x'",
        "<request>:8: providers.orderprotection.stores[0].orders[1].source_order_id: duplicate order '1'",
        "<request>:10: providers.orderprotection.stores[0].claims[0].source_order_id: no order '2' in store 's1'",
        "<request>:11: providers.orderprotection.stores[0].claims[1].id: duplicate claim id 'caaaaaaa1'",
        "<request>:12: providers.orderprotection.stores[1].id: duplicate store id 's1'",
        "<request>:16: providers.orderprotection.apps[0].stores[0]: no store 's9'",
        "<request>:18: providers.orderprotection.timeline[0].id: no hand-written claim with id 'cmissing01'",
        "<request>:19: providers.orderprotection.rules.pending_auto_close: not a duration like '3d12h' or '90m': 'soon'",
        "<request>:19: providers.orderprotection.rules.on_hold_return: duration must be positive",
    ]
    assert lines == expected


def test_unknown_keys_are_rejected():
    text = "version: 1\nproviders:\n  orderprotection:\n    stores: [{id: s, colour: red}]\n"
    with pytest.raises(ScenarioError) as info:
        make_sandbox(text=text, providers=["orderprotection"])
    assert info.value.lines == ["<request>:4: providers.orderprotection.stores[0].colour: unknown key 'colour'"]


def _page(text, seed_line="seed: 7"):
    sandbox = make_sandbox(text=text.replace("seed: 7", seed_line), providers=["orderprotection"])
    with asgi_client(sandbox) as client:
        return client.get("/orderprotection/v1/claims?first=100", headers={"Authorization": "Bearer op_at_alpha_rw"}).content


def test_same_seed_same_state_other_seed_other_state(k):
    assert _page(k.SMALL) == _page(k.SMALL)
    assert _page(k.SMALL) != _page(k.SMALL, "seed: 8")


def test_default_section(sandbox_from, k):
    sandbox, client = sandbox_from(k.default_text(), providers=["orderprotection"])
    state = sandbox.state("orderprotection")
    assert sorted(state.stores) == ["northwind-outdoors", "teststore2"]
    claims = list(state.claims)
    assert len(claims) >= 120
    assert set(Counter(c.state for c in claims)) == set(CLAIM_STATES)
    assert {c.claim_type for c in claims} == {*CLAIM_TYPES, None}
    assert {r.resolution for c in claims for r in c.resolutions} == set(RESOLUTION_TYPES)
    for store in state.stores:
        states = {c.state for c in claims if c.store_id == store}
        assert len(states) >= 10
    # every running deadline lies ahead of the clock start: loading changed nothing
    for claim in claims:
        due = state.lifecycle.due_at(claim)
        assert due is None or due > sandbox.now()
    tenants = client.get("/_sandbox/scenario").json()["providers"]["orderprotection"]["tenants"]
    value = tenants[0]["credentials"][0]["value"]
    r = client.get("/orderprotection/v1/claims", headers={"Authorization": value})
    assert r.status_code == 200 and len(r.json()["edges"]) == 10
    spare = client.get("/_sandbox/orderprotection/stores/teststore2/orders?without_claims=1").json()["orders"]
    assert len(spare) == 6  # five generated plus the hand-written order without claims
    assert all(o["storeId"] == "teststore2" and o["items"] for o in spare)


def test_generator_alone_reaches_every_enum(k):
    text = """
version: 1
seed: 99
clock: {start: "2026-11-26T12:00:00Z"}
providers:
  orderprotection:
    stores:
      - id: s
        generate: {count: 1500}
"""
    sandbox = make_sandbox(text=text, providers=["orderprotection"])
    claims = list(sandbox.state("orderprotection").claims)
    assert {c.state for c in claims} == set(CLAIM_STATES)
    assert {c.claim_type for c in claims} == {*CLAIM_TYPES, None}
    assert {r.resolution for c in claims for r in c.resolutions} == set(RESOLUTION_TYPES)
    assert {m.sender_type for c in claims for m in c.messages} == {"customer", "brand", "admin", "automatic", "system"}
    assert {cr.kind for c in claims for cr in c.credits} == {"GIFT_CARD", "DISCOUNT_CODE"}
    assert sandbox.events.query() == []


def test_hand_written_fields_are_kept(sandbox_from, k):
    sandbox, client = sandbox_from(k.default_text(), providers=["orderprotection"])
    headers = {"Authorization": "Bearer op_at_teststore2_readwrite"}
    claims = client.get("/orderprotection/v1/orders/5001001/claims", headers=headers).json()
    assert [c["id"] for c in claims] == ["cm0b57zjv00myq52xh0c590b8", "cm0b5800000000000000000a1"]
    first = claims[0]
    assert (first["claimState"], first["claimType"], first["claimDescription"]) == ("WAITING_FOR_CUSTOMER", "DAMAGED", "The carafe arrived cracked.")
    assert first["updatedAt"] == "2026-11-24T12:00:00.000Z" and first["createdAt"] == "2026-11-22T12:00:00.000Z"
    assert first["authorName"] == "Desiree Ward"
    assert [m["senderType"] for m in first["claimMessages"]] == ["system", "customer", "brand"]
    assert claims[1]["claimResolutions"][0]["resolution"] == "REFUND"


ORDER_KEYS = """
version: 1
seed: 5
clock: {start: "2026-11-26T12:00:00Z"}
providers:
  orderprotection:
    stores:
      - id: s1
        tokens: [{token: op_at_s1, scopes: [read_orders]}]
        orders:
          - {source_order_id: "O-1", fulfilled_at: -3d, premium_paid: 2.5}
          - {source_order_id: "O-2", protected: false, original_source_order_id: "O-1"}
"""


def test_order_scenario_keys_read_back():
    sandbox = make_sandbox(text=ORDER_KEYS, providers=["orderprotection"])
    with asgi_client(sandbox) as client:
        auth = {"Authorization": "Bearer op_at_s1"}
        first = client.get("/orderprotection/v1/orders/O-1", headers=auth).json()
        second = client.get("/orderprotection/v1/orders/O-2", headers=auth).json()
        assert first["premiumPaid"] == 2.5 and first["policyCancelledAt"] is None
        assert first["fulfillments"][0]["createdAt"] == "2026-11-23T12:00:00.000Z"
        assert second["policyCancelledAt"] == second["sourceCreatedAt"]
        assert (second["originalSourceOrderId"], second["originalOrderId"]) == ("O-1", first["id"])
        url = "/_sandbox/orderprotection/stores/s1/orders/O-2/protection"
        assert client.post(url, json={"action": "add"}).status_code == 200
        assert client.get("/orderprotection/v1/orders/O-2", headers=auth).json()["policyCancelledAt"] is None


@pytest.mark.parametrize("original", ["O-9", "O-2"])  # unknown, itself
def test_replacement_must_name_another_order_of_the_store(original):
    text = ORDER_KEYS.replace('original_source_order_id: "O-1"', f'original_source_order_id: "{original}"')
    with pytest.raises(ScenarioError) as info:
        make_sandbox(text=text, providers=["orderprotection"])
    assert info.value.lines == [
        f"<request>:12: providers.orderprotection.stores[0].orders[1].original_source_order_id: "
        f"no other order {original!r} in store 's1'"
    ]
