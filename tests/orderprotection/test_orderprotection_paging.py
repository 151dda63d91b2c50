"""Paging properties: every claim exactly once, forward and backward, under every filter."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.providers.orderprotection.models import CLAIM_STATES, CLAIM_TYPES, SENDER_TYPES
from sandbox.testing import asgi_client, make_sandbox

SETTINGS = settings(max_examples=30, deadline=None)


@pytest.fixture(scope="module")
def world(k_session):
    text = k_session.SMALL.replace("count: 40", "count: 160")
    sandbox = make_sandbox(text=text, providers=["orderprotection"])
    client = asgi_client(sandbox)
    yield sandbox, client, k_session
    client.close()


FILTER_FIELDS = {
    "claimFiledFrom": st.sampled_from(["EXTERNAL", "INTERNAL"]),
    "isOta": st.booleans(),
    "resolutionRequested": st.sampled_from(["RESHIP", "REFUND", "STORE_CREDIT", None]),
    "claimType": st.sampled_from([*CLAIM_TYPES, None]),
}

queries = st.fixed_dictionaries(
    {},
    optional={
        "claimState": st.lists(st.sampled_from(CLAIM_STATES), min_size=1, max_size=3, unique=True),
        "claimType": st.lists(st.sampled_from(CLAIM_TYPES), min_size=1, max_size=2, unique=True),
        "senderType": st.sampled_from(SENDER_TYPES),
        "filter": st.dictionaries(st.sampled_from(sorted(FILTER_FIELDS)), st.none(), max_size=2).flatmap(
            lambda d: st.fixed_dictionaries({key: FILTER_FIELDS[key] for key in d})
        ),
        "operator": st.sampled_from(["AND", "OR"]),
    },
)


def _oracle(state, query: dict) -> list[str]:
    """Brute force: the alpha store's live claims matching the query, newest first."""
    checks = []
    if "claimType" in query:
        checks.append(lambda c: c.claim_type in query["claimType"])
    if "senderType" in query:
        checks.append(lambda c: any(m.sender_type == query["senderType"] for m in c.messages))
    for field, value in query.get("filter", {}).items():
        getter = {
            "claimFiledFrom": lambda c: c.claim_filed_from,
            "isOta": lambda c: c.is_ota,
            "resolutionRequested": lambda c: c.resolution_requested,
            "claimType": lambda c: c.claim_type,
        }[field]
        checks.append(lambda c, g=getter, v=value: g(c) == v)
    states = set(query.get("claimState", []))
    if query.get("operator") == "OR" and checks:
        def keep(c):
            return c.state in states or any(check(c) for check in checks)
    else:
        def keep(c):
            return (not states or c.state in states) and all(check(c) for check in checks)
    live = [c for c in state.claims if c.store_id == "alpha" and c.deleted_at is None and keep(c)]
    live.sort(key=lambda c: (c.created_at, c.id), reverse=True)
    return [c.id for c in live]


def _params(query: dict) -> list[tuple[str, str]]:
    params = []
    for name in ("claimState", "claimType"):
        params += [(name, v) for v in query.get(name, [])]
    if "senderType" in query:
        params.append(("senderType", query["senderType"]))
    if query.get("filter"):
        params.append(("filter", json.dumps(query["filter"])))
    if "operator" in query:
        params.append(("operator", query["operator"]))
    return params


def _walk(client, k, query, size, backward: bool):
    ids, cursor, pages = [], None, 0
    while True:
        params = _params(query) + [("last" if backward else "first", str(size))]
        if cursor:
            params.append(("before" if backward else "after", cursor))
        r = client.get(k.BASE + "/claims", params=params, headers=k.RW)
        assert r.status_code == 200, r.text
        data = r.json()
        page = [e["node"]["id"] for e in data["edges"]]
        info = data["pageInfo"]
        assert len(page) <= size
        if page:
            assert (info["startCursor"], info["endCursor"]) == (page[0], page[-1])
        else:
            assert info == {"startCursor": None, "endCursor": None, "hasNextPage": False, "hasPreviousPage": False}
        ids = page + ids if backward else ids + page
        pages += 1
        more = info["hasPreviousPage"] if backward else info["hasNextPage"]
        if not more:
            return ids, pages
        assert len(page) == size  # only the last page may be short
        cursor = info["startCursor"] if backward else info["endCursor"]


