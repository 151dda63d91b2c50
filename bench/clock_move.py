"""A long clock move beside live traffic: how long other requests wait while 30 days pass.

    python bench/clock_move.py                      # 200,000 Whop cases, 3 subscriptions, +30d
    python bench/clock_move.py --records 20000 --duration 7d

Serves --records generated Whop cases (all awaiting the merchant, so their deadlines fall during
the move) with three webhook subscriptions to a loopback receiver, polls one list call without
pause for --baseline seconds, then moves the clock by --duration while the polling goes on, and
prints the list call's p50/p99/max before and during the move, the move's time, its events
(`events_total`) and transitions a second (events over the move's time; issue 22's target is
200,000 a second with no other request delayed past 10 ms), the webhooks received and the ones
dropped because a subscription's queue was full (`QUEUE_LIMIT`), RSS, and the server's CPU seconds
during the move (events per CPU second: on a shared machine wall time is noise). Everything binds 127.0.0.1 and is stopped by PID.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import cpu_seconds, rss_mb, start, stop  # noqa: E402
from bench.soak import Receivers  # noqa: E402

LIST = "/whop/api/v1/resolution_center_cases?first=25&statuses=merchant_response_needed"
HEADERS = {"Authorization": "Bearer bench"}


def scenario(records: int, url: str, subscriptions: int) -> str:
    hooks = "".join(f'  - {{provider: whop, tenant: biz_A, url: "{url}"}}\n' for _ in range(subscriptions))
    return f"""version: 1
name: clock-move
seed: 1
clock: {{start: "2026-11-26T12:00:00Z"}}
webhooks:
{hooks}providers:
  whop:
    rate_limit_per_minute: 0
    companies:
      - id: biz_A
        title: Bench
        api_keys: [{{key: bench}}]
        generate: {{count: {records}, statuses: {{merchant_response_needed: 1}}, created_between: ["-7d", "-1h"]}}
"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


async def measure(base: str, baseline: float, duration: str, pid: int) -> tuple[list[float], list[float], float, dict]:
    before: list[float] = []
    during: list[float] = []
    moving = asyncio.Event()
    finished = asyncio.Event()

    async def poll(client: httpx.AsyncClient) -> None:
        while not finished.is_set():
            sent = time.perf_counter()
            response = await client.get(LIST, headers=HEADERS)
            assert response.status_code == 200, response.text
            (during if moving.is_set() else before).append(time.perf_counter() - sent)

    async with httpx.AsyncClient(base_url=base, timeout=600) as poller, httpx.AsyncClient(base_url=base, timeout=600) as mover:
        task = asyncio.create_task(poll(poller))
        await asyncio.sleep(baseline)
        moving.set()
        sent, cpu = time.perf_counter(), cpu_seconds(pid)
        answer = (await mover.post("/_sandbox/clock/advance", json={"duration": duration})).json()
        took = time.perf_counter() - sent
        answer["cpu"] = cpu_seconds(pid) - cpu
        finished.set()
        await task
        subs = (await mover.get("/_sandbox/webhooks")).json()["subscriptions"]
        answer["dropped"] = sum(s["dropped"] for s in subs)
    return before, during, took, answer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--subscriptions", type=int, default=3)
    parser.add_argument("--duration", default="30d")
    parser.add_argument("--baseline", type=float, default=3.0)
    parser.add_argument("--port", type=int, default=18_900)
    args = parser.parse_args()
    receivers = Receivers()
    base = f"http://127.0.0.1:{args.port}"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clock-move.yaml"
        path.write_text(scenario(args.records, receivers.url("fast"), args.subscriptions))
        server, _ = start([sys.executable, "-m", "sandbox", "serve", "--port", str(args.port), "--scenario", str(path)],
                          base + "/_sandbox/health", timeout=600)
        try:
            rss_before = rss_mb(server.pid)
            before, during, took, answer = asyncio.run(measure(base, args.baseline, args.duration, server.pid))
            time.sleep(1)
            rss_after = rss_mb(server.pid)
        finally:
            stop(server)
    print(f"{args.records:,} Whop cases, {args.subscriptions} subscriptions, clock +{args.duration}: the move took "
          f"{took:.1f} s, events_total {answer['events_total']:,} ({answer['events_total'] / took:,.0f} a second; listed {len(answer['events']):,}, "
          f"truncated {answer['events_truncated']}); the server's CPU meanwhile {answer['cpu']:.1f} s "
          f"({answer['events_total'] / max(answer['cpu'], 0.01):,.0f} events a CPU second, the poller and the webhook "
          f"sends included); webhooks received {receivers.got['fast']:,}, "
          f"dropped {answer['dropped']:,} (queues full); "
          f"RSS {rss_before:.0f} MB before, {rss_after:.0f} MB after\n")
    print("| list call | requests | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|")
    for label, values in (("before the move", before), ("during the move", during)):
        print(f"| {label} | {len(values):,} | {statistics.median(values) * 1000 if values else 0:.1f} "
              f"| {pct(values, 0.99):.1f} | {max(values, default=0) * 1000:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
