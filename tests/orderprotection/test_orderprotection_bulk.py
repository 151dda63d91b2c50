"""Lazy bulk claims: what the columns promise (sort key, groups, deadline) is what the record is,
and the orders they sit on are found by id without a per-order index."""

from __future__ import annotations

from datetime import timedelta

from sandbox.bulk import micros
from sandbox.providers.orderprotection.generator import bulk_columns
from sandbox.providers.orderprotection.models import CLAIM_STATES
from sandbox.providers.orderprotection.state import claim_groups, claim_sort_key
from sandbox.testing import asgi_client, make_sandbox

HEADERS = {"Authorization": "Bearer op_at_bulk"}
SCENARIO = """
version: 1
seed: 9
clock: {start: "2026-07-01T00:00:00Z"}
providers:
  orderprotection:
    stores:
      - id: s1
        tokens: [{token: op_at_bulk, scopes: [read_claims, write_claims]}]
        orders: [{source_order_id: "H-1", customer_email: hand@example.com, fulfilled_at: -2d}]
        claims: [{id: chand0000000000000000001, source_order_id: "H-1", state: WAITING_FOR_CUSTOMER, created_at: -2d, updated_at: -1d}]
        generate: {count: 400, created_between: ["-60d", "-1m"], deleted_share: 0.1, orders_without_claims: 2}
      - id: s2
        generate: {count: 30}
"""


def _sandbox():
    sandbox = make_sandbox(text=SCENARIO, providers=["orderprotection"])
    return sandbox, sandbox.state("orderprotection")


def _columns(sandbox, state, store_id="s1"):
    store = next(s for s in sandbox.scenario.sections["orderprotection"].stores if s.id == store_id)
    return vars(bulk_columns(state.ctx, state.rules, store))  # the columns by name


def test_loading_builds_nothing_and_emits_nothing():
    sandbox, state = _sandbox()
    assert len(state.claims) == 431
    assert sandbox.events.query() == []
    assert len(state.claims._records) == 1  # only the hand-written claim exists as an object
    assert state.orders.bulk("s1").built == {} and state.lifecycle.deadlines.armed == {"chand0000000000000000001": 1}


def test_columns_and_records_agree():
    sandbox, state = _sandbox()
    assert state.claims.mismatched_keys() == []
    cols = _columns(sandbox, state)
    seen = set()
    for i, claim_id in enumerate(cols["ids"]):
        claim = state.claims.get(claim_id)
        status = cols["labels"][cols["codes"][i]]
        seen.add(status)
        assert claim.state == status and claim.store_id == "s1"
        assert claim_sort_key(claim) == (int(cols["created"][i]), claim_id)
        assert (claim.deleted_at is not None) == bool(cols["deleted"][i])
        groups = claim_groups(claim)
        assert groups == (() if cols["deleted"][i] else (("s1",), ("s1", status)))
        assert micros(claim.state_since) == cols["entered"][i] == micros(claim.updated_at)
        due = state.lifecycle.due_at(claim)
        assert (micros(due) if due else -1) == cols["due"][i], claim_id
        assert due is None or due > sandbox.now()
        times = [m.created_at for m in claim.messages] + [r.created_at for r in claim.resolutions]
        assert claim.created_at == min(times) and claim.updated_at == max(times) <= sandbox.now()
        order = state.orders[("s1", claim.source_order_id)]
        assert (order.id, order.customer_id, order.policy_id) == (claim.order_id, claim.customer_id, claim.policy_id)
        assert order.created_at <= order.fulfilled_at <= claim.created_at
        assert {i.item_id for i in claim.items} <= {i.id for i in order.items}
    assert seen == set(CLAIM_STATES)
    assert cols["deleted"].any() and not cols["deleted"].all()


def test_bulk_deadlines_fire_at_their_instants():
    sandbox, state = _sandbox()
    due = {c.id: state.lifecycle.due_at(c) for c in state.claims}
    sandbox.advance_clock(timedelta(days=8))
    fired = {}
    for event in sandbox.events.query():
        fired.setdefault(event.object_id, event.at)
    expected = {i: d for i, d in due.items() if d is not None and d <= sandbox.now()}
    assert len(expected) > 20 and {i: fired.get(i) for i in expected} == expected
    assert set(fired) == set(expected)
    for claim_id in expected:
        assert state.claims.get(claim_id).state in ("CLOSED", "OPEN")


def test_a_touched_bulk_claim_silences_its_column_deadline():
    sandbox, state = _sandbox()
    cols = _columns(sandbox, state)
    pending = [cols["ids"][i] for i in range(len(cols["ids"])) if cols["due"][i] >= 0]
    moved, deleted, replied = (state.claims.get(i) for i in pending[:3])
    column_due = state.lifecycle.due_at(replied)
    kept = deleted.state
    now = sandbox.now()
    assert state.lifecycle.apply(moved, "set_state", {"state": "WAITING_FOR_OP"}, now) is None
    assert state.lifecycle.apply(deleted, "delete", {}, now) is None
    assert state.lifecycle.apply(replied, "message", {"sender_type": "brand", "message": "Any news?"}, now) is None
    sandbox.advance_clock(timedelta(days=8))
    assert moved.state == "WAITING_FOR_OP" and deleted.state == kept
    # a brand reply moves nothing, so the column deadline still fires, at its instant
    assert replied.state in ("CLOSED", "OPEN") and replied.state_since == column_due


