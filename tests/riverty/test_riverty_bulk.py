"""Lazy bulk disputes: what the columns promise (sort key, groups, deadline, numbers, attachments,
sort values) is what the record is, and look-ups by number or attachment id need no full build."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sandbox.bulk import micros
from sandbox.providers.riverty import tables
from sandbox.providers.riverty.columns import REASON_IDS, ticket_text
from sandbox.providers.riverty.lifecycle import AGENTS, EXPIRING
from sandbox.providers.riverty.listing import _sorter
from sandbox.testing import asgi_client, make_sandbox

K_DE = {"X-Auth-Key": "k-de"}
SCENARIO = """
version: 1
seed: 11
clock: {start: "2026-07-01T00:00:00Z"}
providers:
  riverty:
    clients:
      - id: 3
        name: Bulk GmbH
        email: ops@bulk.de
        shops:
          - {shop_id: RTY000000301, country_code: DE, api_key: k-de}
          - {shop_id: RTY000000301, country_code: AT, api_key: k-at}
        disputes:
          - {id: 0d0d0d0d-1111-4222-8333-444444444444, stage: 1, ticket_number: D-0001-0003, invoice_number: "INV#9"}
        generate:
          count: 420
          stages: {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1}
          hidden_share: 0.3
      - id: 5
        name: Other AB
        email: ops@other.se
        shops: [{shop_id: RTY000000501, country_code: SE, api_key: k-se}]
        generate: {count: 40}
