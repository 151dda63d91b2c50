"""`serve --state-file` (issue 18): SIGKILL at a random moment, restart, every answered change there."""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime

import httpx

from sandbox.testing import free_port

ORDERS = {"Authorization": "Bearer op_at_teststore2_orders_rw"}
START = datetime.fromisoformat("2026-11-26T12:00:00+00:00")


def serve(state: str, port: int, *extra: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "serve", "--port", str(port), "--state-file", state, *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited {process.returncode}: {process.stderr.read() if process.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/_sandbox/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("server did not start")


def order(i: int) -> dict[str, object]:
    return {"sourceOrderId": f"crash-{i}", "customerEmail": f"c{i}@example.com",
            "orderItems": [{"productName": f"Item {i}", "sourceItemId": f"li-{i}", "quantity": i % 5 + 1, "price": i}]}


def test_sigkill_during_writes_keeps_every_answered_change(tmp_path):
    state = str(tmp_path / "state.sqlite")
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    process = serve(state, port)
    acked: dict[str, list[int]] = {"": [], "/_ns/w": []}
    moves: dict[str, int] = {"": 0, "/_ns/w": 0}
    sent: dict[str, list[int]] = {"": [], "/_ns/w": []}
    stop = threading.Event()

    def write(prefix: str) -> None:
        with httpx.Client(base_url=root + prefix, timeout=5) as client:
            for i in range(400):
                if stop.is_set():
                    return
                try:
                    if i % 7 == 3:
                        sent[prefix].append(-i)
                        if client.post("/_sandbox/clock/advance", json={"seconds": 1}).status_code == 200:
                            moves[prefix] += 1
                        continue
                    sent[prefix].append(i)
                    if client.post("/orderprotection/v1/orders", headers=ORDERS, json=order(i)).status_code == 201:
                        acked[prefix].append(i)
                except httpx.HTTPError:
                    return  # the server is gone

    writers = [threading.Thread(target=write, args=(prefix,)) for prefix in acked]
    for writer in writers:
        writer.start()
    moment = random.SystemRandom().uniform(0.3, 1.2)  # a new moment each run (shown on failure)
    time.sleep(moment)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    stop.set()
    for writer in writers:
        writer.join(10)
    assert sum(map(len, acked.values())) > 0, f"the load never got an answer before the kill at {moment:.3f}s"

    process = serve(state, port)
    try:
        with httpx.Client(base_url=root, timeout=10) as client:
            for prefix in acked:
                for i in acked[prefix]:  # every answered write is there, whole
                    got = client.get(f"{prefix}/orderprotection/v1/orders/crash-{i}", headers=ORDERS)
                    assert got.status_code == 200, (prefix, i, f"killed at {moment:.3f}s")
                    item = got.json()["orderItems"][0]
                    assert (item["productName"], item["quantity"]) == (f"Item {i}", i % 5 + 1)
                unanswered = [i for i in sent[prefix] if i >= 0 and i not in acked[prefix]]
                for i in unanswered:  # at most the one in flight, and then whole
                    got = client.get(f"{prefix}/orderprotection/v1/orders/crash-{i}", headers=ORDERS)
                    assert got.status_code in (200, 404)
                    if got.status_code == 200:
                        assert got.json()["orderItems"][0]["productName"] == f"Item {i}"
                now = datetime.fromisoformat(client.get(f"{prefix}/_sandbox/clock").json()["now"].replace("Z", "+00:00"))
                assert moves[prefix] <= (now - START).total_seconds() <= moves[prefix] + 1
            # the restarted server keeps writing to the same file: a write, namespace deletes and
            # creations, a load into a namespace, a reset and a clock move of the default
            assert client.post("/orderprotection/v1/orders", headers=ORDERS, json=order(10_000)).status_code == 201
            assert client.post("/_ns/gone/_sandbox/clock/advance", json={"duration": "1d"}).status_code == 200
            assert client.delete("/_sandbox/namespaces/gone").status_code == 200
            made = client.post("/_sandbox/namespaces", json={"name": "exp", "scenario": "expiring-disputes"})
            assert made.status_code == 201
            assert client.post("/_ns/exp/_sandbox/clock/advance", json={"duration": "2d"}).status_code == 200
            assert client.post("/_ns/w/_sandbox/reset").status_code == 200
            assert client.post("/_ns/w/_sandbox/clock/advance", json={"duration": "1h"}).status_code == 200
            before = {p: client.get(root + p + "/_sandbox/clock").json() for p in ("", "/_ns/w", "/_ns/exp")}
            export = client.get("/_ns/exp/_sandbox/export").text
    finally:
        process.kill()
        process.wait(10)
    process = serve(state, port)
    try:
        assert httpx.get(f"{root}/orderprotection/v1/orders/crash-10000", headers=ORDERS).status_code == 200
        assert {p: httpx.get(root + p + "/_sandbox/clock").json() for p in ("", "/_ns/w", "/_ns/exp")} == before
        assert before["/_ns/w"] == {"now": "2026-11-26T13:00:00.000Z"}
        listed = httpx.get(f"{root}/_sandbox/namespaces").json()["namespaces"]
        assert [(n["name"], n["scenario"]) for n in listed] == [("exp", "expiring-disputes"), ("w", "default")]
        assert httpx.get(f"{root}/_ns/exp/_sandbox/export").text == export
        gone = [o for o in acked["/_ns/w"] if o >= 0][:1]
        for i in gone:  # the reset of w dropped its orders
            assert httpx.get(f"{root}/_ns/w/orderprotection/v1/orders/crash-{i}", headers=ORDERS).status_code == 404
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(10)
    rows = sqlite3.connect(state).execute("SELECT name FROM bases ORDER BY made").fetchall()
    assert rows == [("",), ("w",), ("exp",)]


def test_without_the_flag_nothing_touches_the_disk(tmp_path):
    from sandbox.testing import asgi_client, make_sandbox

    before = set(os.listdir(tmp_path))
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with asgi_client(make_sandbox("default")) as client:
            client.post("/_sandbox/clock/advance", json={"duration": "1d"})
            client.post("/orderprotection/v1/orders", headers=ORDERS, json=order(1))
    finally:
        os.chdir(cwd)
    assert set(os.listdir(tmp_path)) == before


def test_a_state_file_that_is_not_sqlite_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "state.sqlite"
    bad.write_bytes(b"not a database" * 100)
    result = subprocess.run([sys.executable, "-m", "sandbox", "serve", "--port", "0", "--state-file", str(bad)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert re.search(r"--state-file .*state\.sqlite", result.stderr) and "Traceback" not in result.stderr
