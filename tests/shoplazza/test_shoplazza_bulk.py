"""Lazy bulk disputes: what the columns promise (sort key, groups, deadline) is what the record is."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sandbox.bulk import micros
from sandbox.providers.shoplazza.generator import bulk_columns
from sandbox.providers.shoplazza.models import STATUSES, WARNING_STATUSES
from sandbox.providers.shoplazza.state import dispute_sort_key
from sandbox.testing import make_sandbox

SCENARIO = """
version: 1
seed: 9
clock: {start: "2026-07-01T00:00:00Z"}
providers:
  shoplazza:%(rules)s
    stores:
      - id: "1001"
        subdomain: alpha
        tokens: [{token: tok_alpha}]
        disputes: [{id: dp_hand, status: needs_response, created_at: "-1m"}]
        generate: {count: 400}
      - id: "1002"
        subdomain: beta
        tokens: [{token: tok_beta}]
        generate: {count: 50, statuses: {under_review: 1, warning_under_review: 1}}
"""
# short windows (no midnight flooring), reviews switched off or short
ODD_RULES = "\n    rules: {response_window: 90m, warning_response_window: 3d, review_time: 'off', warning_review_time: 2h}"


def scenario(rules: str = "") -> str:
    return SCENARIO % {"rules": rules}


@pytest.mark.parametrize("rules", ["", ODD_RULES])
def test_columns_and_records_agree(rules):
    sandbox = make_sandbox(text=scenario(rules), providers=["shoplazza"])
    state = sandbox.state("shoplazza")
    assert len(state.disputes) == 451
    assert sandbox.events.query() == []  # nothing was due at the clock start
    assert state.disputes.mismatched_keys() == []
    now = sandbox.now()
    seen = set()
    for store in state.store_specs.values():
        cols = bulk_columns(state.ctx, state.rules, store)
        assert list(cols["created"]) == sorted(cols["created"])
        for i, dispute_id in enumerate(cols["ids"]):
            dispute = state.disputes.get(dispute_id)
            assert dispute.store_id == store.id
            assert dispute.status == cols["labels"][cols["codes"][i]]
            seen.add(dispute.status)
            assert dispute_sort_key(dispute) == (cols["created"][i], dispute_id)
            assert micros(dispute.created_at) % 1_000_000 == 0  # whole seconds, as on the wire
            assert micros(dispute.updated_at) == cols["updated"][i]
            assert micros(dispute.expiration_time) == cols["expiration"][i]
            opening = "warning_needs_response" if dispute.status in WARNING_STATUSES else "needs_response"
            assert dispute.expiration_time == state.rules.expiration(opening, dispute.created_at)
            deadline = state.lifecycle.next_deadline(dispute)
            assert (micros(deadline) if deadline else -1) == cols["due"][i], dispute_id
            assert deadline is None or deadline > now
            assert dispute.created_at <= dispute.updated_at <= now
            assert dispute.dispute_amount <= dispute.original_order_amount
    assert seen == set(STATUSES)


def test_expirations_are_floored_to_midnight_utc():
    sandbox = make_sandbox(text=scenario(), providers=["shoplazza"])
    state = sandbox.state("shoplazza")
    cols = bulk_columns(state.ctx, state.rules, state.store_specs["1001"])
    assert (cols["expiration"] % 86_400_000_000 == 0).all()


def test_bulk_deadlines_fire_at_their_instants():
    sandbox = make_sandbox(text=scenario(), providers=["shoplazza"])
    state = sandbox.state("shoplazza")
    due = {d.id: state.lifecycle.next_deadline(d) for d in state.disputes}
    sandbox.advance_clock(timedelta(days=12))
    fired = {}
    for event in sandbox.events.query():
        fired.setdefault(event.object_id, event.at)
    expected = {i: d for i, d in due.items() if d is not None and d <= sandbox.now()}
    assert len(expected) > 100
    assert {i: fired.get(i) for i in expected} == expected
    assert set(fired) == set(expected)


def test_a_moved_bulk_dispute_silences_its_column_deadline():
    sandbox = make_sandbox(text=scenario(), providers=["shoplazza"])
    state = sandbox.state("shoplazza")
    cols = bulk_columns(state.ctx, state.rules, state.store_specs["1001"])
    waiting = [i for i, code in enumerate(cols["codes"]) if cols["labels"][code] == "needs_response"]
    dispute = state.disputes.get(cols["ids"][waiting[0]])
    expiration = dispute.expiration_time
    now = sandbox.now()
    assert state.lifecycle.apply(dispute, "respond", {}, now) is None
    sandbox.advance_clock(expiration - sandbox.now() + timedelta(seconds=1))
    mine = [e for e in sandbox.events.query() if e.object_id == dispute.id]
    assert [(e.data["cause"], e.at) for e in mine] == [("responded", now)]
    assert dispute.status == "under_review"


def test_second_bounds_are_inclusive_on_microsecond_keys():
    from sandbox.testing import asgi_client

    sandbox = make_sandbox(text=scenario(), providers=["shoplazza"])
    state = sandbox.state("shoplazza")
    cols = bulk_columns(state.ctx, state.rules, state.store_specs["1001"])
    second = int(cols["created"][200]) // 1_000_000
    with asgi_client(sandbox) as client:
        base = "/shoplazza/openapi/2024-07/shoplazza-payment/disputes"
        query = {"created_at_min": second, "created_at_max": second, "limit": 100}
        got = client.get(base, headers={"Access-Token": "tok_alpha"}, params=query).json()["data"]["list"]
    expected = [i for i, c in zip(cols["ids"], cols["created"], strict=True) if c // 1_000_000 == second]
    assert expected and sorted(d["id"] for d in got) == sorted(expected)
