"""The bench's dispute list call answers a full page of current-shape disputes, and a fresh URL
builds the same page (as tests/test_bench_targets.py checks for each provider's first list)."""

from __future__ import annotations

import time

from bench.scenarios import VARIANT_TARGETS, big_scenario
from sandbox.testing import asgi_client, make_sandbox

RECORDS = 400


def test_dispute_bench_call_lists_a_full_page_next_to_the_case_list():
    target = VARIANT_TARGETS["whop-disputes"]
    text = big_scenario(RECORDS, ["whop", "whop-disputes"])
    assert text.count("  whop:") == 1 and "generate: {count: 400}" in text
    with asgi_client(make_sandbox(text=text)) as client:
        for path in (target.first_page, target.plain_page(RECORDS), target.deep_page(RECORDS)):
            response = client.get(path, headers=target.headers)
            assert response.status_code == 200, (path, response.text[:300])
            assert len(response.json()["data"]) == 25, path
            again = client.get(f"{path}&_bench=1", headers=target.headers)
            assert again.status_code == 200 and again.json() == response.json(), path
        cases = client.get("/whop/api/v1/resolution_center_cases?first=25", headers={"Authorization": "Bearer bench"})
        assert len(cases.json()["data"]) == 25


def test_dispute_list_costs_about_what_the_case_list_costs():
    """In-process timing, new URL each time (page cache bypassed): a coarse guard, not the bench."""
    target = VARIANT_TARGETS["whop-disputes"]
    with asgi_client(make_sandbox(text=big_scenario(20_000, ["whop-disputes"]))) as client:
        def per_request(path: str, headers: dict[str, str]) -> float:
            client.get(path, headers=headers)
            started = time.perf_counter()
            for i in range(60):
                assert client.get(f"{path}&_n={i}", headers=headers).status_code == 200
            return (time.perf_counter() - started) / 60

        disputes = per_request(target.plain_page(20_000), target.headers)
        cases = per_request("/whop/api/v1/resolution_center_cases?first=25", {"Authorization": "Bearer bench"})
        assert disputes < cases * 3, (disputes, cases)
