"""Richer forced faults (`/_sandbox/faults`, sandbox/faults.py): each kind on the API and on webhook
deliveries, probability and tenant scope, determinism from the seed, and today's body unchanged.
Latency is shown by what the sandbox records (the journal's reason, a delivery's `fault`), not by
timing; `reset`, `truncated` and `hang` also run against a live uvicorn server."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest

from sandbox.testing import WebhookReceiver, asgi_client, live_sandbox, make_sandbox, shipped_text

PATH = "/whop/api/v1/resolution_center_cases?first=4"
KEY = {"Authorization": "Bearer whop_test_pickaxe_read"}
OTHER = {"Authorization": "Bearer whop_test_courseforge_read"}
RIVERTY = ("/riverty/disputes?pageSize=3", {"X-Auth-Key": "riverty_test_abc_de"})


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with asgi_client(make_sandbox(text=shipped_text("default", ["whop", "riverty"]))) as c:
        yield c


@pytest.fixture(autouse=True)
def no_faults(client: httpx.Client) -> Iterator[None]:
    client.delete("/_sandbox/faults")
    yield
    client.delete("/_sandbox/faults")


def fault(client: httpx.Client, **body: Any) -> list[dict[str, Any]]:
    response = client.post("/_sandbox/faults", json=body)
    assert response.status_code == 201, response.text
    faults: list[dict[str, Any]] = response.json()["faults"]
    return faults


def reason(client: httpx.Client) -> str:
    found: str = client.get("/_sandbox/requests").json()["requests"][-1]["reason"]
    return found


def test_todays_body_answers_byte_for_byte(client) -> None:
    response = client.post("/_sandbox/faults", json={"provider": "whop", "status": 500, "count": 2, "path": "/x",
                                                     "retry_after": 3})
    assert response.status_code == 201
    assert response.content == b'{"faults":[{"provider":"whop","status":500,"count":2,"path":"/x","retry_after":3}]}'


@pytest.mark.parametrize("body", [
    {"provider": "whop", "kind": "latency"},
    {"provider": "whop", "kind": "latency", "ms": 5, "min_ms": 1, "max_ms": 2},
    {"provider": "whop", "kind": "latency", "min_ms": 9, "max_ms": 2},
    {"provider": "whop", "kind": "latency", "ms": 60_001},
    {"provider": "whop", "kind": "drop"},
    {"provider": "whop", "kind": "hang", "target": "webhooks"},
    {"provider": "whop", "kind": "hang", "seconds": 301},
    {"provider": "whop", "kind": "status"},
    {"provider": "whop", "kind": "status", "status": 500, "probability": 1.5},
    {"provider": "whop", "kind": "status", "status": 500, "target": "elsewhere"},
])
def test_incoherent_fault_bodies_are_refused_and_add_nothing(client, body) -> None:
    response = client.post("/_sandbox/faults", json=body)
    assert response.status_code == 400 and response.json()["error"]
    assert client.get("/_sandbox/faults").json() == {"faults": []}


def test_latency_then_the_real_answer(client) -> None:
    real = client.get(PATH, headers=KEY).content
    fault(client, provider="whop", kind="latency", ms=25)
    delayed = client.get(PATH, headers=KEY)
    assert delayed.status_code == 200 and delayed.content == real
    assert reason(client) == "forced fault latency 25 ms (/_sandbox/faults, 0 left)"


def _jitters(client: httpx.Client, times: int) -> list[int]:
    fault(client, provider="whop", kind="latency", min_ms=0, max_ms=40, count=times)
    found = []
    for _ in range(times):
        assert client.get(PATH, headers=KEY).status_code == 200
        match = re.fullmatch(r"forced fault latency (\d+) ms .*", reason(client))
        assert match
        found.append(int(match.group(1)))
    return found


def test_jittered_latency_is_drawn_from_the_seed() -> None:
    with asgi_client(make_sandbox(text=shipped_text("default", ["whop"]))) as c:
        first = _jitters(c, 6)
        assert all(0 <= ms <= 40 for ms in first) and len(set(first)) > 1
        c.post("/_sandbox/reset")
        assert c.get("/_sandbox/faults").json() == {"faults": []}  # a reset clears faults
        assert _jitters(c, 6) == first


@pytest.mark.parametrize("status", [None, 502])
def test_not_json_is_an_html_page(client, status) -> None:
    fault(client, provider="riverty", kind="not_json", **({"status": status} if status else {}))
    page = client.get(RIVERTY[0], headers=RIVERTY[1])
    assert page.status_code == (status or 200)
    assert page.headers["content-type"].startswith("text/html") and page.text.startswith("<!DOCTYPE html>")
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(page.content)


def test_truncated_is_a_whole_message_with_half_the_json(client) -> None:
    real = client.get(PATH, headers=KEY).content
    fault(client, provider="whop", kind="truncated")
    cut = client.get(PATH, headers=KEY)
    assert cut.status_code == 200 and int(cut.headers["content-length"]) == len(cut.content) == len(real) // 2
    assert real.startswith(cut.content)
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(cut.content)
    assert reason(client).startswith(f"forced fault truncated: {len(real) // 2} of {len(real)} body bytes sent")


def test_reset_is_a_transport_error_in_process(client) -> None:
    fault(client, provider="riverty", kind="reset")
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(RIVERTY[0], headers=RIVERTY[1])
    assert "forced fault reset" in reason(client)
    assert client.get(RIVERTY[0], headers=RIVERTY[1]).status_code == 200  # once


def test_hang_answers_504_in_the_providers_shape_after_its_bound(client) -> None:
    fault(client, provider="whop", kind="hang", seconds=0.05)
    answer = client.get(PATH, headers=KEY)
    assert answer.status_code == 504 and answer.json()["error"]["type"] == "gateway_timeout"
    assert reason(client) == "forced fault hang: answered 504 after 0.05 s"


def test_probability_fires_a_share_of_requests_the_same_way_after_a_reset() -> None:
    def statuses(c: httpx.Client) -> list[int]:
        fault(c, provider="whop", status=503, probability=0.3)
        return [c.get(PATH, headers=KEY).status_code for _ in range(30)]

    with asgi_client(make_sandbox(text=shipped_text("default", ["whop"]))) as c:
        first = statuses(c)
        assert set(first) == {200, 503} and 3 <= first.count(503) <= 20
        assert c.get("/_sandbox/faults").json()["faults"][0]["count"] is None  # no count: until cleared
        c.post("/_sandbox/reset")
        assert statuses(c) == first


def test_tenant_and_path_scope_a_fault(client) -> None:
    fault(client, provider="whop", status=500, tenant="biz_CourseForge02", count=5)
    assert client.get(PATH, headers=KEY).status_code == 200
    assert client.get(PATH, headers=OTHER).status_code == 500
    client.delete("/_sandbox/faults")
    fault(client, provider="whop", kind="not_json", path="/reso_PickaxeDue01")
    assert client.get(PATH, headers=KEY).status_code == 200
    assert client.get("/whop/api/v1/resolution_center_cases/reso_PickaxeDue01", headers=KEY).text.startswith("<!")


def test_a_fault_and_a_drill_together(client) -> None:
    """A latency fault delays the answer a drill then changes; the journal says both."""
    fault(client, provider="whop", kind="latency", ms=1)
    assert client.post("/_sandbox/drills", json={"provider": "whop", "kind": "extra_field"}).status_code == 201
    try:
        answer = client.get(PATH, headers=KEY)
        assert answer.headers["x-sandbox-drill"] == "extra_field"
        assert reason(client) == "forced fault latency 1 ms (/_sandbox/faults, 0 left); drill extra_field (/_sandbox/drills #1)"
    finally:
        client.delete("/_sandbox/drills")


# -- a live server: what uvicorn makes of reset, truncated and hang --------------------------------

@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with live_sandbox(text=shipped_text("default", ["whop"])) as live:
        yield live


def test_live_reset_drops_the_connection_mid_body(server) -> None:
    server.fault("whop", 500)  # the helper's status fault, then cleared: the helper still works
    httpx.delete(server.url + "/_sandbox/faults")
    assert httpx.post(server.url + "/_sandbox/faults", json={"provider": "whop", "kind": "reset"}).status_code == 201
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(server.url + PATH, headers=KEY, timeout=5)
    assert httpx.get(server.url + PATH, headers=KEY, timeout=5).status_code == 200  # the next one is whole


def test_live_truncated_is_a_clean_message_of_broken_json(server) -> None:
    real = httpx.get(server.url + PATH, headers=KEY).content
    httpx.post(server.url + "/_sandbox/faults", json={"provider": "whop", "kind": "truncated"})
    cut = httpx.get(server.url + PATH, headers=KEY, timeout=5)
    assert cut.status_code == 200 and cut.content == real[: len(real) // 2]


def test_live_hang_is_freed_when_the_client_gives_up(server) -> None:
    httpx.post(server.url + "/_sandbox/faults", json={"provider": "whop", "kind": "hang"})  # 300 s bound
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(server.url + PATH, headers=KEY, timeout=0.3)
    deadline = time.monotonic() + 10
    while server.sandbox.faults.hanging and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.sandbox.faults.hanging == 0  # the server let go when the client left
    found = server.requests(provider="whop")
    assert found[-1]["reason"].startswith("forced fault hang: the client went away after")


# -- webhook deliveries -------------------------------------------------------------------------------

SCENARIO = """
version: 1
seed: 3
clock: {start: "2026-05-01T00:00:00Z"}
providers:
  whop:
    companies:
      - id: biz_A
        title: A
        api_keys: [{key: k}]
        cases:
          - {id: reso_One, status: merchant_response_needed, created_at: "-1d"}
