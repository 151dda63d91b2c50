"""Soak: writes, resets, clock moves, list reads and webhook deliveries to slow, failing and hanging
receivers, bounded in time and count, on loopback; checks errors, lost writes and memory.

    python bench/soak.py --minutes 4                 # the figures in the report
    python bench/soak.py --minutes 0.5 --records 2000  # a quick look

Serves a generated scenario (every provider, --records each; its `webhooks:` subscribe Whop's
tenant to a fast, a slow, a failing and a hanging receiver, so every reset brings them back) with
`python -m sandbox serve` on 127.0.0.1, then runs concurrently until --minutes pass or --max-requests
are made: writers (a forced Whop outcome, then a read of the case), readers (every provider's list
call, varying pages), a clock mover (--advance every --advance-every s) and a resetter (every
--reset-every s). A write is lost when its answer was 200 and the read after it, with no reset in
between, does not show it. An error is any 5xx, transport error, or an answer no request should get.
Prints a Markdown summary (requests, errors, lost writes, deliveries by state, RSS at start, middle
and end); exits 1 on any error or lost write, or if RSS grew more than --max-growth from the middle
sample to the end.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import rss_mb, start, stop  # noqa: E402
from bench.scenarios import LIST_TARGETS, big_scenario  # noqa: E402

WHOP = {"Authorization": "Bearer bench"}
RECEIVERS = {"fast": 0.0, "slow": 0.3, "failing": 0.0, "hanging": 30.0}  # seconds before answering


class Receivers:
    """Four webhook receivers on loopback ports, on their own event loop in a thread."""

    def __init__(self) -> None:
        self.got: Counter[str] = Counter()
        self.ports: dict[str, int] = {}
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait(10)

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        for name in RECEIVERS:
            server = self.loop.run_until_complete(
                asyncio.start_server(lambda r, w, name=name: self._answer(name, r, w), "127.0.0.1", 0)
            )
            self.ports[name] = server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    async def _answer(self, name: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length")), 0)
                await reader.readexactly(length)
                self.got[name] += 1
                await asyncio.sleep(RECEIVERS[name])
                status = b"500 Internal Server Error" if name == "failing" else b"200 OK"
                writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}/hook"


def scenario(records: int, receivers: Receivers) -> str:
    hooks = "".join(
        f'  - {{provider: whop, tenant: biz_BenchCompany01, url: "{receivers.url(name)}", timeout: 2}}\n'
        for name in RECEIVERS
    )
    return big_scenario(records, list(LIST_TARGETS), name="soak") + "webhooks:\n" + hooks


class Soak:
    def __init__(self, base: str, args: argparse.Namespace, case_ids: list[str]) -> None:
        self.base, self.args, self.case_ids = base, args, case_ids
        self.stop_at = time.monotonic() + args.minutes * 60
        self.requests = 0
        self.errors: list[str] = []
        self.lost: list[str] = []
        self.writes = self.checked = self.resets = self.moves = self.abandoned = 0
        self.reset_spans: list[list[float]] = []

    def running(self) -> bool:
        return time.monotonic() < self.stop_at and self.requests < self.args.max_requests

    async def pause(self, seconds: float) -> bool:
        """Sleep `seconds` or until the end; whether the soak still runs."""
        await asyncio.sleep(max(0.0, min(seconds, self.stop_at - time.monotonic())))
        return self.running()

    async def call(self, client: httpx.AsyncClient, method: str, path: str, **kw: object) -> httpx.Response | None:
        self.requests += 1
        try:
            response = await client.request(method, path, timeout=60, **kw)  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            self.errors.append(f"{method} {path}: {type(exc).__name__}: {exc}")
            return None
        if response.status_code >= 500:
            self.errors.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
        return response

    async def writer(self, client: httpx.AsyncClient, seed: int) -> None:
        rng = random.Random(seed)
        while self.running():
            case = rng.choice(self.case_ids)
            sent = time.monotonic()
            wrote = await self.call(client, "POST", f"/_sandbox/whop/cases/{case}/resolve", json={"outcome": "merchant_won"})
            if wrote is None or wrote.status_code != 200:
                if wrote is not None and wrote.status_code not in (400, 404):
                    self.errors.append(f"resolve {case}: {wrote.status_code}")
                continue  # 400: already decided in this world
            self.writes += 1
            read = await self.call(client, "GET", f"/whop/api/v1/resolution_center_cases/{case}", headers=WHOP)
            done = time.monotonic()
            if read is None or any(a < done and b > sent for a, b in list(self.reset_spans)):
                continue
            self.checked += 1
            if read.status_code != 200 or read.json()["status"] != "merchant_won":
                self.lost.append(case)

    async def reader(self, client: httpx.AsyncClient, seed: int) -> None:
        rng = random.Random(seed)
        targets = list(LIST_TARGETS.values())
        while self.running():
            target = rng.choice(targets)
            path = target.plain_page(self.args.records) if rng.random() < 0.5 else target.first_page
            response = await self.call(client, "GET", path, headers=target.headers)
            if response is not None and response.status_code != 200:
                self.errors.append(f"GET {path}: {response.status_code}")

    async def mover(self, client: httpx.AsyncClient) -> None:
        while await self.pause(self.args.advance_every):
            moved = await self.call(client, "POST", "/_sandbox/clock/advance", json={"duration": self.args.advance})
            if moved is not None and moved.status_code == 409:
                self.abandoned += 1  # a reset came first: the move was abandoned, as documented
            elif moved is not None and moved.status_code != 200:
                self.errors.append(f"advance: {moved.status_code} {moved.text[:200]}")
            else:
                self.moves += 1

    async def resetter(self, client: httpx.AsyncClient) -> None:
        while await self.pause(self.args.reset_every):
            span = [time.monotonic(), float("inf")]
            self.reset_spans.append(span)
            reset = await self.call(client, "POST", "/_sandbox/reset")
            span[1] = time.monotonic()
            if reset is not None and reset.status_code != 200:
                self.errors.append(f"reset: {reset.status_code}")
            self.resets += 1

    async def sampler(self, pid: int, samples: list[tuple[float, float]]) -> None:
        started = time.monotonic()
        while self.running():
            samples.append((time.monotonic() - started, rss_mb(pid)))
            await self.pause(5)
        samples.append((time.monotonic() - started, rss_mb(pid)))

    async def run(self, pid: int, samples: list[tuple[float, float]]) -> None:
        limits = httpx.Limits(max_connections=64)
        async with httpx.AsyncClient(base_url=self.base, limits=limits) as client:
            tasks = [self.writer(client, i) for i in range(self.args.writers)]
            tasks += [self.reader(client, 100 + i) for i in range(self.args.readers)]
            tasks += [self.mover(client), self.resetter(client), self.sampler(pid, samples)]
            await asyncio.gather(*tasks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=4)
    parser.add_argument("--max-requests", type=int, default=2_000_000)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--advance", default="6h")
    parser.add_argument("--advance-every", type=float, default=2.0)
    parser.add_argument("--reset-every", type=float, default=15.0)
    parser.add_argument("--port", type=int, default=18_800)
    parser.add_argument("--max-growth", type=float, default=0.10, help="allowed RSS growth, middle to end")
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    receivers = Receivers()
    samples: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "soak.yaml"
        path.write_text(scenario(args.records, receivers))
        server, _ = start([sys.executable, "-m", "sandbox", "serve", "--port", str(args.port), "--scenario", str(path)],
                          base + "/_sandbox/health", timeout=600)
        try:
            page = httpx.get(base + "/whop/api/v1/resolution_center_cases?first=100&statuses=merchant_response_needed",
                             headers=WHOP).json()
            soak = Soak(base, args, [c["id"] for c in page["data"]])
            started = time.monotonic()
            asyncio.run(soak.run(server.pid, samples))
            took = time.monotonic() - started
            deliveries = Counter(d["state"] for d in httpx.get(base + "/_sandbox/webhooks/deliveries").json()["deliveries"])
        finally:
            stop(server)
    middle = samples[len(samples) // 2][1]
    growth = (samples[-1][1] - middle) / middle if middle else 0.0
    print(f"Soak: {took:.0f} s, {args.records:,} records per provider, {args.writers} writers, {args.readers} readers, "
          f"clock +{args.advance} every {args.advance_every:g} s, reset every {args.reset_every:g} s\n")
    print("| requests | req/s | errors | writes acknowledged | writes checked | lost writes | resets | clock moves "
          "| moves abandoned by a reset |\n|---|---|---|---|---|---|---|---|---|")
    print(f"| {soak.requests:,} | {soak.requests / took:,.0f} | {len(soak.errors)} | {soak.writes:,} | {soak.checked:,} "
          f"| {len(soak.lost)} | {soak.resets} | {soak.moves} | {soak.abandoned} |\n")
    print("| receiver | requests received |\n|---|---|")
    for name in RECEIVERS:
        print(f"| {name} | {receivers.got[name]:,} |")
    print(f"\nDelivery log at the end (this world, last {sum(deliveries.values())} attempts): {dict(deliveries)}\n")
    print("| RSS at | seconds | MB |\n|---|---|---|")
    for label, (at, mb) in (("start", samples[0]), ("middle", samples[len(samples) // 2]), ("end", samples[-1])):
        print(f"| {label} | {at:.0f} | {mb:.0f} |")
    print(f"\nRSS max {max(mb for _, mb in samples):.0f} MB; growth middle to end {growth:+.1%}")
    for line in soak.errors[:20]:
        print("error:", line)
    return 1 if soak.errors or soak.lost or growth > args.max_growth else 0


if __name__ == "__main__":
    raise SystemExit(main())