"""


def fresh(rules: str = ""):
    text = SCENARIO + (f"    rules: {rules}\n" if rules else "")
    sandbox = make_sandbox(text=text, providers=["riverty"])
    return sandbox, sandbox.state("riverty")


@pytest.mark.parametrize("rules", ["", "{rfi_after: 'off', appeal_window: 'off', review_time: 2d}"])
def test_columns_and_records_agree(rules):
    sandbox, state = fresh(rules)
    assert len(state.disputes) == 461
    assert sandbox.events.query() == []  # nothing was due at the clock start
    assert not any(b.built.any() for b in state.blocks)  # loading built no bulk record
    assert state.disputes.mismatched_keys() == []
    now = sandbox.now()
    invoices, tickets = set(), set()
    for block in state.blocks:
        assert set(block.stage.tolist()) == ({1, 2, 3, 4, 5, 6, 7} if block.client_id == 3 else set(block.stage.tolist()))
        for i, dispute_id in enumerate(block.ids):
            d = state.disputes.get(dispute_id)
            assert d.client_id == block.client_id and d.shop == block.shops[block.shop[i]]
            assert (d.stage, d.status, d.show_in_merchant_ui) == (block.stage[i], block.status[i], block.ui[i])
            assert d.rfi_party == ("shop", "customer")[block.party[i]]
            assert micros(d.created_at) == block.created[i]
            assert (micros(d.deadline) if d.deadline else -1) == block.deadline[i]
            due = d.deadline if d.stage in EXPIRING else None
            assert (micros(due) if due else -1) == block.due[i]
            assert due is None or due > now  # a running deadline is after the clock start
            assert micros(d.touched_at) == block.touched[i]
            assert (d.agent, d.dispute_amount_cents, d.amount_cents) == (
                AGENTS[block.agent[i]] if block.agent[i] >= 0 else None, block.disputed[i], block.amount[i])
            assert tables.REASONS[d.reason_code][0] == REASON_IDS[block.reason[i]]
            assert d.ticket_number == ticket_text(int(block.seq[i])) and d.invoice_number == str(block.invoice[i])
            owned = d.attachment_ids + [a for c in d.comments for a in c.attachment_ids]
            assert owned == block.attachment_ids(i)
            assert all(state.attachments[a].dispute_id == d.id for a in owned)
            times = [c.created_at for c in d.comments]
            assert d.created_at <= min(times, default=d.created_at) and times == sorted(times)
            assert max(times, default=d.created_at) == d.updated_at <= now
            assert (d.decision is not None) == any(s in (4, 6) for s in range(2, d.stage + 1) if block.steps[i][s - 2] >= 0)
            invoices.add(d.invoice_number)
            tickets.add(d.ticket_number)
    assert len(invoices) == len(tickets) == 460  # unique across clients
    assert "D-0001-0003" not in tickets  # the hand-written ticket is skipped, not reused


def test_bulk_deadlines_fire_at_their_instants():
    sandbox, state = fresh()
    due = {d.id: d.deadline for d in state.disputes if d.stage in EXPIRING and d.deadline}
    sandbox.advance_clock(timedelta(days=8))
    fired = {}
    for event in sandbox.events.query():
        fired.setdefault(event.object_id, event.at)
    expected = {i: at for i, at in due.items() if at <= sandbox.now()}
    assert expected and {i: fired.get(i) for i in expected} == expected
    assert set(fired) == set(expected)


def test_one_step_and_many_steps_agree():
    one, state_one = fresh()
    many, state_many = fresh()
    one.advance_clock(timedelta(days=30))
    for _ in range(30):
        many.advance_clock(timedelta(days=1))
    view = lambda s: sorted((d.id, d.stage, d.decision, d.updated_at, len(d.comments)) for d in s.disputes)  # noqa: E731
    assert view(state_one) == view(state_many)
    assert [(e.type, e.object_id, e.at) for e in one.events.query()] == [(e.type, e.object_id, e.at) for e in many.events.query()]


def test_transitioned_bulk_dispute_is_not_fired_twice():
    sandbox, state = fresh()
    block = state.blocks[0]
    i = next(i for i in range(len(block)) if block.stage[i] == 1)
    client = asgi_client(sandbox)
    r = client.post(f"/_sandbox/riverty/disputes/{block.ids[i]}/decide", json={"decision": "Write-off"})
    assert r.status_code == 200 and r.json()["stage"]["id"] == 4
    sandbox.advance_clock(timedelta(days=22))  # past the column deadline of stage 1
    types = [e.type for e in sandbox.events.query() if e.object_id == block.ids[i]]
    assert types == ["InitialDecisionEvent"]


def test_numbers_and_attachments_resolve_without_building_everything():
    sandbox, state = fresh()
    client = asgi_client(sandbox)
    block = state.blocks[0]
    i = next(i for i in range(len(block)) if block.customer_files[i] and block.shops[block.shop[i]].endswith("/DE"))
    dispute_id, attachment_id = block.ids[i], block.attachment_ids(i)[0]
    r = client.get(f"/riverty/attachments/{attachment_id}/content", headers=K_DE)
    assert r.status_code == 200 and len(r.content) == state.attachments[attachment_id].size
    assert client.get(f"/riverty/attachments/{attachment_id}/content", headers={"X-Auth-Key": "k-at"}).status_code == 404
    r = client.get(f"/riverty/Complaints/{dispute_id}/attachments/{attachment_id}", headers=K_DE)
    assert r.status_code == 200
    assert client.get("/riverty/attachments/00000000-0000-4000-8000-000000000000/content", headers=K_DE).status_code == 404
    k = next(k for k in range(len(block)) if block.customer_files[k] and not block.built[k])
    real = block.attachment_ids(k)[0]
    forged = real[:19] + ("9" if real[19] != "9" else "a") + real[20:]  # the same first half
    assert client.get(f"/riverty/attachments/{forged}/content", headers=K_DE).status_code == 404
    assert not block.built[k]  # a near miss builds nothing
    j = (i + 1) % len(block)
    for number in (str(block.invoice[j]), ticket_text(int(block.seq[j])), ticket_text(int(block.seq[j])).lower()):
        page = client.get("/riverty/3/disputes", headers=K_DE, params={"query": number}).json()
        assert [d["id"] for d in page] == [block.ids[j]]
    assert client.get("/riverty/3/disputes", headers=K_DE, params={"query": "0" + str(block.invoice[j])}).json() == []
    assert int(block.built.sum()) == 2  # the two disputes asked for, nothing else
    assert client.get("/riverty/3/disputes", headers=K_DE, params={"query": "inv#9"}).json()[0]["id"].startswith("0d0d")


SORTS = [(s, m) for s in tables.SORT_BY_GEN2 if s != "CreatedAt" for m in ("asc", "desc")]


@pytest.mark.parametrize(("gen2", "params"), [
    (False, {}), (False, {"status": 1}), (True, {}), (True, {"status": 4, "showInMerchantUi": "false"}),
    (True, {"showInMerchantUi": "true", "startDate": "2026-05-01", "endDate": "2026-06-15"}),
])
def test_column_sorts_match_record_sorts(gen2, params):
    """Non-default orders over a mix of lazy, built and transitioned disputes equal the sort of
    the built records; only the pages asked for are built."""
    sandbox, state = fresh()
    client = asgi_client(sandbox)
    block = state.blocks[0]
    for i in range(0, 60, 6):  # built, some moved on
        state.disputes.get(block.ids[i])
        if i % 12 == 0:
            client.post(f"/_sandbox/riverty/disputes/{block.ids[i]}/set_stage", json={"stage": 4, "rfi_party": "customer"})
    path = "/riverty/disputes" if gen2 else "/riverty/3/disputes"
    sorts = SORTS if gen2 else [(s, m) for s, m in SORTS if s in tables.SORT_BY_GEN1]
    pages = {}
    for sort_by, method in sorts:
        r = client.get(path, headers=K_DE, params={**params, "sortBy": sort_by, "sortMethod": method,
                                                   "pageSize": 9, "pageNumber": 3})
        body = r.json()
        pages[sort_by, method] = (body["paging"]["total"] if gen2 else None, [d["id"] for d in (body["results"] if gen2 else body)])
    assert int(block.built.sum()) < len(block) // 2
    lo, hi = params.get("startDate"), params.get("endDate")
    scope = [
        d for d in state.disputes
        if (d.shop == "RTY000000301/DE" if gen2 else d.client_id == 3)
        and ("status" not in params or d.status == params["status"])
        and ("showInMerchantUi" not in params or str(d.show_in_merchant_ui).lower() == params["showInMerchantUi"])
        and (lo is None or lo <= d.created_at.date().isoformat() <= hi)
    ]
    for (sort_by, method), (total, ids) in pages.items():
        ranked = sorted(scope, key=_sorter(sort_by, gen2), reverse=method == "desc")
        assert ids == [d.id for d in ranked[18:27]], (sort_by, method)
        assert total in (None, len(scope))
