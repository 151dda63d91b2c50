"""Relay paging properties of the current API: every case (and case event) once across pages,
forward and backward, with every filter holding on every page."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.providers.whop import inferred
from sandbox.providers.whop.models import CURRENT_STATUSES, OUTCOMES, REASONS
from sandbox.testing import asgi_client, make_sandbox

H = {"Authorization": "Bearer k1", "Api-Version-Date": "2026-10-15-1"}
URL = "/whop/api/v1/resolution_center_cases"
ISSUE_OF = {v: k for k, v in inferred.REASON_OF_ISSUE.items()}


def scenario(seed: int, count: int) -> str:
    events = "\n".join(f"              - {{action: responded, reporter_type: merchant, details: 'step {i}', at: '-{40 - i}h'}}" for i in range(30))
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
        api_keys: [{{key: k1}}]
        cases:
          - id: reso_Long
            status: merchant_response_needed
            created_at: -3d
            events:
{events}
              - {{action: requested_more_info, reporter_type: platform, details: hidden, at: '-5h'}}
        generate: {{count: {count}}}
      - id: biz_B
        title: B
        api_keys: [{{key: k2}}]
        generate: {{count: 5}}
"""


def client_for(cached_sandbox, seed: int, count: int):
    return cached_sandbox(scenario(seed, count), ["whop"])


def matches(case, q) -> bool:
    status, _, outcome = inferred.CURRENT_STATUS[case.status]
    return (
        case.company_id == "biz_A"
        and (not q["status"] or status in q["status"])
        and (not q["outcome"] or outcome in q["outcome"])
        and (not q["reason"] or inferred.REASON_OF_ISSUE[case.issue] in q["reason"])
    )


def expected(sandbox, q) -> list[str]:
    cases = [c for c in sandbox.state("whop").cases if matches(c, q)]
    if q["order"] == "response_due_at":
        key = lambda c: (c.due_date is None, c.due_date.timestamp() if c.due_date else 0, c.id)  # noqa: E731
    else:
        key = lambda c: (c.created_at, c.id)  # noqa: E731
    return [c.id for c in sorted(cases, key=key, reverse=q["direction"] == "desc")]


queries = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 2),
        "count": st.sampled_from([0, 9, 50]),
        "size": st.integers(1, 15),
        "status": st.lists(st.sampled_from(CURRENT_STATUSES), max_size=2, unique=True),
        "outcome": st.lists(st.sampled_from(OUTCOMES), max_size=2, unique=True),
        "reason": st.lists(st.sampled_from(REASONS), max_size=3, unique=True),
        "direction": st.sampled_from(["asc", "desc"]),
        "order": st.sampled_from(["created_at", "response_due_at"]),
    }
)


def params_for(q) -> list[tuple[str, str]]:
    params = [("direction", q["direction"]), ("order", q["order"])]
    for name in ("status", "outcome", "reason"):
        params += [(name, v) for v in q[name]]
    return params


def check_page(body, q) -> None:
    for item in body["data"]:
        assert not q["status"] or item["status"] in q["status"]
        assert not q["outcome"] or item["outcome"] in q["outcome"]
        assert not q["reason"] or item["reason"] in q["reason"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=queries)
def test_forward_paging_covers_the_filtered_set_once(q, cached_sandbox):
    sandbox, client = client_for(cached_sandbox, q["seed"], q["count"])
    base = params_for(q) + [("first", str(q["size"]))]
    seen, after = [], None
    for _ in range(200):
        body = client.get(URL, params=base + ([("after", after)] if after else []), headers=H).json()
        assert len(body["data"]) <= q["size"]
        check_page(body, q)
        seen += [item["id"] for item in body["data"]]
        after = body["page_info"]["end_cursor"]
        if not body["data"] or not after:  # 2.6.0's end condition
            break
    assert seen == expected(sandbox, q)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=queries)
def test_backward_paging_covers_the_filtered_set_once(q, cached_sandbox):
    sandbox, client = client_for(cached_sandbox, q["seed"], q["count"])
    base = params_for(q) + [("last", str(q["size"]))]
    seen, before = [], None
    for _ in range(200):
        body = client.get(URL, params=base + ([("before", before)] if before else []), headers=H).json()
        check_page(body, q)
        seen = [item["id"] for item in body["data"]] + seen
        if not body["page_info"]["has_previous_page"]:
            break
        before = body["page_info"]["start_cursor"]
    assert seen == expected(sandbox, q)


@settings(max_examples=25, deadline=None)
@given(size=st.integers(1, 12), backward=st.booleans())
def test_event_paging_newest_first_every_event_once(size, backward, cached_sandbox):
    sandbox, client = client_for(cached_sandbox, 0, 0)
    case = sandbox.state("whop").cases.get("reso_Long")
    wanted = [e.id for e in reversed(case.events)]  # the merchant reads the full timeline
    seen, cursor = [], None
    name, size_name = ("before", "last") if backward else ("after", "first")
    for _ in range(100):
        params = [(size_name, str(size))] + ([(name, cursor)] if cursor else [])
        body = client.get(f"{URL}/reso_Long/events", params=params, headers=H).json()
        ids = [e["id"] for e in body["data"]]
        seen = ids + seen if backward else seen + ids
        info = body["page_info"]
        more = info["has_previous_page"] if backward else info["has_next_page"]
        if not more:
            break
        cursor = info["start_cursor"] if backward else info["end_cursor"]
    assert seen == wanted and len(wanted) == 32


def test_due_indexes_from_columns_match_the_records_and_follow_changes():
    from sandbox.providers.whop.state import due_key

    sandbox = make_sandbox(text=scenario(5, 80), providers=["whop"])
    state = sandbox.state("whop")
    groups = [("biz_A",), ("biz_A", "merchant_response_needed"), ("biz_A", "under_platform_review"), ("biz_A", "merchant_won")]
    built_first = {g: list(state.due.get(g)) for g in groups}  # from the columns: nothing built yet
    with asgi_client(sandbox) as client:  # writes after the lists exist must keep them in step
        client.post("/_sandbox/whop/cases/reso_Long/resolve", json={"outcome": "merchant_won"})
        client.post("/_sandbox/clock/advance", json={"duration": "8d"})
    for group in groups:
        expected = sorted(due_key(state.cases.record_for(k)) for k in state.cases.index(group))
        assert list(state.due.get(group)) == expected, group
    assert any(built_first[g] != list(state.due.get(g)) for g in groups)  # the moves did change them