def test_claims_by_order_finds_bulk_claims():
    sandbox, state = _sandbox()
    client = asgi_client(sandbox)
    cols = _columns(sandbox, state)
    recent = micros(sandbox.now() - timedelta(days=20))
    live = next(i for i in range(len(cols["ids"])) if not cols["deleted"][i] and cols["created"][i] > recent)
    gone = next(i for i in range(len(cols["ids"])) if cols["deleted"][i])
    claim_id = cols["ids"][live]
    source = state.claims.get(claim_id).source_order_id
    r = client.get(f"/orderprotection/v1/orders/{source}/claims", headers=HEADERS)
    assert r.status_code == 200 and [c["id"] for c in r.json()] == [claim_id]
    assert r.json()[0]["sourceOrderId"] == source
    # a deleted bulk claim's order still exists, with nothing to list
    source_gone = state.claims.get(cols["ids"][gone]).source_order_id
    assert client.get(f"/orderprotection/v1/orders/{source_gone}/claims", headers=HEADERS).json() == []
    # a near miss of a bulk order id, another store's bulk order, an index beyond the count: 404
    wrong = source[:-1] + str((int(source[-1]) + 1) % 10)
    other = state.claims.get(state.bulk_claim_ids["s2"][0]).source_order_id
    for missing in (wrong, other, "5" + "9" * 7 + "12345"):
        r = client.get(f"/orderprotection/v1/orders/{missing}/claims", headers=HEADERS)
        assert r.status_code == 404, missing
    # a claim filed through the API on a bulk order lists after the bulk one
    order = state.orders[("s1", source)]
    body = {
        "email": order.customer_email,
        "issues": [{"sourceItemId": order.items[0].source_item_id, "issueType": "DAMAGED", "quantity": 1}],
    }
    r = client.post(f"/orderprotection/v1/claims/{source}", headers=HEADERS, json=body)
    assert r.status_code == 201, r.json()
    ids = [c["id"] for c in client.get(f"/orderprotection/v1/orders/{source}/claims", headers=HEADERS).json()]
    assert ids[0] == claim_id and len(ids) == 2


def test_lists_and_cursors_over_bulk_claims():
    sandbox, state = _sandbox()
    client = asgi_client(sandbox)
    seen, after = [], None
    while True:
        params = {"first": 100, **({"after": after} if after else {})}
        page = client.get("/orderprotection/v1/claims", params=params, headers=HEADERS).json()
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    live = [c for c in state.claims if c.store_id == "s1" and c.deleted_at is None]
    assert seen == [c.id for c in sorted(live, key=claim_sort_key, reverse=True)]
    target = live[5]
    r = client.get("/orderprotection/v1/claims", params={"sourceOrderId": target.source_order_id}, headers=HEADERS)
    assert [e["node"]["id"] for e in r.json()["edges"]] == [target.id]


def test_control_orders_lists_bulk_orders_in_place_and_skips_them_without_claims():
    sandbox, state = _sandbox()
    client = asgi_client(sandbox)
    listed = client.get("/_sandbox/orderprotection/stores/s1/orders?limit=4").json()["orders"]
    ids = [o["sourceOrderId"] for o in listed]
    bulk = state.orders.bulk("s1")
    assert ids[0] == "H-1" and ids[1:] == [bulk.order(i).source_order_id for i in range(3)]
    assert len(bulk.built) == 3  # only what the page reached was built
    bare = client.get("/_sandbox/orderprotection/stores/s1/orders?without_claims=1").json()["orders"]
    assert [o["sourceOrderId"][0] for o in bare] == ["7", "7"]  # the two spare orders
    assert len(bulk.built) == 3


def test_id_and_order_filters_build_only_their_candidates():
    sandbox, state = _sandbox()
    client = asgi_client(sandbox)
    cols = _columns(sandbox, state)
    i = next(i for i in range(len(cols["ids"])) if not cols["deleted"][i])
    claim = state.claims.get(cols["ids"][i])
    other = state.claims.get(cols["ids"][i + 1])

    def listed(**params):
        r = client.get("/orderprotection/v1/claims", params=params, headers=HEADERS)
        assert r.status_code == 200, r.json()
        return [e["node"]["id"] for e in r.json()["edges"]]

    assert listed(sourceOrderId=claim.source_order_id) == [claim.id]
    assert listed(sourceOrderId=claim.source_order_id, claimState=claim.state) == [claim.id]
    wrong_state = next(s for s in CLAIM_STATES if s != claim.state)
    assert listed(sourceOrderId=claim.source_order_id, claimState=wrong_state) == []
    both = sorted([claim, other], key=claim_sort_key, reverse=True)
    live = [c for c in both if c.deleted_at is None]
    assert listed(sourceOrderId=f"{claim.source_order_id},{other.source_order_id}") == [c.id for c in live]
    assert listed(filter=f'{{"id": "{claim.id}", "sourceOrderId": "{other.source_order_id}"}}') == []
    assert listed(filter=f'{{"id": ["{claim.id}", "chand0000000000000000001"]}}', first=1) == ["chand0000000000000000001"]
    assert len(state.claims._records) <= 4  # the hand-written claim, the two above, nothing walked
    # OR keeps its union semantics (and walks the store)
    ors = listed(sourceOrderId=claim.source_order_id, claimState="NEW", operator="OR", first=100)
    assert claim.id in ors and all(state.claims.get(c).state == "NEW" or c == claim.id for c in ors)
