"""Hypothesis properties of page-number paging: every item once, filters and sort on every page."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

STATUSES = [None, "OPEN", "AWAITING_CUSTOMER", "AWAITING_MERCHANT", "CLOSED"]
PRIORITIES = [None, "LOW", "NORMAL", "HIGH", "URGENT"]
SCENARIO = """
version: 1
seed: {seed}
clock: {{start: "2026-06-01T12:00:00Z"}}
providers:
  pandabase:
    rate_limits: {{per_second: 0}}
    stores:
      - id: shp_pagingstore000000000001
        name: Paging
        tokens: [{{secret: sk_paging}}]
        generate: {{count: 140, customers: 9}}
      - id: shp_pagingstore000000000002
        name: Noise
        tokens: [{{secret: sk_noise}}]
        generate: {{count: 30, customers: 9}}
"""
BASE = "/pandabase/v2/core/stores/shp_pagingstore000000000001/cases"
H = {"Authorization": "Bearer sk_paging"}


@pytest.fixture(scope="module")
def client():
    from sandbox.testing import asgi_client, make_sandbox

    sandbox = make_sandbox(text=SCENARIO.format(seed=11), providers=["pandabase"])
    with asgi_client(sandbox) as c:
        yield c


def fetch(client, **query):
    response = client.get(BASE, params={k: v for k, v in query.items() if v is not None}, headers=H)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def sort_key(item):
    return (item["lastMessageAt"], item["createdAt"], item["id"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    limit=st.integers(1, 100),
    status=st.sampled_from(STATUSES),
    priority=st.sampled_from(PRIORITIES),
    by_customer=st.booleans(),
)
def test_pages_cover_every_match_once_in_order(client, limit, status, priority, by_customer):
    everything = fetch(client, limit=100)["items"] + fetch(client, limit=100, page=2)["items"]
    assert len(everything) == 140
    customer = everything[0]["customerId"] if by_customer else None
    expected = [
        i for i in everything
        if (status is None or i["status"] == status)
        and (priority is None or i["priority"] == priority)
        and (customer is None or i["customerId"] == customer)
    ]
    seen, page, total_pages = [], 1, None
    while True:
        data = fetch(client, limit=limit, page=page, status=status, priority=priority, customerId=customer)
        pagination = data["pagination"]
        assert pagination["total"] == len(expected)
        assert pagination["totalPages"] == math.ceil(len(expected) / limit)
        assert (pagination["page"], pagination["limit"]) == (page, limit)
        assert total_pages in (None, pagination["totalPages"])
        total_pages = pagination["totalPages"]
        for item in data["items"]:
            assert status is None or item["status"] == status
            assert priority is None or item["priority"] == priority
            assert customer is None or item["customerId"] == customer
        assert len(data["items"]) == (limit if page < total_pages else len(expected) - limit * (total_pages - 1)) or total_pages == 0
        seen += data["items"]
        if page >= total_pages:  # the documented end condition
            break
        page += 1
    assert [i["id"] for i in seen] == [i["id"] for i in expected]
    assert len({i["id"] for i in seen}) == len(seen)
    assert [sort_key(i) for i in seen] == sorted((sort_key(i) for i in seen), reverse=True)
    beyond = fetch(client, limit=limit, page=max(total_pages, 1) + 1, status=status, priority=priority, customerId=customer)
    assert beyond["items"] == [] and beyond["pagination"]["total"] == len(expected)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=st.integers(1, 40), page=st.integers(1, 12))
def test_a_page_is_the_matching_slice_of_the_full_order(client, limit, page):
    full = fetch(client, limit=100)["items"] + fetch(client, limit=100, page=2)["items"]
    got = fetch(client, limit=limit, page=page)["items"]
    assert got == full[(page - 1) * limit : page * limit]


def test_paging_stays_consistent_while_cases_move(client):
    """A reply moves a case to the top: the sort key is updated in the index, never stale."""
    first_page = fetch(client, limit=5)["items"]
    last_item = fetch(client, limit=1, page=140)["items"][0]
    response = client.post(f"{BASE}/{last_item['id']}/read", headers=H)
    assert response.status_code == 200
    from_sandbox = client.post(f"/_sandbox/pandabase/cases/{last_item['id']}/customer-reply", json={"body": "up"})
    assert from_sandbox.status_code == 200
    top = fetch(client, limit=5)["items"]
    assert top[0]["id"] == last_item["id"] and top[0]["unreadCount"] == 1
    assert [i["id"] for i in top[1:]] == [i["id"] for i in first_page[:4]]
    assert fetch(client, limit=100)["pagination"]["total"] == 140
