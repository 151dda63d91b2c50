"""Relay paging properties for disputes and dispute alerts over random scenarios and queries:
every matching item exactly once, filters hold on every page, order holds, backward paging
mirrors forward paging, also after the clock moved records between statuses."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.providers.whop.dispute_models import ALERT_TYPES, DISPUTE_STATUSES
from sandbox.testing import asgi_client, make_sandbox

H = {"Authorization": "Bearer k1", "Api-Version-Date": "2026-10-15-1"}
DISPUTES, ALERTS = "/whop/api/v1/disputes", "/whop/api/v1/dispute_alerts"


def scenario(seed: int, count: int) -> str:
    return f"""
version: 1
seed: {seed}
clock: {{start: "2026-06-01T00:00:00Z"}}
providers:
  whop:
    rate_limit_per_minute: 0
    companies:
      - id: biz_A
        title: A
        api_keys: [{{key: k1, permissions: [payment:dispute:read, payment:dispute_alert:read]}}]
        generate_disputes: {{count: {count}, currencies: {{usd: 3, eur: 1}}}}
        generate_dispute_alerts: {{count: {count // 2}}}
      - id: biz_B
        title: B
        api_keys: [{{key: k2}}]
        generate_disputes: {{count: 4}}
        generate_dispute_alerts: {{count: 4}}
"""


def client_for(cached_sandbox, seed: int, count: int, moved: bool):
    # moved: deadlines passed, so statuses changed under the indexes
    return cached_sandbox(scenario(seed, count), ["whop"], "20d" if moved else None)


SORT = {
    "created_at": lambda r: (r.created_at, r.id),
    "amount": lambda r: (r.amount, r.id),
    "evidence_due_at": lambda r: ((1, 0) if r.evidence_due_at is None else (0, r.evidence_due_at), r.id),  # nulls last asc
    "reported_at": lambda r: (r.reported_at, r.id),
}


def walk(client, url, params, size):
    """Forward pages the way whop-sdk 2.6.0 does: stop on a null end_cursor or an empty page."""
    seen, after, pages = [], None, []
    while True:
        body = client.get(url, params=params + [("first", str(size))] + ([("after", after)] if after else []), headers=H)
        assert body.status_code == 200, body.text
        page = body.json()
        assert len(page["data"]) <= size
        pages.append(page["data"])
        seen += [item["id"] for item in page["data"]]
        after = page["page_info"]["end_cursor"]
        if not after or not page["data"]:
            return seen, pages
        assert len(pages) < 500


def walk_back(client, url, params, size):
    seen, before = [], None
    while True:
        page = client.get(url, params=params + [("last", str(size))] + ([("before", before)] if before else []), headers=H).json()
        seen = [item["id"] for item in page["data"]] + seen
        before = page["page_info"]["start_cursor"]
        if not page["page_info"]["has_previous_page"] or not page["data"]:
            return seen


dispute_queries = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 2),
        "count": st.sampled_from([0, 1, 23, 70]),
        "moved": st.booleans(),
        "size": st.integers(1, 15),
        "status": st.lists(st.sampled_from(DISPUTE_STATUSES), max_size=3, unique=True),
        "currency": st.sampled_from([None, "usd", "eur"]),
        "order": st.sampled_from(["created_at", "amount", "evidence_due_at"]),
        "direction": st.sampled_from(["asc", "desc"]),
    }
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=dispute_queries)
def test_dispute_pages_cover_the_filtered_set_once(q, cached_sandbox):
    sandbox, client = client_for(cached_sandbox, q["seed"], q["count"], q["moved"])
    params = [("order", q["order"]), ("direction", q["direction"])] + [("status", s) for s in q["status"]]
    if q["currency"]:
        params.append(("currency", q["currency"]))
    seen, pages = walk(client, DISPUTES, params, q["size"])
    for page in pages:
        for item in page:
            assert item["account_id"] == "biz_A"
            assert not q["status"] or item["status"] in q["status"]
            assert q["currency"] in (None, item["currency"])
    records = [
        d
        for d in sandbox.state("whop").disputes_book.disputes
        if d.account_id == "biz_A" and (not q["status"] or d.reported_status in q["status"]) and q["currency"] in (None, d.currency)
    ]
    assert seen == [d.id for d in sorted(records, key=SORT[q["order"]], reverse=q["direction"] == "desc")]
    assert walk_back(client, DISPUTES, params, q["size"]) == seen


alert_queries = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 2),
        "count": st.sampled_from([0, 23, 70]),
        "size": st.integers(1, 15),
        "type": st.sampled_from([None, *ALERT_TYPES]),
        "order": st.sampled_from(["created_at", "reported_at", "amount"]),
        "direction": st.sampled_from(["asc", "desc"]),
    }
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=alert_queries)
def test_alert_pages_cover_the_filtered_set_once(q, cached_sandbox):
    sandbox, client = client_for(cached_sandbox, q["seed"], q["count"], False)
    params = [("order", q["order"]), ("direction", q["direction"])] + ([("type", q["type"])] if q["type"] else [])
    seen, pages = walk(client, ALERTS, params, q["size"])
    assert all(item["type"] == q["type"] for page in pages for item in page if q["type"])
    records = [a for a in sandbox.state("whop").disputes_book.alerts if a.account_id == "biz_A" and q["type"] in (None, a.type)]
    assert seen == [a.id for a in sorted(records, key=SORT[q["order"]], reverse=q["direction"] == "desc")]
    assert walk_back(client, ALERTS, params, q["size"]) == seen


def test_lazy_bulk_disputes_are_what_their_columns_promised():
    sandbox = make_sandbox(text=scenario(1, 70), providers=["whop"])
    client = asgi_client(sandbox)
    book = sandbox.state("whop").disputes_book
    assert book.disputes.mismatched_keys() == []
    client.post("/_sandbox/clock/advance", json={"duration": "30d"})
    assert book.disputes.mismatched_keys() == []
