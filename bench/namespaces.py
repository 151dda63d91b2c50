"""Namespaces (issue 18, issue 22's target): what creating one from the default scenario costs in
time and memory, and list throughput with 50 namespaces live.

    python bench/namespaces.py [--count 200] [--seconds 5] [--connections 32] [--profile]

1. In process: `Namespaces.create` (what `POST /_sandbox/namespaces` and a first `/_ns/{name}/`
   request do) `--count` times; median and p90 time, RSS growth per namespace (RSS after all of
   them minus before, over the count, after a collection). The target: <= 20 ms and <= 5 MB.
   `--profile` prints where one creation spends its time.
2. Over HTTP (needs wrk): a server with 50 namespaces made and read once each; wrk on the Whop
   list in the default namespace, in one namespace, and spread over all 50 (`namespaces.lua`).
Everything binds 127.0.0.1 and stops what it starts.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sandbox.namespaces import Namespaces  # noqa: E402
from sandbox.testing import free_port, make_sandbox  # noqa: E402

WHOP = "/whop/api/v1/resolution_center_cases?first=25&statuses[]=merchant_response_needed"
AUTH = {"Authorization": "Bearer whop_test_pickaxe_read"}


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def creation(count: int, profile: bool) -> dict[str, float]:
    default = make_sandbox("default")
    registry = Namespaces(default, limit=count + 1)
    registry.template = default.scenario

    async def make_all() -> list[float]:
        await registry.create("warm")  # first-use imports and caches, not what a namespace costs
        registry.delete("warm")
        gc.collect()
        times = []
        for i in range(count):
            t = time.perf_counter()
            await registry.create(f"n{i}")
            times.append(time.perf_counter() - t)
        return times

    gc.collect()
    before = rss_mb()
    times = asyncio.run(make_all())
    gc.collect()
    after = rss_mb()
    t = time.perf_counter()
    default.reset()  # the default world rebuilt: the same build, for comparison
    rebuild = time.perf_counter() - t
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        asyncio.run(registry.create("profiled")) if len(registry.named) < registry.limit else None
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
    times.sort()
    return {
        "median_ms": statistics.median(times) * 1000,
        "p90_ms": times[int(len(times) * 0.9)] * 1000,
        "rss_per_ns_mb": (after - before) / count,
        "reset_ms": rebuild * 1000,
    }


def wrk(url: str, seconds: float, connections: int, script: str | None = None) -> float:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-H", f"Authorization: {AUTH['Authorization']}"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("Requests/sec:"))
    return float(line.split()[1])


def throughput(seconds: float, connections: int) -> dict[str, float]:
    import httpx

    port = free_port()
    root = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=HERE.parent)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(root + "/_sandbox/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        made = []
        for i in range(50):
            t = time.perf_counter()
            assert httpx.post(root + "/_sandbox/namespaces", json={"name": f"n{i}"}).status_code == 201
            made.append(time.perf_counter() - t)
            assert httpx.get(f"{root}/_ns/n{i}{WHOP}", headers=AUTH).status_code == 200
        with open(f"/proc/{proc.pid}/statm") as f:
            rss = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(
                'local n = 0\nrequest = function()\n  n = n + 1\n'
                f'  return wrk.format("GET", "/_ns/n" .. (n % 50) .. "{WHOP}")\nend\n'
            )
        try:
            return {
                "post_median_ms": statistics.median(made) * 1000,
                "server_rss_mb_50ns": rss,
                "default_rps": wrk(root + WHOP, seconds, connections),
                "one_ns_rps": wrk(f"{root}/_ns/n7{WHOP}", seconds, connections),
                "spread_50_rps": wrk(root + "/", seconds, connections, lua.name),
            }
        finally:
            os.unlink(lua.name)
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-http", action="store_true", help="only the in-process creation figures")
    args = parser.parse_args()
    made = creation(args.count, args.profile)
    print("| namespace from the default scenario | median | p90 | RSS per namespace | default reset |")
    print("|---|---|---|---|---|")
    print(f"| {args.count} in process | {made['median_ms']:.1f} ms | {made['p90_ms']:.1f} ms | "
          f"{made['rss_per_ns_mb']:.2f} MB | {made['reset_ms']:.1f} ms |")
    if args.no_http or not shutil.which("wrk"):
        print("(throughput skipped: --no-http or no wrk on PATH)")
        return 0
    run = throughput(args.seconds, args.connections)
    print()
    print(f"| 50 namespaces live (server RSS {run['server_rss_mb_50ns']:.0f} MB, POST median "
          f"{run['post_median_ms']:.1f} ms) | req/s |")
    print("|---|---|")
    print(f"| Whop list, default namespace | {run['default_rps']:.0f} |")
    print(f"| Whop list, one namespace (/_ns/n7/...) | {run['one_ns_rps']:.0f} |")
    print(f"| Whop list, spread over the 50 | {run['spread_50_rps']:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
