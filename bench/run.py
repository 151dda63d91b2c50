"""Benchmark harness: the sandbox against a bare-Starlette floor, side by side, on loopback.

    python bench/run.py                  # 200k records per provider tenant (1M), 10 s per run
    python bench/run.py --records 20000 --seconds 3

Starts each server as a subprocess on 127.0.0.1 (uvicorn + httptools + uvloop for both), drives
it with wrk (bounded by --seconds and --connections), and writes a Markdown table of req/s,
p50/p99 latency, start-up time to the first 200, RSS and the ratios to bench/results/.
Everything it starts it stops, by PID.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from bench.scenarios import (  # noqa: E402
    DEFAULT_LISTS,
    LARGE_RECORDS,
    LIST_TARGETS,
    VARIANT_TARGETS,
    big_scenario,
    target_for,
)


@dataclass
class Run:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def answers_200(url: str, headers: dict[str, str] | None = None) -> bool:
    """One GET on a fresh connection, with the standard library: a new httpx client per poll
    costs milliseconds of CPU that the starting server, on the same cores, would otherwise get."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}" if parts.query else parts.path, headers=headers or {})
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def start(cmd: list[str], url: str, env: dict | None = None, timeout: float = 120) -> tuple[subprocess.Popen, float]:
    """Start a server; return it and the seconds from spawn to its first 200 on `url`."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"{cmd[0]} exited: {proc.stderr.read().decode()[-2000:]}")
        if answers_200(url):
            return proc, time.perf_counter() - started
        time.sleep(0.002)
    stop(proc)
    raise RuntimeError(f"{url} not ready after {timeout}s")


def default_startups(python: str, port: int, runs: int) -> tuple[list[float], float, dict[str, float]]:
    """Start-up to the first 200 on the default scenario, `runs` times (one sample is noise on a
    shared machine); RSS and each provider's first list call (ms) from the last start."""
    times, first_calls = [], {}
    for _ in range(runs):
        proc, seconds = start([python, "-m", "sandbox", "serve", "--port", str(port)], f"http://127.0.0.1:{port}/_sandbox/health")
        times.append(seconds)
        try:
            first_calls = {}
            for provider, (path, headers) in DEFAULT_LISTS.items():
                t = time.perf_counter()
                if not answers_200(f"http://127.0.0.1:{port}{path}", headers):
                    raise RuntimeError(f"{provider}: {path} did not answer 200 on the default scenario")
                first_calls[provider] = (time.perf_counter() - t) * 1000
            rss = rss_mb(proc.pid)
        finally:
            stop(proc)
    return times, rss, first_calls


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(name: str, url: str, headers: dict[str, str], seconds: float, connections: int, script: str = "") -> Run:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    if script:
        cmd += ["-s", str(ROOT / "bench" / script)]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(label: str) -> float:
        m = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out)
        return float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    count = int(errors.group(1)) if errors else 0
    if socket_errors:
        count += sum(int(g) for g in socket_errors.groups())
    return Run(name, rps, pct("50"), pct("99"), count)


def body_size(url: str, headers: dict[str, str]) -> int:
    response = httpx.get(url, headers=headers, timeout=30)
    response.raise_for_status()
    return len(response.content)