"""


@pytest.fixture
def deliver() -> Iterator[Any]:
    """`deliver(fault body, deliveries wanted, arrivals wanted)`: a receiver subscribed to one event
    type, a webhook fault, one event → (what arrived, the delivery log, the client)."""
    with contextlib.ExitStack() as opened:  # closed even when a step inside fails

        def run(body: dict[str, Any], wanted: int, arrive: int) -> tuple[list[Any], list[dict[str, Any]], httpx.Client]:
            receiver = opened.enter_context(WebhookReceiver())
            c = opened.enter_context(asgi_client(make_sandbox(text=SCENARIO)))
            c.post("/_sandbox/webhooks", json={"provider": "whop", "tenant": "biz_A", "url": receiver.url,
                                               "events": ["resolution_center_case.decided"]})
            fault(c, provider="whop", target="webhooks", **body)
            assert c.post("/_sandbox/whop/cases/reso_One/resolve", json={"outcome": "merchant_won"}).status_code == 200
            log = c.wait_deliveries(wanted)
            return receiver.wait_for(arrive, timeout=5 if arrive else 0), log, c

        yield run


def test_webhook_latency_then_the_delivery(deliver) -> None:
    got, log, _ = deliver({"kind": "latency", "ms": 20}, 1, 1)
    assert len(got) == 1 and log[0]["state"] == "succeeded" and log[0]["fault"] == "latency 20 ms"


def test_a_dropped_webhook_is_never_sent_nor_retried(deliver) -> None:
    got, log, c = deliver({"kind": "drop"}, 1, 0)
    assert log[0]["state"] == "dropped" and log[0]["fault"] == "drop" and log[0]["request"]["body"] is None
    c.post("/_sandbox/clock/advance", json={"duration": "1d"})  # past every retry offset
    assert len(c.wait_deliveries(1)) == 1 and got == []


def test_a_duplicated_webhook_arrives_twice_with_one_message_id(deliver) -> None:
    got, log, _ = deliver({"kind": "duplicate"}, 2, 2)
    assert len(got) == 2 and got[0].body == got[1].body
    assert got[0].headers["webhook-id"] == got[1].headers["webhook-id"]
    assert got[1].headers["x-sandbox-fault"] == "duplicate"


def test_a_failed_webhook_attempt_runs_the_retry_schedule(deliver) -> None:
    got, log, c = deliver({"kind": "status", "status": 502}, 1, 0)
    assert log[0]["state"] == "failed" and log[0]["response"] == {"status": 502, "body": ""} and got == []
    c.post("/_sandbox/clock/advance", json={"duration": "1h"})  # Whop's first retry is due
    log = c.wait_deliveries(2)
    assert [d["state"] for d in log] == ["failed", "succeeded"] and log[1]["attempt"] == 2
