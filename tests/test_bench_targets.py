"""The bench's requests are real list calls: each answers 200 with a full page, so a bench run
measures listing, not an error path (a 401 or 404 is cheap and would flatter every ratio)."""

from __future__ import annotations

import sys

import pytest

from bench.run import answers_200, default_startups, latency_ms
from bench.scenarios import DEFAULT_LISTS, LIST_TARGETS, WRITE_TARGETS, big_scenario
from sandbox.testing import asgi_client, free_port, live_sandbox, make_sandbox

RECORDS = 400


ITEMS = {  # where each provider's list body keeps the page's records
    "whop": lambda body: body["data"],
    "whop-current": lambda body: body["data"],
    "orderprotection": lambda body: body["edges"],
    "pandabase": lambda body: body["data"]["items"],
    "shoplazza": lambda body: body["data"]["list"],
    "riverty": lambda body: body,
}


@pytest.fixture(scope="module")
def bench_client():
    with asgi_client(make_sandbox(text=big_scenario(RECORDS, list(LIST_TARGETS)))) as client:
        yield client


@pytest.mark.parametrize("provider", list(LIST_TARGETS))
def test_each_bench_call_lists_a_full_page(bench_client, provider: str):
    target = LIST_TARGETS[provider]
    for path in (target.first_page, target.plain_page(RECORDS), target.deep_page(RECORDS)):
        response = bench_client.get(path, headers=target.headers)
        assert response.status_code == 200, (path, response.text[:300])
        assert len(ITEMS[provider](response.json())) == 25, path
        # bench/distinct.lua appends a counter: the providers ignore it, so the page is the same
        # one, built again rather than taken from the page cache
        again = bench_client.get(f"{path}&_bench=1", headers=target.headers)
        assert again.status_code == 200 and again.json() == response.json(), path


def test_default_scenario_list_calls_answer_with_records():
    with asgi_client(make_sandbox()) as client:
        for provider, (path, headers) in DEFAULT_LISTS.items():
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (provider, response.text[:300])
            assert ITEMS[provider](response.json()), provider


# The harness itself, without wrk (which CI does not install): its start-up and latency probes.


def test_harness_times_start_up_and_each_first_list_call():
    startups, rss_mb, first_calls = default_startups(sys.executable, free_port(), runs=1)
    assert len(startups) == 1 and 0 < startups[0] < 60
    assert set(first_calls) == set(DEFAULT_LISTS) and all(ms > 0 for ms in first_calls.values())
    assert rss_mb > 10


def test_harness_latency_probe_builds_every_page():
    target = LIST_TARGETS["riverty"]
    with live_sandbox(text=big_scenario(RECORDS, ["riverty"])) as server:
        assert not answers_200(server.url + target.first_page)  # no credentials: refused
        assert answers_200(server.url + target.first_page, target.headers)
        state = server.sandbox.state("riverty")
        first_ms, deep_ms = latency_ms(
            [server.url + target.plain_page(RECORDS), server.url + target.deep_page(RECORDS)], target.headers, repeat=5
        )
        assert first_ms > 0 and deep_ms > 0
        for i in range(5):  # each timed request was a new URL: built, then cached under its own query
            query = f"pageSize=25&pageNumber=1&_bench={i}".encode()
            assert state.disputes.cached_page(("gen1", 9, query)) is not None


@pytest.mark.parametrize("name", list(WRITE_TARGETS))
def test_each_bench_write_answers_the_same_post_again_and_again(name: str):
    """`bench/run.py --writes` POSTs one body to one record under load: every answer must be a
    2xx (a 409 or 400 is cheap and would flatter the ratio), the first as the tenth."""
    target = WRITE_TARGETS[name]
    with asgi_client(make_sandbox(text=big_scenario(RECORDS, [target.provider]))) as client:
        page = client.get(target.list_page, headers=target.headers)
        assert page.status_code == 200, page.text[:300]
        url = target.path.format(id=target.pick(page.json()))
        headers = {**target.headers, "Content-Type": "application/json"}
        answers = [client.post(url, headers=headers, content=target.body) for _ in range(10)]
        assert {a.status_code for a in answers} <= {200, 201}, answers[-1].text[:300]
        assert len({len(a.content) for a in answers[1:]}) == 1  # the same size every time: a fair floor