def latency_ms(urls: list[str], headers: dict[str, str], repeat: int = 400) -> list[float]:
    """Median wall time of each URL over `repeat` sequential requests on one connection, the URLs
    taken in turn (so that a noisy moment hits them alike), each URL made new every time by a
    parameter the providers ignore: every page is built, none comes from the page cache."""
    samples: list[list[float]] = [[] for _ in urls]
    with httpx.Client(headers=headers, timeout=30) as client:
        for url in urls:
            client.get(url).raise_for_status()
        for i in range(repeat):
            for url, times in zip(urls, samples, strict=True):
                t = time.perf_counter()
                client.get(f"{url}&_bench={i}").raise_for_status()
                times.append(time.perf_counter() - t)
    return [statistics.median(times) * 1000 for times in samples]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--records", type=int, default=LARGE_RECORDS, help="records in each provider's big tenant (default: scenarios/large.yaml)"
    )
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--providers", default=",".join([*LIST_TARGETS, *VARIANT_TARGETS]))
    parser.add_argument("--port", type=int, default=18_700)
    parser.add_argument("--startups", type=int, default=7, help="default-scenario starts to take the median of")
    parser.add_argument("--out", default=None, help="Markdown file (default bench/results/<time>.md)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("bench needs wrk on PATH (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    providers = [p for p in args.providers.split(",") if p]
    python = sys.executable
    lines = [
        f"# Dispute Sandbox bench, {datetime.now().isoformat(timespec='seconds')}",
        "",
        f"{args.records:,} records per provider tenant; wrk -t1 -c{args.connections} -d{args.seconds:g}s on 127.0.0.1;"
        f" {os.cpu_count()} cores; servers: uvicorn + httptools + uvloop, one worker.",
        "",
    ]

    port = args.port
    startups, default_rss, first_calls = default_startups(python, port, args.startups)

    with tempfile.TemporaryDirectory() as tmp:
        scenario = Path(tmp) / "bench.yaml"
        scenario.write_text(big_scenario(args.records, providers))
        sandbox, startup_big = start(
            [python, "-m", "sandbox", "serve", "--port", str(port), "--scenario", str(scenario)],
            f"http://127.0.0.1:{port}/_sandbox/health",
            timeout=600,
        )
        try:
            rows = []
            base = f"http://127.0.0.1:{port}"
            for provider in providers:
                target = target_for(provider)
                url = base + target.first_page
                size = body_size(url, target.headers)
                floor, _ = start(
                    [python, "-m", "uvicorn", "bench.floor_app:app", "--port", str(port + 1), "--no-access-log",
                     "--log-level", "warning", "--http", "httptools", "--loop", "uvloop"],
                    f"http://127.0.0.1:{port + 1}/",
                    env={"FLOOR_BODY_BYTES": str(size), "PYTHONPATH": str(ROOT)},
                )
                try:
                    floor_url = f"http://127.0.0.1:{port + 1}/x?floor=1"
                    floor_run = wrk("floor", floor_url, {}, args.seconds, args.connections)
                    floor_fresh = wrk("floor", floor_url, {}, args.seconds, args.connections, script="distinct.lua")
                finally:
                    stop(floor)
                run = wrk(provider, url, target.headers, args.seconds, args.connections)
                fresh = wrk(provider, url, target.headers, args.seconds, args.connections, script="distinct.lua")
                deep = base + target.deep_page(args.records)
                first_ms, deep_ms = latency_ms([base + target.plain_page(args.records), deep], target.headers)
                rows.append((provider, size, run, fresh, floor_run, floor_fresh, first_ms, deep_ms))
            big_rss = rss_mb(sandbox.pid)
        finally:
            stop(sandbox)

    lines += [
        "| provider | body bytes | req/s | p50 ms | p99 ms | errors | floor req/s | ratio"
        " | every URL new: req/s | floor req/s | ratio | errors | page 1 ms | deep page ms | deep/page 1 |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for provider, size, run, fresh, floor_run, floor_fresh, first_ms, deep_ms in rows:
        lines.append(
            f"| {provider} | {size:,} | {run.rps:,.0f} | {run.p50_ms:.2f} | {run.p99_ms:.2f} | {run.errors} |"
            f" {floor_run.rps:,.0f} | {run.rps / floor_run.rps:.2f} | {fresh.rps:,.0f} | {floor_fresh.rps:,.0f} |"
            f" {fresh.rps / floor_fresh.rps:.2f} |"
            f" {fresh.errors} | {first_ms:.2f} | {deep_ms:.2f} | {deep_ms / first_ms:.2f} |"
        )
    lines += [
        "",
        "| measure | value |",
        "|---|---|",
        f"| start-up to first 200, default scenario (median of {len(startups)}) | {statistics.median(startups):.3f} s"
        f" (range {min(startups):.3f}–{max(startups):.3f}) |",
        "| then the first list call of each provider | "
        + ", ".join(f"{p} {ms:.1f} ms" for p, ms in first_calls.items())
        + " |",
        f"| RSS, default scenario | {default_rss:.0f} MB |",
        f"| start-up to first 200, {args.records * len(providers):,} records | {startup_big:.2f} s |",
        f"| RSS after the runs, {args.records * len(providers):,} records | {big_rss:.0f} MB |",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    out = Path(args.out) if args.out else RESULTS / f"{datetime.now():%Y%m%d-%H%M%S}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
