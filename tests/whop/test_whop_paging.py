"""Relay paging properties over random scenarios: no gap, no duplicate, filters and order hold."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.providers.whop.models import STATUSES

H = {"Authorization": "Bearer k1"}
URL = "/whop/api/v1/resolution_center_cases"


def scenario(seed: int, count: int) -> str:
    return f"""
version: 1
seed: {seed}
clock: {{start: "2026-06-01T00:00:00Z"}}
providers:
  whop:
    rate_limit_per_minute: 0  # thousands of requests a minute here
    companies:
      - id: biz_A
        title: A
        api_keys: [{{key: k1}}]
        generate: {{count: {count}}}
      - id: biz_B
        title: B
        api_keys: [{{key: k2}}]
        generate: {{count: 5}}
"""


def client_for(cached_sandbox, seed: int, count: int):
    return cached_sandbox(scenario(seed, count), ["whop"])


def expected(sandbox, statuses, direction):
    cases = [c for c in sandbox.state("whop").cases if c.company_id == "biz_A"]
    cases = [c for c in cases if not statuses or c.status in statuses]
    return [c.id for c in sorted(cases, key=lambda c: (c.created_at, c.id), reverse=direction == "desc")]


queries = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 3),
        "count": st.sampled_from([0, 1, 17, 60]),
        "size": st.integers(1, 12),
        "statuses": st.lists(st.sampled_from(STATUSES), max_size=3, unique=True),
        "direction": st.sampled_from(["asc", "desc"]),
    }
)


def params_for(q) -> list[tuple[str, str]]:
    return [("direction", q["direction"])] + [("statuses[]", s) for s in q["statuses"]]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=queries)
def test_forward_paging_covers_the_filtered_set_once(q, cached_sandbox):
    sandbox, client = client_for(cached_sandbox, q["seed"], q["count"])
    base = params_for(q) + [("first", str(q["size"]))]
    seen, after, pages = [], None, 0
    while True:
        params = base + ([("after", after)] if after else [])
        body = client.get(URL, params=params, headers=H).json()
        assert len(body["data"]) <= q["size"]
        for item in body["data"]:
            assert not q["statuses"] or item["status"] in q["statuses"]
        seen += [item["id"] for item in body["data"]]
        pages += 1
        # the SDK's end condition: empty page or null end_cursor
        if not body["data"] or not body["page_info"]["end_cursor"]:
            break
        assert body["page_info"]["has_next_page"] == (len(seen) < len(expected(sandbox, q["statuses"], q["direction"])))
        after = body["page_info"]["end_cursor"]
        assert pages < 200
    assert seen == expected(sandbox, q["statuses"], q["direction"])


@settings(max_examples=30, deadline=None)
@given(q=queries)
def test_backward_paging_covers_the_filtered_set_once(q, cached_sandbox):
    sandbox, client = client_for(cached_sandbox, q["seed"], q["count"])
    base = params_for(q) + [("last", str(q["size"]))]
    seen: list[str] = []
    before = None
    for _ in range(200):
        params = base + ([("before", before)] if before else [])
        body = client.get(URL, params=params, headers=H).json()
        seen = [item["id"] for item in body["data"]] + seen
        if not body["page_info"]["has_previous_page"]:
            break
        before = body["page_info"]["start_cursor"]
    assert seen == expected(sandbox, q["statuses"], q["direction"])


@settings(max_examples=25, deadline=None)
@given(q=queries, other=st.lists(st.sampled_from(STATUSES), min_size=1, max_size=2, unique=True))
def test_a_cursor_from_one_query_is_refused_by_another(q, other, cached_sandbox):
    _, client = client_for(cached_sandbox, q["seed"], 60)
    body = client.get(URL, params=params_for(q) + [("first", "1")], headers=H).json()
    cursor = body["page_info"]["end_cursor"]
    if cursor is None or sorted(other) == sorted(q["statuses"]):
        return
    foreign = [("direction", q["direction"])] + [("statuses", s) for s in other] + [("after", cursor)]
    response = client.get(URL, params=foreign, headers=H)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "after"


def test_cursor_of_one_company_is_refused_by_another(cached_sandbox):
    sandbox, client = client_for(cached_sandbox, 1, 17)
    cursor = client.get(URL, params={"first": 1}, headers=H).json()["page_info"]["end_cursor"]
    response = client.get(URL, params={"after": cursor}, headers={"Authorization": "Bearer k2"})
    assert response.status_code == 400


def test_both_statuses_encodings_are_accepted(cached_sandbox):
    _, client = client_for(cached_sandbox, 2, 60)
    bracket = client.get(URL + "?statuses[]=customer_won&statuses[]=merchant_won&first=100", headers=H).json()
    plain = client.get(URL + "?statuses=customer_won&statuses=merchant_won&first=100", headers=H).json()
    assert [i["id"] for i in bracket["data"]] == [i["id"] for i in plain["data"]]
    assert {i["status"] for i in plain["data"]} <= {"customer_won", "merchant_won"}
    assert plain["data"]


def test_last_page_keeps_end_cursor_and_the_next_request_is_empty(cached_sandbox):
    _, client = client_for(cached_sandbox, 3, 17)
    body = client.get(URL, params={"first": 100}, headers=H).json()
    assert len(body["data"]) == 17
    assert body["page_info"]["has_next_page"] is False and body["page_info"]["end_cursor"]
    after = client.get(URL, params={"first": 100, "after": body["page_info"]["end_cursor"]}, headers=H).json()
    assert after == {
        "data": [],
        "page_info": {"end_cursor": None, "start_cursor": None, "has_next_page": False, "has_previous_page": False},
    }


def test_oversize_first_is_clamped_to_100(cached_sandbox):
    _, client = client_for(cached_sandbox, 0, 150)
    assert len(client.get(URL, params={"first": 5000}, headers=H).json()["data"]) == 100
    assert len(client.get(URL, params={"last": 101}, headers=H).json()["data"]) == 100
    response = client.get(URL, params={"first": "-1"}, headers=H)
    assert response.status_code == 400 and response.json()["error"]["param"] == "first"


@settings(max_examples=30, deadline=None)
@given(q=queries, a=st.integers(0, 59), b=st.integers(0, 59), first=st.integers(1, 10), last=st.integers(0, 10))
def test_between_two_cursors_with_first_and_last(q, a, b, first, last, cached_sandbox):
    """Relay's slicing: bound by after/before, take the first n, then the last m; the flags say
    whether anything of the filtered set lies beyond the slice on each side."""
    sandbox, client = client_for(cached_sandbox, q["seed"], 60)
    every = expected(sandbox, [], q["direction"])
    lo, hi = sorted((a, b))
    cursors = {}
    for i in (lo, hi):  # the cursor of the item at position i
        one = client.get(URL, params={"first": 1, "direction": q["direction"], "after": _cursor_before(client, q, i)}, headers=H).json()
        assert one["data"][0]["id"] == every[i]
        cursors[i] = one["page_info"]["start_cursor"]
    params = {"direction": q["direction"], "after": cursors[lo], "before": cursors[hi], "first": first, "last": last}
    got = client.get(URL, params=params, headers=H).json()
    window = every[lo + 1 : hi][:first]
    window = window[-last:] if last else []
    assert [i["id"] for i in got["data"]] == window
    if window:
        position = every.index(window[-1])
        assert got["page_info"]["has_next_page"] == (position < len(every) - 1)
        assert got["page_info"]["has_previous_page"] == (every.index(window[0]) > 0)


def _cursor_before(client, q, index):
    """The end cursor of the page that stops just before position `index` (None at 0)."""
    if index == 0:
        return None
    page = client.get(URL, params={"first": index, "direction": q["direction"]}, headers=H).json()
    return page["page_info"]["end_cursor"]
