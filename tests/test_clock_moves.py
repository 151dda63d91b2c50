"""Clock moves over HTTP: sliced so other requests go on, serialised, equal to one unsliced step,
and answering how many events they caused and whether the list is cut."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import timedelta

import httpx
import pytest

from sandbox import runtime
from sandbox.app import create_app
from sandbox.testing import asgi_client, live_sandbox, make_sandbox

GENERATED = """
version: 1
seed: 9
clock: {{start: "2026-05-01T00:00:00Z"}}
providers:
  whop:
    rate_limit_per_minute: 0
    companies:
      - id: biz_A
        title: A
        api_keys: [{{key: k}}]
        generate: {{count: {count}, statuses: {{merchant_response_needed: 1}}}}
"""
URL = "/whop/api/v1/resolution_center_cases?first=100"
H = {"Authorization": "Bearer k"}


def test_the_answer_counts_every_event_and_says_when_the_list_is_cut(monkeypatch):
    monkeypatch.setattr(runtime, "ANSWER_EVENTS_LIMIT", 5)
    client = asgi_client(make_sandbox(text=GENERATED.format(count=30), providers=["whop"]))
    small = client.post("/_sandbox/clock/advance", json={"seconds": 1}).json()
    assert small["events_total"] == len(small["events"]) and small["events_truncated"] is False
    moved = client.post("/_sandbox/clock/advance", json={"duration": "30d"}).json()
    journal = client.get("/_sandbox/events", params={"since": 0}).json()["events"]
    assert moved["events_total"] == len(journal) - small["events_total"] > 5
    assert moved["events_truncated"] is True and len(moved["events"]) == 5
    assert moved["events"] == journal[small["events_total"] : small["events_total"] + 5]  # the first ones, in order
    later = client.post("/_sandbox/clock/set", json={"now": "2026-07-01T00:00:00Z"}).json()
    assert later == {"now": "2026-07-01T00:00:00.000Z", "events": [], "events_total": 0, "events_truncated": False}


def test_a_sliced_move_equals_one_unsliced_step(monkeypatch):
    text = GENERATED.format(count=300)
    whole = make_sandbox(text=text, providers=["whop"])
    whole.advance_clock(timedelta(days=30))
    monkeypatch.setattr(runtime, "MOVE_SLICE_SECONDS", 0.0)  # one action per slice
    sliced = make_sandbox(text=text, providers=["whop"])
    client = asgi_client(sliced)
    answer = client.post("/_sandbox/clock/advance", json={"duration": "30d"}).json()
    assert answer["now"] == "2026-05-31T00:00:00.000Z"
    assert [e.to_json() for e in sliced.events.query()] == [e.to_json() for e in whole.events.query()]
    assert client.get(URL, headers=H).content == asgi_client(whole).get(URL, headers=H).content


def test_other_requests_go_on_during_a_long_move(monkeypatch):
    # one action per slice: a move over unread bulk cases runs in their columns, fast enough that
    # slices of the default length would let it end before a handful of requests got in
    monkeypatch.setattr(runtime, "MOVE_SLICE_SECONDS", 0.0)
    with live_sandbox(text=GENERATED.format(count=10000), providers=["whop"]) as server:
        done = threading.Event()
        answer: dict = {}

        def move() -> None:
            answer.update(httpx.post(server.url + "/_sandbox/clock/advance", json={"duration": "30d"}, timeout=60).json())
            done.set()

        mover = threading.Thread(target=move)
        answered_while_moving = 0
        with httpx.Client(base_url=server.url) as client:
            client.get("/_sandbox/health")
            mover.start()
            while not done.is_set():
                if not server.sandbox.world.moving:
                    time.sleep(0.001)  # the move has not started yet (or has just ended)
                    continue
                assert client.get("/_sandbox/health").status_code == 200
                answered_while_moving += server.sandbox.world.moving
        mover.join()
        assert answer["events_total"] > 10000, answer.get("events_total")
        # Unsliced, a request sent during the move would be answered only once it ended; sliced,
        # requests are answered while it goes on. Counted, not timed (bench/clock_move.py times it).
        assert answered_while_moving >= 5, answered_while_moving


def test_concurrent_moves_are_serialised():
    with live_sandbox(text=GENERATED.format(count=2000), providers=["whop"]) as server:
        answers: list[dict] = []

        def move() -> None:
            answers.append(httpx.post(server.url + "/_sandbox/clock/advance", json={"duration": "10d"}, timeout=60).json())

        movers = [threading.Thread(target=move) for _ in range(3)]
        for mover in movers:
            mover.start()
        for mover in movers:
            mover.join()
        assert sorted(a["now"] for a in answers) == ["2026-05-11T00:00:00.000Z", "2026-05-21T00:00:00.000Z",
                                                     "2026-05-31T00:00:00.000Z"]
        journal = httpx.get(server.url + "/_sandbox/events").json()["events"]
        assert sum(a["events_total"] for a in answers) == len(journal)


def test_a_reset_during_a_move_abandons_it(monkeypatch):
    """Driven on one event loop, not by sleeping: the reset is sent once the move is under way (it
    yields between slices), so the order does not depend on how fast the machine is."""
    monkeypatch.setattr(runtime, "MOVE_SLICE_SECONDS", 0.0)
    sandbox = make_sandbox(text=GENERATED.format(count=3000), providers=["whop"])
    app = create_app(sandbox)

    async def move_then_reset() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            move = asyncio.create_task(client.post("/_sandbox/clock/advance", json={"duration": "30d"}))
            for _ in range(100_000):  # until the move has run a slice and yielded
                await asyncio.sleep(0)
                if sandbox.world.moving:
                    break
            assert sandbox.world.moving and not move.done()
            reset = await client.post("/_sandbox/reset")
            return reset, await move

    reset, answer = asyncio.run(move_then_reset())
    assert reset.status_code == 200
    assert answer.status_code == 409 and "reset or reloaded" in answer.json()["error"]
    client = asgi_client(sandbox)
    assert client.get("/_sandbox/clock").json()["now"] == "2026-05-01T00:00:00.000Z"
    assert client.get("/_sandbox/events").json()["events"] == []


@pytest.mark.parametrize("body", [{"seconds": -1}, {"duration": "99999999d"}, {"seconds": 1e300}, {}])
def test_bad_moves_change_nothing(body):
    client = asgi_client(make_sandbox(text=GENERATED.format(count=5), providers=["whop"]))
    response = client.post("/_sandbox/clock/advance", json=body)
    assert response.status_code == 400 and response.json()["error"]
    assert client.get("/_sandbox/clock").json()["now"] == "2026-05-01T00:00:00.000Z"
    backwards = client.post("/_sandbox/clock/set", json={"now": "2026-04-30T00:00:00Z"})
    assert backwards.status_code == 400 and "never goes backwards" in backwards.json()["error"]
    assert client.get("/_sandbox/clock").json()["now"] == "2026-05-01T00:00:00.000Z"
