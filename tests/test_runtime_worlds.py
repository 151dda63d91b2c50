"""World swaps (reset, load): atomic for requests, cancelling the old world's deliveries, freeing it,
and leaving the garbage collector of the user's process alone."""

from __future__ import annotations

import gc
import random
import socket
import threading
import time
import weakref

import httpx

from sandbox.testing import WebhookReceiver, live_sandbox, make_sandbox

SCENARIO = """
version: 1
seed: 4
clock: {start: "2026-05-01T00:00:00Z"}
providers:
  whop:
    rate_limit_per_minute: 0
    companies:
      - id: biz_A
        title: A
        api_keys: [{key: k}]
        generate: {count: 200, statuses: {merchant_response_needed: 1}}
"""
H = {"Authorization": "Bearer k"}


def case_ids(sandbox) -> list[str]:
    return [c.id for c in sandbox.state("whop").cases]


def test_a_reset_cancels_the_old_worlds_deliveries():
    with WebhookReceiver() as receiver, live_sandbox(text=SCENARIO, providers=["whop"]) as server:
        receiver.hang_seconds = 0.2
        server.subscribe("whop", "biz_A", receiver.url)
        for case in case_ids(server.sandbox)[:15]:  # 30 messages, 0.2 s each: 6 s of sending
            httpx.post(server.url + f"/_sandbox/whop/cases/{case}/resolve", json={"outcome": "merchant_won"})
        receiver.wait_for(2)
        assert httpx.post(server.url + "/_sandbox/reset").status_code == 200
        after_reset = len(receiver.received)
        time.sleep(1.5)
        assert len(receiver.received) == after_reset < 30  # nothing of the old world arrives after the reset
        assert httpx.get(server.url + "/_sandbox/webhooks/deliveries").json() == {"deliveries": [], "queued": 0}


def test_a_reset_frees_the_old_world_even_with_sends_in_flight():
    with WebhookReceiver() as receiver:
        receiver.hang_seconds = 3
        text = SCENARIO + f'webhooks:\n  - {{provider: whop, tenant: biz_A, url: "{receiver.url}"}}\n'
        with live_sandbox(text=text, providers=["whop"]) as server:
            old = weakref.ref(server.sandbox.world.states["whop"])
            httpx.post(server.url + f"/_sandbox/whop/cases/{case_ids(server.sandbox)[0]}/resolve",
                       json={"outcome": "merchant_won"})
            receiver.wait_for(1)
            httpx.post(server.url + "/_sandbox/reset")
            deadline = time.monotonic() + 2
            while old() is not None and time.monotonic() < deadline:
                time.sleep(0.05)
                gc.collect()
            assert old() is None
            assert server.sandbox.world.webhooks.subscriptions  # the scenario's subscription is back


def test_make_sandbox_and_reset_leave_the_users_collector_alone():
    frozen = gc.get_freeze_count()
    sandbox = make_sandbox(text=SCENARIO, providers=["whop"])
    sandbox.reset()
    assert gc.get_freeze_count() == frozen and gc.isenabled()
    gc.disable()
    try:
        sandbox.reset()
        assert not gc.isenabled()  # a build pauses the collector; it does not turn it on
    finally:
        gc.enable()


