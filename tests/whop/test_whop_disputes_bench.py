"""The bench's dispute list call answers a full page of current-shape disputes, and a fresh URL
builds the same page (as tests/test_bench_targets.py checks for each provider's first list)."""

from __future__ import annotations

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


def test_a_fresh_dispute_page_builds_only_the_records_it_shows():
    """What made the dispute list cost what the case list costs: a page built from a new URL (the
    page cache bypassed) builds its own 25 records, never the 20,000 behind it — counted, not timed
    (speed itself is measured in bench/)."""
    target = VARIANT_TARGETS["whop-disputes"]
    sandbox = make_sandbox(text=big_scenario(20_000, ["whop-disputes"]))
    disputes = sandbox.state("whop").disputes_book.disputes
    with asgi_client(sandbox) as client:
        unbuilt = disputes.unbuilt_count()
        assert unbuilt >= 19_000
        for i, path in enumerate((target.first_page, target.plain_page(20_000), target.deep_page(20_000))):
            response = client.get(f"{path}&_n={i}", headers=target.headers)
            assert response.status_code == 200 and len(response.json()["data"]) == 25, path
        assert unbuilt - disputes.unbuilt_count() <= 3 * 26
