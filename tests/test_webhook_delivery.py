"""Webhook delivery isolation and bounds: a queue per subscription, one total deadline per attempt,
a capped reply excerpt, attempts numbered per subscription and message, bounded queues."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest

from sandbox import webhooks
from sandbox.testing import WebhookReceiver, asgi_client, live_sandbox, make_sandbox

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
          - {id: reso_Two, status: merchant_response_needed, created_at: "-1d"}
"""


def resolve(server, case: str) -> None:
    response = httpx.post(server.url + f"/_sandbox/whop/cases/{case}/resolve", json={"outcome": "merchant_won"})
    assert response.status_code == 200, response.text


class RawReceiver:
    """A loopback HTTP receiver that answers badly on purpose: `trickle` sends its reply one
    byte every `every` seconds; `huge` streams `size` bytes of reply."""

    def __init__(self, mode: str, every: float = 0.3, size: int = 50_000_000) -> None:
        self.mode, self.every, self.size = mode, every, size
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/hook"
        self.sent = 0
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
            while len(body) < length:
                body += conn.recv(65536)
            try:
                if self.mode == "trickle":
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")
                    for _ in range(10):
                        time.sleep(self.every)
                        conn.sendall(b"x")
                        self.sent += 1
                else:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % self.size)
                    chunk = b"y" * 65536
                    while self.sent < self.size and not self.stopped.is_set():
                        conn.sendall(chunk)
                        self.sent += len(chunk)
            except OSError:
                pass  # the sandbox hung up: what it should do

    def close(self) -> None:
        self.stopped.set()
        self.listener.close()


@pytest.fixture
def server():
    with live_sandbox(text=SCENARIO, providers=["whop"]) as live:
        yield live


def test_a_hanging_out_of_order_subscription_holds_only_itself(server):
    with WebhookReceiver() as hanging, WebhookReceiver() as fast:
        hanging.hang_seconds = 3
        server.subscribe("whop", "biz_A", hanging.url, out_of_order=True, timeout=3)
        mine = server.subscribe("whop", "biz_A", fast.url)
        resolve(server, "reso_One")
        hanging.wait_for(1)
        resolve(server, "reso_Two")  # while the first receiver hangs
        started = time.monotonic()
        got = fast.wait_for(4, timeout=2.5)
        assert len(got) == 4 and time.monotonic() - started < 1.5
        assert all(d["state"] == "succeeded" for d in server.wait_deliveries(4, subscription=mine["id"]))


def test_seventeen_hanging_receivers_do_not_delay_another(server):
    with WebhookReceiver() as hanging, WebhookReceiver() as fast:
        hanging.hang_seconds = 3
        for _ in range(17):
            server.subscribe("whop", "biz_A", hanging.url, timeout=3)
        server.subscribe("whop", "biz_A", fast.url)
        started = time.monotonic()
        resolve(server, "reso_One")
        assert len(fast.wait_for(2, timeout=2.5)) == 2
        assert time.monotonic() - started < 1.5


def test_a_trickling_receiver_fails_at_the_total_deadline(server):
    receiver = RawReceiver("trickle", every=0.3)  # 10 bytes over 3 s: each read is quick
    try:
        sub = server.subscribe("whop", "biz_A", receiver.url, timeout=1)
        resolve(server, "reso_One")
        found = server.wait_deliveries(1, timeout=6, subscription=sub["id"])[0]
        assert found["state"] == "failed" and found["error"] == "timed out after 1.0s"
        assert found["duration_ms"] < 1_800
    finally:
        receiver.close()


def test_a_huge_reply_is_read_only_as_far_as_the_excerpt(server):
    receiver = RawReceiver("huge", size=50_000_000)
    try:
        sub = server.subscribe("whop", "biz_A", receiver.url, timeout=10)
        resolve(server, "reso_One")
        found = server.wait_deliveries(2, timeout=10, subscription=sub["id"])
        assert {d["state"] for d in found} == {"succeeded"}
        assert all(d["response"]["body"] == "y" * webhooks.REPLY_EXCERPT for d in found)
        time.sleep(0.2)
        assert receiver.sent < 25_000_000  # of 2 x 50 MB: the sandbox hung up (kernel buffers hold a few MB)
    finally:
        receiver.close()


def test_redelivery_numbers_attempts_per_subscription_and_message(server):
    with WebhookReceiver() as failing, WebhookReceiver() as fine:
        failing.fail_next = 100
        server.subscribe("whop", "biz_A", failing.url)
        good = server.subscribe("whop", "biz_A", fine.url, events=["resolution_center_case.decided"])
        resolve(server, "reso_One")
        first = server.wait_deliveries(1, subscription=good["id"])[0]
        for seconds in (10, 20, 40):  # Whop's retries of the failing subscription
            httpx.post(server.url + "/_sandbox/clock/advance", json={"seconds": seconds})
            time.sleep(0.2)
        failing_attempts = server.deliveries(message_id=first["message_id"])
        assert max(d["attempt"] for d in failing_attempts) == 4  # the other subscription's
        response = httpx.post(server.url + f"/_sandbox/webhooks/deliveries/{first['id']}/redeliver")
        assert response.status_code == 202
        again = server.wait_deliveries(2, subscription=good["id"])
        assert [d["attempt"] for d in again] == [1, 2]
        assert {d["message_id"] for d in again} == {first["message_id"]}


