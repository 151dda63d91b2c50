"""A clock move changes bulk cases nobody has read in their columns (sandbox/providers/whop/state.py,
`BulkFacts.expire`): what any reader sees afterwards is what it sees when every case was built
before the move (each deadline then ran the full transition)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sandbox.providers.whop.generator import history_length
from sandbox.providers.whop.lifecycle import MAX_SYSTEM_MOVES
from sandbox.providers.whop.models import STATUSES
from sandbox.testing import asgi_client, make_sandbox

SCENARIO = """
version: 1
seed: 5
clock: {start: "2026-07-01T00:00:00Z"}
webhooks:
  - {provider: whop, tenant: biz_A, url: "http://127.0.0.1:9/hook"}
providers:
  whop:
    rate_limit_per_minute: 0
    companies:
      - id: biz_A
        title: A
        api_keys: [{key: k}]
        cases: [{id: reso_Hand, status: merchant_response_needed, created_at: "-1d"}]
        generate: {count: 600, created_between: ["-20d", "-1m"]}
"""
QUIET = SCENARIO.replace('webhooks:\n  - {provider: whop, tenant: biz_A, url: "http://127.0.0.1:9/hook"}\n', "")
LEGACY = {"Authorization": "Bearer k"}
CURRENT = {**LEGACY, "Api-Version-Date": "2026-10-15-1"}
URL = "/whop/api/v1/resolution_center_cases"


def _answers(sandbox) -> dict:
    """Everything a client or a receiver can read of the cases."""
    client = asgi_client(sandbox)
    state = sandbox.state("whop")
    ids = sorted(k[-1] for k in state.cases.index(("biz_A",)))
    pages = {f"{URL}?first=100&statuses[]={s}": LEGACY for s in STATUSES}
    pages |= {f"{URL}?first=100&order=response_due_at&direction={d}": CURRENT for d in ("asc", "desc")}
    pages[f"{URL}/summary?groups=status"] = CURRENT
    answers = {url: client.get(url, headers=h) for url, h in pages.items()}
    assert {r.status_code for r in answers.values()} == {200}
    seen: dict = {url: r.content for url, r in answers.items()}
    seen |= {i: client.get(f"{URL}/{i}", headers=LEGACY).content for i in ids}
    seen["events"] = [e.to_json() for e in sandbox.events.query()]
    seen["webhooks"] = [(p.outbox.message.message_id, p.outbox.body) for q in sandbox.world.webhooks.queues.values() for p in q]
    return seen


def _moved(text: str, read_first: bool, steps: list[timedelta], peek: bool = False):
    sandbox = make_sandbox(text=text, providers=["whop"])
    state = sandbox.state("whop")
    if read_first:
        assert len(list(state.cases)) == 601  # every case built: the path every deadline took before
    for step in steps:
        sandbox.advance_clock(step)
        if peek:  # a reader between steps builds some cases half-way through their moves, and
            client = asgi_client(sandbox)  # the due-date order is kept from the first step on
            client.get(f"{URL}?first=7&statuses[]=under_platform_review", headers=LEGACY)
            client.get(f"{URL}?first=3&order=response_due_at&direction=asc", headers=CURRENT)
    assert state.cases.mismatched_keys() == []
    return sandbox


@pytest.mark.parametrize("text", [SCENARIO, QUIET], ids=["webhooks", "no-webhooks"])
def test_a_move_over_unread_cases_equals_one_over_built_ones(text):
    """With a subscription every event's payload builds its case; without, most cases pass both
    their deadlines unread and are built (replayed) only by the reads below."""
    built = _answers(_moved(text, True, [timedelta(days=30)]))
    assert len(built["events"]) > 600 and bool(built["webhooks"]) == (text is SCENARIO)
    assert _answers(_moved(text, False, [timedelta(days=30)])) == built
    small = [timedelta(hours=13)] * 56
    assert _answers(_moved(text, False, small, peek=True)) == built


def test_unread_cases_are_moved_without_being_built():
    sandbox = make_sandbox(text=QUIET, providers=["whop"])
    state = sandbox.state("whop")
    sandbox.advance_clock(timedelta(days=30))
    assert len(sandbox.events.query()) > 600
    assert sum(1 for _ in state.cases.built_records()) == 1  # the hand-written case only
    facts = state.bulk["biz_A"]
    assert facts.moves.most() == MAX_SYSTEM_MOVES


def test_history_lengths_of_timed_statuses_match_built_cases():
    sandbox = make_sandbox(text=SCENARIO, providers=["whop"])
    facts = sandbox.state("whop").bulk["biz_A"]
    for i, case_id in enumerate(facts.ids):
        case = sandbox.state("whop").cases.get(case_id)
        if facts.due[i] >= 0:  # a timed status: a move may change it unread
            assert len(case.events) == history_length(case.status) == facts.events[i], case_id
