"""Lazy bulk cases: what the columns promise (sort key, groups, customer, order, deadline) is what
the record is, and the customer/order filters find generated cases without building them."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from sandbox.bulk import micros
from sandbox.providers.pandabase.generator import CLOSERS, bulk_columns, store_pools
from sandbox.providers.pandabase.state import case_groups, case_sort_key
from sandbox.testing import asgi_client, make_sandbox

STORE = "shp_bulkstore0000000000001"
BASE = f"/pandabase/v2/core/stores/{STORE}/cases"
H = {"Authorization": "Bearer sk_bulk"}
SCENARIO = f"""
version: 1
seed: 9
clock: {{start: "2026-07-01T00:00:00Z"}}
providers:
  pandabase:
    rate_limits: {{per_second: 0, replies_per_minute: 0}}
    rules: {{auto_close_after: WINDOW}}
    stores:
      - id: {STORE}
        name: Bulk
        tokens: [{{secret: sk_bulk}}]
        cases: [{{id: cse_handwrittenbulkstore01, status: AWAITING_CUSTOMER, created_at: "-2d"}}]
        generate: {{count: 400, escalated_share: 0.3}}
"""


def build(window: str = "14d"):
    sandbox = make_sandbox(text=SCENARIO.replace("WINDOW", window), providers=["pandabase"])
    return sandbox, sandbox.state("pandabase")


def test_columns_and_records_agree():
    sandbox, state = build()
    now = sandbox.now()
    assert len(state.cases) == 401 and len(state.orders) == 401
    assert sandbox.events.query() == []  # nothing was due at the clock start
    cols = state.bulk[STORE].cols
    store = sandbox.scenario.sections["pandabase"].stores[0]
    again = bulk_columns(state.ctx, state.rules, store, store_pools(state.ctx, store))
    assert again["ids"] == cols["ids"] and (again["due"] == cols["due"]).all()  # same seed, same columns
    assert not state.bulk[STORE].built.any()  # loading built no generated case
    window = state.rules.auto_close_after
    for i, case_id in enumerate(cols["ids"]):
        case = state.cases.get(case_id)
        assert case.bulk and state.bulk[STORE].built[i]
        assert case.status == cols["statuses"][cols["status"][i]]
        assert case.priority == cols["priorities"][cols["priority"][i]]
        assert case.closed_by == (CLOSERS[cols["closer"][i]] if cols["closer"][i] >= 0 else None)
        assert case_sort_key(case) == (cols["last_message"][i], cols["created"][i], case_id) == state.bulk[STORE].keys[i]
        assert case.customer_id == cols["customer_ids"][cols["customer"][i]].decode()
        assert case.order_id == cols["order_ids"][i].decode()
        assert len(case_groups(case)) == 4 and case_groups(case)[0] == (STORE,)
        deadline = case.idle_since + window if case.status == "AWAITING_CUSTOMER" else None
        assert (micros(deadline) if deadline else -1) == cols["due"][i], case_id
        assert deadline is None or deadline > now
        # the thread is consistent with its columns and with the clock start
        spoken = [m for m in case.messages if m.sender_type != "SYSTEM"]
        assert spoken[-1].created_at == case.last_message_at and case.last_message_by == spoken[-1].sender_type
        assert len([m for m in spoken if m.sender_type != "STAFF"]) == cols["spoken"][i]
        assert case.escalated == any(m.sender_type == "STAFF" for m in spoken) == bool(cols["escalated"][i])
        assert [m.created_at for m in case.messages] == sorted(m.created_at for m in case.messages)
        assert case.created_at == case.messages[0].created_at <= case.last_message_at <= case.updated_at <= now
        assert (case.closed_at is None) == (case.status != "CLOSED")
        if case.closed_by == "SYSTEM":
            assert case.closed_at == case.last_message_at + window and case.last_message_by == "MERCHANT"
        order = state.orders[case.order_id]
        assert order.created_at < case.created_at and order.customer_id == case.customer_id
        assert state.customers[case.customer_id].id == case.customer_id
    cases = list(state.cases)
    assert {c.status for c in cases} == {"OPEN", "AWAITING_CUSTOMER", "AWAITING_MERCHANT", "CLOSED"}
    assert {c.closed_by for c in cases} == {None, "MERCHANT", "SYSTEM", "CUSTOMER"}
    assert {c.last_message_by for c in cases} == {"CUSTOMER", "MERCHANT", "STAFF"}
    assert state.cases.mismatched_keys() == []
    assert len(state.orders) == 401  # building records does not change what exists


def test_no_auto_close_rule_means_no_system_closes_and_no_deadlines():
    sandbox, state = build("off")
    cols = state.bulk[STORE].cols
    assert (cols["due"] == -1).all()
    assert CLOSERS.index("SYSTEM") not in set(cols["closer"].tolist())
    assert state.cases.mismatched_keys() == []
    sandbox.advance_clock(timedelta(days=60))
    assert sandbox.events.query() == []


def test_bulk_deadlines_fire_at_their_instants():
    sandbox, state = build()
    start = sandbox.now()
    cols = state.bulk[STORE].cols
    due = {cols["ids"][i]: at for i, at in enumerate(cols["due"].tolist()) if at >= 0}
    assert len(due) > 20 and min(due.values()) > micros(start)
    touched, read = sorted(due)[:2]
    state.cases.get(read)  # built but untouched: its column deadline still stands
    sandbox.advance_clock(timedelta(seconds=1))
    with asgi_client(sandbox) as client:
        reply = client.post(f"{BASE}/{touched}/messages", json={"body": "Any news?"}, headers=H)
        assert reply.status_code == 201, reply.text
    renewed = sandbox.now() + state.rules.auto_close_after
    assert micros(renewed) > micros(start + state.rules.auto_close_after) >= max(due.values())
    sandbox.advance_clock(renewed - timedelta(milliseconds=1) - sandbox.now())
    closed = {e.object_id: e.at for e in sandbox.events.query() if e.type == "case.closed"}
    expected = {case_id: at for case_id, at in due.items() if case_id != touched}
    assert {c: micros(closed[c]) for c in expected} == expected
    assert set(closed) == {*expected, "cse_handwrittenbulkstore01"}  # and the hand-written one
    case = state.cases.get(read)
    assert (case.status, case.closed_by, micros(case.closed_at)) == ("CLOSED", "SYSTEM", due[read])
    # the reply restarted the touched case's clock: its column deadline went stale, the new one fires
    sandbox.advance_clock(timedelta(milliseconds=1))
    closed = [e.at for e in sandbox.events.query() if e.type == "case.closed" and e.object_id == touched]
    assert closed == [renewed]
    assert state.cases.mismatched_keys() == []


def listing(client, **query):
    response = client.get(BASE, params={"limit": 100, **query}, headers=H)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def ids(data) -> list[str]:
    return [i["id"] for i in data["items"]]


def test_customer_and_order_filters_find_unbuilt_cases():
    sandbox, state = build()
    bulk = state.bulk[STORE]
    cols = bulk.cols
    # the customer with the most generated cases, and another customer's order, from the columns alone
    k = int(np.bincount(cols["customer"]).argmax())
    customer = cols["customer_ids"][k].decode()
    mine = [cols["ids"][i] for i in np.flatnonzero(cols["customer"] == k).tolist()]
    j = int(np.flatnonzero(cols["customer"] != k)[0])
    order = cols["order_ids"][j].decode()
    with asgi_client(sandbox) as client:
        by_customer = listing(client, customerId=customer)
        by_order = listing(client, orderId=order)
        assert sorted(ids(by_customer)) == sorted(mine) and len(mine) > 1
        assert int(bulk.built.sum()) == len(mine) + 1  # only the cases on these pages were built
        assert ids(by_order) == [cols["ids"][j]] and by_order["pagination"]["total"] == 1
        everything = [i for page in (1, 2, 3, 4, 5) for i in listing(client, page=page)["items"]]
        assert len(everything) == 401
        assert by_customer["items"] == [i for i in everything if i["customerId"] == customer]
        # built cases that changed status, or moved to the top, are found where they are now
        patched, replied = mine[-1], mine[0]
        target = "OPEN" if state.cases.get(patched).status == "CLOSED" else "CLOSED"
        assert client.patch(f"{BASE}/{patched}", json={"status": target}, headers=H).status_code == 200
        assert patched in ids(listing(client, customerId=customer, status=target))
        others = {s for s in ("OPEN", "AWAITING_MERCHANT", "AWAITING_CUSTOMER", "CLOSED") if s != target}
        assert all(patched not in ids(listing(client, customerId=customer, status=s)) for s in others)
        reply = client.post(f"/_sandbox/pandabase/cases/{replied}/customer-reply", json={"body": "Hello?"})
        assert reply.status_code == 200, reply.text
        assert ids(listing(client, customerId=customer))[0] == replied
        assert ids(listing(client, customerId=customer, status="AWAITING_MERCHANT"))[0] == replied
        # a case the customer opens in the portal on a generated order joins both filters
        opened = client.post(f"/_sandbox/pandabase/stores/{STORE}/cases",
                             json={"orderId": order, "subject": "Again", "body": "Still broken.", "anyOrderStatus": True})
        assert opened.status_code == 201, opened.text
        new_id = opened.json()["id"]
        assert not state.cases.get(new_id).bulk
        owner = state.orders[order].customer_id
        assert ids(listing(client, orderId=order)) == [new_id, cols["ids"][j]]
        assert ids(listing(client, customerId=owner))[0] == new_id
        assert listing(client, orderId=order, customerId=customer)["items"] == []
    assert state.cases.mismatched_keys() == []
