"""Lazy bulk cases: what the columns promise (sort key, groups, deadline) is what the record is."""

from __future__ import annotations

from sandbox.bulk import micros
from sandbox.providers.whop.generator import bulk_columns
from sandbox.testing import make_sandbox

SCENARIO = """
version: 1
seed: 9
clock: {start: "2026-07-01T00:00:00Z"}
providers:
  whop:
    companies:
      - id: biz_A
        title: A
        api_keys: [{key: k}]
        cases: [{id: reso_Hand, status: merchant_response_needed, created_at: "-1d"}]
        generate: {count: 400, created_between: ["-60d", "-1m"]}
"""


def test_columns_and_records_agree():
    sandbox = make_sandbox(text=SCENARIO, providers=["whop"])
    state = sandbox.state("whop")
    assert len(state.cases) == 401
    assert sandbox.events.query() == []  # nothing was due at the clock start
    assert state.cases.mismatched_keys() == []
    company = next(c for c in sandbox.scenario.sections["whop"].companies)
    cols = bulk_columns(state.ctx, state.rules, company)
    for i, case_id in enumerate(cols["ids"]):
        case = state.cases.get(case_id)
        assert case.status == cols["labels"][cols["codes"][i]]
        assert micros(case.created_at) == cols["created"][i]
        deadline = state.lifecycle.next_deadline(case)
        assert (micros(deadline) if deadline else -1) == cols["due"][i], case_id
        assert deadline is None or deadline > sandbox.now()
        assert case.created_at <= case.updated_at <= sandbox.now()


def test_bulk_deadlines_fire_at_their_instants():
    sandbox = make_sandbox(text=SCENARIO, providers=["whop"])
    state = sandbox.state("whop")
    due = {c.id: state.lifecycle.next_deadline(c) for c in state.cases}
    sandbox.advance_clock(__import__("datetime").timedelta(days=8))
    fired = {}
    for event in sandbox.events.query():
        fired.setdefault(event.object_id, event.at)
    expected = {i: d for i, d in due.items() if d is not None and d <= sandbox.now()}
    assert expected and {i: fired.get(i) for i in expected} == expected
