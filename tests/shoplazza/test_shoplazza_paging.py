"""Hypothesis properties of Shoplazza's cursor paging: complete, ordered, filtered, query-bound."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.testing import asgi_client, make_sandbox

BASE = "/shoplazza/openapi/2024-07/shoplazza-payment/disputes"
TOKEN = {"Access-Token": "tok_alpha"}
STATUSES = [
    "lost",
    "won",
    "warning_closed",
    "needs_response",
    "under_review",
    "warning_under_review",
    "warning_needs_response",
]
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCENARIO = """
version: 1
seed: 11
clock: {start: "2026-03-10T12:00:00Z"}
providers:
  shoplazza:
    stores:
      - id: "1001"
        subdomain: alpha
        tokens: [{token: tok_alpha}]
        disputes:
          # several disputes in the same second: ties are broken by id, never dropped
          - {id: dp_tie_a, status: won, created_at: "2026-02-01T00:00:00Z"}
          - {id: dp_tie_b, status: won, created_at: "2026-02-01T00:00:00Z"}
          - {id: dp_tie_c, status: lost, created_at: "2026-02-01T00:00:00Z"}
        generate: {count: 150, created_between: ["-60d", "-1h"]}
      - id: "1002"
        subdomain: beta
        tokens: [{token: tok_beta}]
        generate: {count: 40}
"""


@pytest.fixture(scope="module")
def paged():
    sandbox = make_sandbox(text=SCENARIO, providers=["shoplazza"])
    with asgi_client(sandbox) as client:
        yield sandbox, client


def expected_ids(sandbox, status, lo, hi) -> list[str]:
    """The brute-force answer: alpha's disputes filtered, newest first, ties by id descending."""
    state = sandbox.state("shoplazza")
    rows = [
        d
        for d in state.disputes
        if d.store_id == "1001"
        and (status is None or d.status == status)
        and (lo is None or d.created_at.timestamp() >= lo)
        and (hi is None or d.created_at.timestamp() <= hi)
    ]
    rows.sort(key=lambda d: (d.created_at, d.id), reverse=True)
    return [d.id for d in rows]


def walk(client, params: dict) -> list[dict]:
    pages, cursor = [], None
    for _ in range(500):
        query = {k: v for k, v in {**params, "cursor": cursor}.items() if v is not None}
        response = client.get(BASE, headers=TOKEN, params=query)
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        pages.append(data)
        if not data["has_more"]:
            return pages
        cursor = data["cursor"]
    raise AssertionError("paging did not end")


START = 1773144000  # 2026-03-10T12:00:00Z
bounds = st.one_of(st.none(), st.integers(min_value=START - 70 * 86400, max_value=START))


@SETTINGS
@given(
    status=st.one_of(st.none(), st.sampled_from(STATUSES)),
    limit=st.one_of(st.none(), st.integers(min_value=1, max_value=100)),
    lo=bounds,
    hi=bounds,
)
def test_every_item_once_in_order_and_filtered(paged, status, limit, lo, hi):
    sandbox, client = paged
    pages = walk(client, {"status": status, "limit": limit, "created_at_min": lo, "created_at_max": hi})
    size = limit or 10
    ids = [d["id"] for page in pages for d in page["list"]]
    assert ids == expected_ids(sandbox, status, lo, hi)
    for page in pages[:-1]:
        assert len(page["list"]) == size and page["has_more"] and page["cursor"]
    assert pages[-1]["has_more"] is False and pages[-1]["cursor"] == ""
    assert len(pages[-1]["list"]) <= size
    assert len(pages) == max(1, -(-len(ids) // size))
    for page in pages:
        for item in page["list"]:
            assert item["store_id"] == "1001"
            assert status is None or item["status"] == status


@SETTINGS
@given(
    first=st.tuples(st.one_of(st.none(), st.sampled_from(STATUSES)), bounds),
    second=st.tuples(st.one_of(st.none(), st.sampled_from(STATUSES)), bounds),
)
def test_cursors_never_leak_into_another_query(paged, first, second):
    _, client = paged
    (status_a, lo_a), (status_b, lo_b) = first, second
    params_a = {"status": status_a, "created_at_min": lo_a, "limit": 1}
    page = client.get(
        BASE, headers=TOKEN, params={k: v for k, v in params_a.items() if v is not None}
    ).json()["data"]
    if not page["has_more"]:
        return
    params_b = {"status": status_b, "created_at_min": lo_b, "limit": 1, "cursor": page["cursor"]}
    response = client.get(BASE, headers=TOKEN, params={k: v for k, v in params_b.items() if v is not None})
    if (status_a, lo_a) == (status_b, lo_b):
        assert response.status_code == 200
    else:
        assert (response.status_code, response.json()) == (
            400,
            {"code": "InvalidParameter", "message": "wrong cursor"},
        )


def test_ties_in_one_second_all_appear(paged):
    _, client = paged
    params = {"created_at_min": "1769904000", "created_at_max": "1769904000", "limit": 1}
    ids = [d["id"] for p in walk(client, params) for d in p["list"]]
    assert ids == ["dp_tie_c", "dp_tie_b", "dp_tie_a"]


def test_paging_stays_complete_when_a_listed_dispute_changes_status(sandbox_from):
    sandbox, client = sandbox_from(SCENARIO, providers=["shoplazza"])
    first = client.get(BASE, headers=TOKEN, params={"limit": 5}).json()["data"]
    seen = [d["id"] for d in first["list"]]
    # move a dispute on the first page and one further down; the walk still sees each id once
    state = sandbox.state("shoplazza")
    later = expected_ids(sandbox, None, None, None)[20]
    for dispute_id in (seen[0], later):
        dispute = state.disputes.get(dispute_id)
        assert state.lifecycle.apply(dispute, "set_status", {"status": "won"}, sandbox.now()) is None
    changed = [later, seen[0]]
    assert {state.disputes.get(i).status for i in changed} == {"won"}
    rest, cursor = [], first["cursor"]
    while cursor:
        data = client.get(BASE, headers=TOKEN, params={"limit": 5, "cursor": cursor}).json()["data"]
        rest += [d["id"] for d in data["list"]]
        cursor = data["cursor"]
    ids = seen + rest
    assert ids == expected_ids(sandbox, None, None, None)
    assert len(ids) == len(set(ids))
