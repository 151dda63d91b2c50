"""A clock move changes bulk disputes nobody has read in their columns
(sandbox/providers/shoplazza/state.py, `BulkDisputes.expire`): what a reader sees afterwards is what
it sees when every dispute was built before the move (each deadline ran the full transition)."""

from __future__ import annotations

from datetime import timedelta

from sandbox.providers.shoplazza.models import STATUSES
from sandbox.testing import asgi_client, make_sandbox

SCENARIO = """
version: 1
seed: 4
clock: {start: "2026-07-01T00:00:00Z"}
providers:
  shoplazza:
    stores:
      - id: "1001"
        subdomain: alpha
        tokens: [{token: tok_alpha}]
        disputes: [{id: dp_hand, status: needs_response, created_at: "-1m"}]
        generate: {count: 500}
"""
URL = "/shoplazza/openapi/2024-07/shoplazza-payment/disputes"
H = {"Access-Token": "tok_alpha"}


def _answers(sandbox) -> dict:
    client = asgi_client(sandbox)
    ids = sorted(k[-1] for k in sandbox.state("shoplazza").disputes.index(("1001",)))
    pages = [f"{URL}?limit=100"] + [f"{URL}?limit=100&status={s}" for s in STATUSES]
    answers = {url: client.get(url, headers=H) for url in pages + [f"{URL}/{i}" for i in ids]}
    assert {r.status_code for r in answers.values()} == {200}
    seen: dict = {url: r.content for url, r in answers.items()}
    seen["events"] = [e.to_json() for e in sandbox.events.query()]
    return seen


def _moved(read_first: bool, steps: list[timedelta]):
    sandbox = make_sandbox(text=SCENARIO, providers=["shoplazza"])
    state = sandbox.state("shoplazza")
    if read_first:
        assert len(list(state.disputes)) == 501  # every dispute built: the path every deadline took before
    for step in steps:
        sandbox.advance_clock(step)
        asgi_client(sandbox).get(f"{URL}?limit=5&status=lost", headers=H)  # builds a few on the way
    assert state.disputes.mismatched_keys() == []
    return sandbox


def test_a_move_over_unread_disputes_equals_one_over_built_ones():
    built = _answers(_moved(True, [timedelta(days=40)]))
    assert len(built["events"]) > 100
    assert _answers(_moved(False, [timedelta(days=40)])) == built
    assert _answers(_moved(False, [timedelta(hours=19)] * 51)) == built


def test_unread_disputes_are_moved_without_being_built():
    sandbox = make_sandbox(text=SCENARIO, providers=["shoplazza"])
    state = sandbox.state("shoplazza")
    sandbox.advance_clock(timedelta(days=40))
    assert len(sandbox.events.query()) > 100
    assert sum(1 for _ in state.disputes.built_records()) == 1  # the hand-written dispute only
    assert state.bulk[0].moves.most() == 1
