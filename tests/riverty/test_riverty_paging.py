"""Paging over both generations: every item exactly once, filters and order hold on every page."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.providers.riverty import tables

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def sort_value(record, sort_by: str, gen2: bool):
    value = {
        "CreatedAt": record.created_at,
        "StatusId": record.stage if gen2 else record.status,
        "ReasonCodeId": tables.REASONS[record.reason_code][0],
        "TicketNumber": record.ticket_number,
        "Deadline": record.deadline,
        "UpdatedByConsumerOrRivertyAt": record.touched_at,
        "AgentAssignee": record.agent.casefold() if record.agent else None,
        "DisputeAmount": record.dispute_amount_cents,
    }[sort_by]
    return (0, 0) if value is None else (1, value)


def walk(client, path, headers, params, gen2: bool) -> tuple[list[str], list[int]]:
    ids, totals, number = [], [], 1
    while True:
        r = client.get(path, headers=headers, params={**params, "pageNumber": number})
        assert r.status_code == 200, r.text
        body = r.json()
        page = body["results"] if gen2 else body
        if gen2:
            totals.append(body["paging"]["total"])
            assert body["paging"]["pageSize"] == params["pageSize"]
        assert len(page) <= params["pageSize"]
        if not page:
            return ids, totals
        ids += [item["id"] for item in page]
        number += 1
        assert number < 500


def assert_order(state, ids, sort_by, descending, gen2):
    keys = [(sort_value(state.disputes.get(i), sort_by, gen2), i) for i in ids]
    assert keys == sorted(keys, reverse=descending)


@SETTINGS
@given(
    size=st.integers(1, 25),
    sort_by=st.sampled_from(tables.SORT_BY_GEN1),
    method=st.sampled_from(["asc", "desc", "Asc", "DESC"]),
    status=st.one_of(st.none(), st.integers(1, 5)),
)
def test_gen1_pages_cover_every_dispute_once_in_order(world, size, sort_by, method, status):
    sandbox, client, ns = world
    state = sandbox.state("riverty")
    params = {"pageSize": size, "sortBy": sort_by, "sortMethod": method}
    if status is not None:
        params["status"] = status
    ids, _ = walk(client, "/riverty/1/disputes", ns.K1, params, gen2=False)
    expected = {d.id for d in state.disputes if d.client_id == 1 and (status is None or d.status == status)}
    assert len(ids) == len(set(ids)) and set(ids) == expected
    assert_order(state, ids, sort_by, method.lower() == "desc", gen2=False)


@SETTINGS
@given(
    size=st.integers(1, 25),
    sort_by=st.sampled_from(tables.SORT_BY_GEN2),
    desc=st.booleans(),
    ui=st.sampled_from([None, True, False]),
    status=st.one_of(st.none(), st.integers(1, 5)),
)
def test_gen2_pages_cover_every_dispute_once_in_order(world, size, sort_by, desc, ui, status):
    sandbox, client, ns = world
    state = sandbox.state("riverty")
    params = {"pageSize": size, "sortBy": sort_by, "sortMethod": "Desc" if desc else "Asc"}
    if ui is not None:
        params["showInMerchantUi"] = str(ui).lower()
    if status is not None:
        params["status"] = status
    ids, totals = walk(client, "/riverty/disputes", ns.K1, params, gen2=True)
    expected = {
        d.id for d in state.disputes
        if d.shop == "RTY000002240/DE" and (ui is None or d.show_in_merchant_ui is ui) and (status is None or d.status == status)
    }
    assert len(ids) == len(set(ids)) and set(ids) == expected
    assert set(totals) == {len(expected)}
    assert_order(state, ids, sort_by, desc, gen2=True)


@pytest.mark.parametrize("sort_by", tables.SORT_BY_GEN2)
@pytest.mark.parametrize("method", ["asc", "desc"])
def test_every_gen2_sort_both_ways_with_dates(world, sort_by, method):
    sandbox, client, ns = world
    state = sandbox.state("riverty")
    params = {"pageSize": 7, "sortBy": sort_by, "sortMethod": method, "startDate": "2025-03-01", "endDate": "2025-05-31"}
    ids, totals = walk(client, "/riverty/disputes", ns.K1, params, gen2=True)
    expected = {
        d.id for d in state.disputes
        if d.shop == "RTY000002240/DE" and "2025-03-01" <= d.created_at.date().isoformat() <= "2025-05-31"
    }
    assert sorted(ids) == sorted(expected) and totals[0] == len(expected)
    assert_order(state, ids, sort_by, method == "desc", gen2=True)


def test_default_order_is_created_at_desc_and_defaults_are_20_and_1(world):
    sandbox, client, ns = world
    state = sandbox.state("riverty")
    page = client.get("/riverty/1/disputes", headers=ns.K1).json()
    newest = sorted((d for d in state.disputes if d.client_id == 1), key=lambda d: (d.created_at, d.id), reverse=True)
    assert [p["id"] for p in page] == [d.id for d in newest[:20]]
    g2 = client.get("/riverty/disputes", headers=ns.K1).json()
    assert g2["paging"]["pageSize"] == 20 and len(g2["results"]) == 20