@SETTINGS
@given(query=queries, size=st.integers(1, 25))
def test_forward_pages_cover_the_filtered_set_once(world, query, size):
    sandbox, client, k = world
    expected = _oracle(sandbox.state("orderprotection"), query)
    ids, pages = _walk(client, k, query, size, backward=False)
    assert ids == expected
    assert pages == max(1, -(-len(expected) // size))


@SETTINGS
@given(query=queries, size=st.integers(1, 25))
def test_backward_pages_cover_the_filtered_set_once(world, query, size):
    sandbox, client, k = world
    expected = _oracle(sandbox.state("orderprotection"), query)
    ids, _ = _walk(client, k, query, size, backward=True)
    assert ids == expected


@SETTINGS
@given(query=queries, size=st.integers(1, 10), hop=st.integers(1, 5))
def test_back_from_a_forward_page_returns_the_previous_one(world, query, size, hop):
    sandbox, client, k = world
    expected = _oracle(sandbox.state("orderprotection"), query)
    start = min(hop * size, len(expected) - 1)
    if start < 1:
        return
    anchor = expected[start]
    params = _params(query) + [("last", str(size)), ("before", anchor)]
    data = client.get(k.BASE + "/claims", params=params, headers=k.RW).json()
    assert [e["node"]["id"] for e in data["edges"]] == expected[max(0, start - size) : start]
    assert data["pageInfo"]["hasNextPage"] is True
    assert data["pageInfo"]["hasPreviousPage"] is (start - size > 0)


@SETTINGS
@given(states=st.lists(st.sampled_from(CLAIM_STATES), min_size=1, max_size=3, unique=True), kind=st.sampled_from(CLAIM_TYPES))
def test_and_is_the_intersection_and_or_the_union(world, states, kind):
    sandbox, client, k = world
    def everything(operator):
        q = {"claimState": states, "claimType": [kind], "operator": operator}
        return set(_walk(client, k, q, 100, backward=False)[0])

    by_state = set(_walk(client, k, {"claimState": states}, 100, backward=False)[0])
    by_type = set(_walk(client, k, {"claimType": [kind]}, 100, backward=False)[0])
    assert everything("AND") == by_state & by_type
    assert everything("OR") == by_state | by_type


def test_comma_list_and_bracket_forms(world):
    _, client, k = world
    a = client.get(k.BASE + "/claims?claimState=NEW,OPEN&first=100", headers=k.RW).json()
    b = client.get(k.BASE + "/claims?claimState[]=NEW&claimState[]=OPEN&first=100", headers=k.RW).json()
    c = client.get(k.BASE + "/claims?claimState=OPEN&claimState=NEW&first=100", headers=k.RW).json()
    assert a == b == c and a["edges"]
    assert {e["node"]["claimState"] for e in a["edges"]} == {"NEW", "OPEN"}


def test_size_and_cursor_aliases(world):
    _, client, k = world
    first = client.get(k.BASE + "/claims?first=5", headers=k.RW).json()
    alias = client.get(k.BASE + "/claims?size=5", headers=k.RW).json()
    assert first == alias
    end = first["pageInfo"]["endCursor"]
    assert client.get(k.BASE + f"/claims?size=5&cursor={end}", headers=k.RW).json() == client.get(
        k.BASE + f"/claims?first=5&after={end}", headers=k.RW
    ).json()


def test_cursor_survives_a_state_change_of_its_claim(world):
    """Cursors are claim ids: a claim changing state keeps its place in the unfiltered order."""
    sandbox, client, k = world
    page = client.get(k.BASE + "/claims?first=3", headers=k.RW).json()
    end = page["pageInfo"]["endCursor"]
    expected = client.get(k.BASE + f"/claims?first=3&after={end}", headers=k.RW).json()
    state = sandbox.state("orderprotection")
    claim = state.claims.get(end)
    before = claim.state
    state.claims.update(claim, lambda c: setattr(c, "state", "ARCHIVED" if before != "ARCHIVED" else "OPEN"))
    try:
        again = client.get(k.BASE + f"/claims?first=3&after={end}", headers=k.RW).json()
        assert [e["node"]["id"] for e in again["edges"]] == [e["node"]["id"] for e in expected["edges"]]
    finally:
        state.claims.update(claim, lambda c: setattr(c, "state", before))
