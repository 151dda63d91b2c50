"""Every provider's `dashboard` hook against its own state: counts add up, filters hold on every
row, a row's record page names it, deadlines are pending and ordered, and every preset control
is a real control route that the provider accepts (never a 5xx)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from starlette.routing import Match

from sandbox.testing import asgi_client, make_sandbox

PROVIDERS = ["whop", "orderprotection", "pandabase", "shoplazza", "riverty"]


@pytest.fixture(scope="module")
def default():
    return make_sandbox("default")


@pytest.mark.parametrize("key", PROVIDERS)
def test_counts_filters_and_records_agree(default, key):
    provider = default.by_key[key]
    state = default.state(key)
    board = provider.dashboard
    assert board.statuses, "a provider's dashboard names its statuses"
    for tenant in provider.tenants(state):
        counts = board.status_counts(state, tenant.id)
        everything = board.records(state, tenant.id, "", "", 0, 10_000)
        assert sum(counts.values()) == everything.total == len(everything.rows) > 0
        assert len({r.id for r in everything.rows}) == everything.total
        for status, count in counts.items():
            assert status in board.statuses
            page = board.records(state, tenant.id, "", status, 0, 10_000)
            assert page.total == count and {r.status for r in page.rows} == {status}
            assert all(r.tenant == tenant.id for r in page.rows)
        row = everything.rows[0]
        detail = board.record(state, row.id)
        assert detail is not None and detail.row == row and detail.document
        assert board.records(state, tenant.id, row.id, "", 0, 5).rows[0].id == row.id  # search finds it
    assert board.records(state, "no-such-tenant", "", "", 0, 10).total == 0
    assert board.record(state, "no-such-record") is None


@pytest.mark.parametrize("key", PROVIDERS)
def test_deadlines_are_pending_ordered_and_bounded(default, key):
    provider = default.by_key[key]
    state = default.state(key)
    now = default.now()
    until = now + timedelta(days=30)
    found = provider.dashboard.pending_deadlines(state, until, 50)
    assert found.rows, key
    dues = [r.due for r in found.rows]
    assert all(d is not None and now <= d <= until for d in dues)
    assert dues == sorted(dues) and len(dues) <= 50
    assert len(provider.dashboard.pending_deadlines(state, until, 3).rows) == 3


@pytest.mark.parametrize("key", PROVIDERS)
def test_preset_controls_are_control_routes_the_provider_accepts(key):
    sandbox = make_sandbox("default")
    provider = sandbox.by_key[key]
    client = asgi_client(sandbox)
    state = sandbox.state(key)
    accepted = 0
    for tenant in provider.tenants(state)[:1]:
        for status in provider.dashboard.status_counts(state, tenant.id):
            row = provider.dashboard.records(state, tenant.id, "", status, 0, 1).rows[0]
            for control in provider.dashboard.record(sandbox.state(key), row.id).controls:
                assert control.path.startswith(f"/_sandbox/{key}/"), control
                scope = {"type": "http", "path": control.path.removeprefix("/_sandbox"), "method": "POST"}
                assert any(r.matches(scope)[0] == Match.FULL for r in provider.control_routes), control
                answer = client.post(control.path, json=control.body)
                assert answer.status_code < 500, (control, answer.text)
                accepted += answer.status_code < 300
    assert accepted > 0


def test_pandabase_disputes_have_a_page_deadlines_and_working_controls():
    sandbox = make_sandbox("expiring-disputes")
    client = asgi_client(sandbox)
    board = sandbox.by_key["pandabase"].dashboard
    state = sandbox.state("pandabase")
    due = [r for r in board.pending_deadlines(state, sandbox.now() + timedelta(days=30), 50).rows if r.id.startswith("dsp_")]
    assert due and all(r.status == "AWAITING_REVIEW" for r in due)
    detail = board.record(state, due[0].id)
    assert detail is not None and detail.document["id"] == due[0].id
    evidence = next(c for c in detail.controls if c.path.endswith("/evidence"))
    assert client.post(evidence.path, json=evidence.body).status_code == 200
    after = board.record(sandbox.state("pandabase"), due[0].id)
    assert after is not None and after.row.due is None  # evidence given: no lapse ahead
    assert due[0].id not in {r.id for r in board.pending_deadlines(state, sandbox.now() + timedelta(days=30), 50).rows}
    html = client.get(f"/_sandbox/ui/records/pandabase/{due[0].id}").text
    assert "Resolve: won" in html