def test_a_deleted_subscription_sends_nothing_more(server):
    with WebhookReceiver() as receiver:
        receiver.hang_seconds = 1
        sub = server.subscribe("whop", "biz_A", receiver.url, timeout=2)
        resolve(server, "reso_One")
        receiver.wait_for(1)
        assert httpx.delete(server.url + f"/_sandbox/webhooks/{sub['id']}").json() == {"deleted": sub["id"]}
        assert httpx.get(server.url + f"/_sandbox/webhooks/{sub['id']}").status_code == 404
        time.sleep(1.5)
        assert len(receiver.received) == 1  # the second message of the resolve was never sent
        assert [d["state"] for d in server.deliveries(subscription=sub["id"])] == ["cancelled"]
        assert httpx.delete(server.url + f"/_sandbox/webhooks/{sub['id']}").status_code == 404


def test_unsubscribe_keeps_ids_unique():
    sandbox = make_sandbox(text=SCENARIO, providers=["whop"])
    client = asgi_client(sandbox)
    body = {"provider": "whop", "tenant": "biz_A", "url": "http://127.0.0.1:9/hook"}
    one, two = (client.post("/_sandbox/webhooks", json=body).json()["id"] for _ in range(2))
    assert client.delete(f"/_sandbox/webhooks/{one}").status_code == 200
    three = client.post("/_sandbox/webhooks", json=body).json()["id"]
    assert len({one, two, three}) == 3
    assert [s["id"] for s in client.get("/_sandbox/webhooks").json()["subscriptions"]] == [two, three]


def test_a_subscription_keeps_at_most_queue_limit_messages(monkeypatch):
    """Nothing sends in-process (no lifespan): every message waits, up to the limit, then counts."""
    monkeypatch.setattr(webhooks, "QUEUE_LIMIT", 5)
    text = SCENARIO + "        generate: {count: 40, statuses: {merchant_response_needed: 1}}\n"
    sandbox = make_sandbox(text=text, providers=["whop"])
    client = asgi_client(sandbox)
    sub = client.post("/_sandbox/webhooks", json={"provider": "whop", "tenant": "biz_A", "url": "http://127.0.0.1:9/h"}).json()
    moved = client.post("/_sandbox/clock/advance", json={"duration": "30d"}).json()
    assert moved["events_total"] > 5
    state = client.get(f"/_sandbox/webhooks/{sub['id']}").json()
    assert state["unsettled"] == 5 and state["dropped"] >= 1
    assert client.get("/_sandbox/webhooks/deliveries").json()["queued"] == 5
    assert not hasattr(sandbox.world.webhooks, "messages")  # nothing kept per message beyond the queue


def test_a_null_timeout_falls_back_to_the_providers(server):
    sub = server.subscribe("whop", "biz_A", "http://127.0.0.1:9/hook", timeout=2)
    patched = httpx.patch(server.url + f"/_sandbox/webhooks/{sub['id']}", json={"timeout": None})
    assert patched.status_code == 200 and patched.json()["timeout"] == 5.0
    for bad in ({"timeout": "soon"}, {"timeout": 1e300}, {"duplicate": "yes"}, {"url": 5}):
        response = httpx.patch(server.url + f"/_sandbox/webhooks/{sub['id']}", json=bad)
        assert response.status_code == 400 and response.json()["error"], bad
    assert httpx.get(server.url + f"/_sandbox/webhooks/{sub['id']}").json()["timeout"] == 5.0


def test_a_sandbox_served_again_still_delivers():
    """The app's lifespan ending (a test's server stopping) detaches delivery; it does not end it."""
    sandbox = make_sandbox(text=SCENARIO, providers=["whop"])
    with WebhookReceiver() as receiver:
        with live_sandbox(sandbox=sandbox) as first:
            first.subscribe("whop", "biz_A", receiver.url, events=["resolution_center_case.decided"])
            resolve(first, "reso_One")
            assert len(receiver.wait_for(1)) == 1
        with live_sandbox(sandbox=sandbox) as second:
            resolve(second, "reso_Two")
            assert len(receiver.wait_for(2)) == 2
            assert [d["state"] for d in second.wait_deliveries(2)] == ["succeeded", "succeeded"]


def test_a_full_subscription_counts_drops_without_building_them(monkeypatch):
    """Once every subscription is full the dispatcher counts by `webhook_message_types` and builds
    no payload; the counts and the queued bodies are those of building every message."""
    from sandbox.providers.whop import WhopProvider

    monkeypatch.setattr(webhooks, "QUEUE_LIMIT", 5)
    text = SCENARIO + "        generate: {count: 40, statuses: {merchant_response_needed: 1}}\n"
    hooks = [{"provider": "whop", "tenant": "biz_A", "url": "http://127.0.0.1:9/h", "duplicate": d} for d in (False, True)]
    real = WhopProvider.webhook_messages_for
    built: list[str] = []
    monkeypatch.setattr(WhopProvider, "webhook_messages_for",
                        staticmethod(lambda state, event, version: built.append(event.type) or real(state, event, version)))

    def run() -> tuple[list[dict], list[str], int]:
        built.clear()
        sandbox = make_sandbox(text=text, providers=["whop"])
        client = asgi_client(sandbox)
        for hook in hooks:
            client.post("/_sandbox/webhooks", json=hook)
        client.post("/_sandbox/clock/advance", json={"duration": "30d"})
        subs = client.get("/_sandbox/webhooks").json()["subscriptions"]
        queued = [p.outbox.body.decode() for q in sandbox.world.webhooks.queues.values() for p in q]
        return subs, queued, len(built)

    *counted, counted_builds = run()
    monkeypatch.setattr(WhopProvider, "webhook_message_types", lambda self, state, event, version: None)
    *every, every_builds = run()
    assert counted == every
    assert all(sub["dropped"] > 0 for sub in counted[0])
    assert counted_builds < every_builds