def test_concurrent_writes_and_resets_lose_no_acknowledged_write():
    """A write acknowledged, then read back with no reset in between, must be there."""
    with live_sandbox(text=SCENARIO, providers=["whop"]) as server:
        ids = case_ids(server.sandbox)
        resets: list[list[float]] = []  # [sent, answered]; answered is infinite while in flight
        lost: list[str] = []
        checked = [0]
        stop = time.monotonic() + 4

        def resetter() -> None:
            with httpx.Client(base_url=server.url) as client:
                while time.monotonic() < stop:
                    interval = [time.monotonic(), float("inf")]
                    resets.append(interval)
                    assert client.post("/_sandbox/reset").status_code == 200
                    interval[1] = time.monotonic()
                    time.sleep(0.03)

        def writer(seed: int) -> None:
            rng = random.Random(seed)
            with httpx.Client(base_url=server.url) as client:
                while time.monotonic() < stop:
                    case = rng.choice(ids)
                    sent = time.monotonic()
                    wrote = client.post(f"/_sandbox/whop/cases/{case}/resolve", json={"outcome": "merchant_won"})
                    if wrote.status_code != 200:
                        continue  # already decided in this world: not a write
                    read = client.get(f"/whop/api/v1/resolution_center_cases/{case}", headers=H)
                    done = time.monotonic()
                    if any(r_sent < done and r_done > sent for r_sent, r_done in list(resets)):
                        continue  # a reset overlapped: either world is right
                    checked[0] += 1
                    if read.json()["status"] != "merchant_won":
                        lost.append(case)

        threads = [threading.Thread(target=resetter)] + [threading.Thread(target=writer, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(resets) >= 5 and checked[0] >= 10, (len(resets), checked[0])
        assert lost == []


def test_a_write_whose_body_arrives_after_a_reset_lands_in_the_new_world():
    """The request's head reaches the server before a reset, its body after: the write must be in
    the new world (the world the reset made), not in the discarded one: the one middleware reads a
    request's body before any handler runs, and the swap itself never suspends."""
    sandbox = make_sandbox(text=SCENARIO, providers=["whop"])
    case = case_ids(sandbox)[0]
    with live_sandbox(sandbox=sandbox) as server:
        body = b'{"outcome": "merchant_won"}'
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as conn:
            conn.sendall(f"POST /_sandbox/whop/cases/{case}/resolve HTTP/1.1\r\nHost: x\r\n"
                         f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode())
            time.sleep(0.2)  # the handler may start now and wait for the body
            assert httpx.post(server.url + "/_sandbox/reset").status_code == 200
            conn.sendall(body)
            answer = conn.recv(65536)
        assert answer.startswith(b"HTTP/1.1 200")
        read = httpx.get(server.url + f"/whop/api/v1/resolution_center_cases/{case}", headers=H)
        assert read.json()["status"] == "merchant_won"


def test_freeze_gc_freezes_each_world_and_what_a_move_builds_and_unfreezes_the_old():
    """The CLI server's mode (`Sandbox(freeze_gc=True)`); cleaned up here, as it freezes everything."""
    import asyncio
    from datetime import timedelta

    from sandbox.providers import load_providers
    from sandbox.runtime import Sandbox

    try:
        sandbox = Sandbox(load_providers(["whop"]), freeze_gc=True)
        sandbox.load_text(SCENARIO)
        assert gc.get_freeze_count() > 0
        gc.unfreeze()
        asyncio.run(sandbox.move_clock(by=timedelta(days=30)))
        assert gc.get_freeze_count() > 0 and gc.isenabled()  # the collector is back on after the move
        old = weakref.ref(sandbox.world.states["whop"])
        sandbox.reset()
        assert old() is None  # unfrozen and collected at the swap
    finally:
        gc.unfreeze()


def test_freeze_gc_freezes_the_first_world_without_a_full_pass(monkeypatch):
    """A full pass over a fresh world frees almost nothing and cost 0.18 s over a million generated
    records: the first world is frozen as built; a reset still collects the old world."""
    from sandbox.providers import load_providers
    from sandbox.runtime import Sandbox

    passes: list[tuple] = []
    collect = gc.collect
    monkeypatch.setattr(gc, "collect", lambda *a: passes.append(a) or collect(*a))
    try:
        sandbox = Sandbox(load_providers(["whop"]), freeze_gc=True)
        sandbox.load_text(SCENARIO)
        assert passes == [] and gc.get_freeze_count() > 0
        sandbox.reset()
        assert len(passes) == 1
    finally:
        gc.unfreeze()
