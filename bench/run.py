"""Benchmark harness: the sandbox against a bare-Starlette floor, side by side, on loopback.

    python bench/run.py                  # 200k records per provider tenant (1M), 10 s per run
    python bench/run.py --records 20000 --seconds 3
    python bench/run.py --journal-cost --records 20000 --seconds 3   # list req/s, journal on vs off

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


def publish(lines: list[str], stem: str, out: str | None) -> None:
    """Print a report's Markdown lines and write them to `out` (default: bench/results/<stem><time>.md)."""
    report = "\n".join(lines) + "\n"
    print(report)
    path = Path(out) if out else RESULTS / f"{stem}{datetime.now():%Y%m%d-%H%M%S}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report)
    print(f"written to {path}")
sys.path.insert(0, str(ROOT))

from bench.scenarios import (  # noqa: E402
    DEFAULT_LISTS,
    LARGE_RECORDS,
    LIST_TARGETS,
    VARIANT_TARGETS,
    WRITE_TARGETS,
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
    requests: int = 0  # completed in the run (wrk's count)


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


def floor_command(python: str, port: int) -> list[str]:
    """The floor app (bench/floor_app.py) under the sandbox's own server: uvicorn, httptools, uvloop."""
    return [python, "-m", "uvicorn", "bench.floor_app:app", "--port", str(port), "--no-access-log",
            "--log-level", "warning", "--http", "httptools", "--loop", "uvloop"]


def floor_env(body_bytes: int) -> dict[str, str]:
    """The floor's environment: the size of the body it answers with."""
    return {"FLOOR_BODY_BYTES": str(body_bytes), "PYTHONPATH": str(ROOT)}


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


def default_startups(python: str, port: int, runs: int, cpus: list[float] | None = None,
                     ) -> tuple[list[float], float, dict[str, float]]:
    """Start-up to the first 200 on the default scenario, `runs` times (one sample is noise on a
    shared machine); RSS and each provider's first list call (ms) from the last start. With
    `cpus`, each start's CPU seconds up to its first 200 are appended to it."""
    times, first_calls = [], {}
    for _ in range(runs):
        proc, seconds = start([python, "-m", "sandbox", "serve", "--port", str(port)], f"http://127.0.0.1:{port}/_sandbox/health")
        times.append(seconds)
        if cpus is not None:
            cpus.append(cpu_seconds(proc.pid))
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


def wrk(name: str, url: str, headers: dict[str, str], seconds: float, connections: int, script: str = "",
        body: str | None = None) -> Run:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    if script:
        cmd += ["-s", str(ROOT / "bench" / script)]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    env = {**os.environ, "WRK_BODY": body} if body is not None else None
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=seconds + 30, env=env).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(label: str) -> float:
        m = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out)
        return float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    count = int(errors.group(1)) if errors else 0
    if socket_errors:
        count += sum(int(g) for g in socket_errors.groups())
    done = re.search(r"(\d+) requests in", out)
    return Run(name, rps, pct("50"), pct("99"), count, int(done.group(1)) if done else 0)


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
    parser.add_argument(
        "--journal-cost", action="store_true",
        help="only compare each list call with the request journal on (default size) and off (--journal-size 0)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="--journal-cost, --writes: runs taken in turn")
    parser.add_argument(
        "--writes", action="store_true",
        help="only the writes (WRITE_TARGETS: Pandabase reply, Riverty comment, Whop evidence) against the floor answering the same POST",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("bench needs wrk on PATH (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    providers = [p for p in args.providers.split(",") if p]
    python = sys.executable
    if args.journal_cost:
        return journal_cost(args, providers, python)
    if args.writes:
        return writes(args, python)
    lines = [
        f"# Dispute Sandbox bench, {datetime.now().isoformat(timespec='seconds')}",
        "",
        f"{args.records:,} records per provider tenant; wrk -t1 -c{args.connections} -d{args.seconds:g}s on 127.0.0.1;"
        f" {os.cpu_count()} cores; servers: uvicorn + httptools + uvloop, one worker.",
        "",
    ]

    port = args.port
    startup_cpus: list[float] = []
    startups, default_rss, first_calls = default_startups(python, port, args.startups, startup_cpus)

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
                    floor_command(python, port + 1),
                    f"http://127.0.0.1:{port + 1}/",
                    env=floor_env(size),
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
        f"| CPU to that first 200 (median; steadier than wall time on a busy machine) | {statistics.median(startup_cpus):.2f} s |",
        "| then the first list call of each provider | "
        + ", ".join(f"{p} {ms:.1f} ms" for p, ms in first_calls.items())
        + " |",
        f"| RSS, default scenario | {default_rss:.0f} MB |",
        f"| start-up to first 200, {args.records * len(providers):,} records | {startup_big:.2f} s |",
        f"| RSS after the runs, {args.records * len(providers):,} records | {big_rss:.0f} MB |",
    ]
    publish(lines, "", args.out)
    return 0


def writes(args: argparse.Namespace, python: str) -> int:
    """Each write target POSTed under wrk's load (`post.lua`), and the floor answering the same
    POST with a body of the same size, in turn for `--rounds` rounds (medians); the target is >= 0.5.
    Next to req/s, requests per CPU second of each server process (all rounds): on a shared
    machine the req/s ratio moves with the other load, the CPU one barely does."""
    lines = [
        f"# Writes, {datetime.now().isoformat(timespec='seconds')}",
        "",
        f"{args.records:,} records per provider tenant; wrk -t1 -c{args.connections} -d{args.seconds:g}s,"
        f" {args.rounds} rounds in turn (medians); {os.cpu_count()} cores.",
        "",
        "| write | answer bytes | req/s | p50 ms | p99 ms | errors | floor req/s | ratio | req/CPU s | floor req/CPU s | CPU ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    port = args.port
    with tempfile.TemporaryDirectory() as tmp:
        scenario = Path(tmp) / "bench.yaml"
        scenario.write_text(big_scenario(args.records, sorted({t.provider for t in WRITE_TARGETS.values()})))
        sandbox, _ = start([python, "-m", "sandbox", "serve", "--port", str(port), "--scenario", str(scenario)],
                           f"http://127.0.0.1:{port}/_sandbox/health", timeout=600)
        try:
            for name, target in WRITE_TARGETS.items():
                base = f"http://127.0.0.1:{port}"
                page = httpx.get(base + target.list_page, headers=target.headers, timeout=30)
                page.raise_for_status()
                url = base + target.path.format(id=target.pick(page.json()))
                answer = httpx.post(url, headers={**target.headers, "Content-Type": "application/json"},
                                    content=target.body, timeout=30)
                answer.raise_for_status()
                floor, _ = start(
                    floor_command(python, port + 1),
                    f"http://127.0.0.1:{port + 1}/",
                    env=floor_env(len(answer.content)),
                )
                runs: list[Run] = []
                floors: list[Run] = []
                cpu = {"sandbox": 0.0, "floor": 0.0}
                try:
                    for _ in range(args.rounds):
                        before = cpu_seconds(floor.pid)
                        floors.append(wrk("floor", f"http://127.0.0.1:{port + 1}/x?floor=1", {}, args.seconds,
                                          args.connections, script="post.lua", body=target.body))
                        cpu["floor"] += cpu_seconds(floor.pid) - before
                        before = cpu_seconds(sandbox.pid)
                        runs.append(wrk(name, url, target.headers, args.seconds, args.connections, script="post.lua",
                                        body=target.body))
                        cpu["sandbox"] += cpu_seconds(sandbox.pid) - before
                finally:
                    stop(floor)
                run = sorted(runs, key=lambda r: r.rps)[len(runs) // 2]
                floor_rps = statistics.median(r.rps for r in floors)
                per_cpu = sum(r.requests for r in runs) / cpu["sandbox"]
                floor_per_cpu = sum(r.requests for r in floors) / cpu["floor"]
                lines.append(
                    f"| {name} | {len(answer.content):,} | {run.rps:,.0f} | {run.p50_ms:.2f} | {run.p99_ms:.2f} |"
                    f" {sum(r.errors for r in runs)} | {floor_rps:,.0f} | {run.rps / floor_rps:.2f} |"
                    f" {per_cpu:,.0f} | {floor_per_cpu:,.0f} | {per_cpu / floor_per_cpu:.2f} |"
                )
        finally:
            stop(sandbox)
    publish(lines, "writes-", args.out)
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def served(name: str, url: str, headers: dict[str, str], seconds: float, connections: int, script: str,
           pid: int) -> tuple[int, float]:
    """Requests wrk completed against a server, and the CPU seconds the server spent on them."""
    before = cpu_seconds(pid)
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    if script:
        cmd += ["-s", str(ROOT / "bench" / script)]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=seconds + 30).stdout
    spent = cpu_seconds(pid) - before
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"{name}: errors under load:\n{out}")
    return int(re.search(r"(\d+) requests in", out).group(1)), spent


def journal_cost(args: argparse.Namespace, providers: list[str], python: str) -> int:
    """Each provider's list call (same URL, and every URL new) against two servers on the same
    scenario, one journaling every request (the default size) and one with `--journal-size 0`,
    driven in turn for `--rounds` rounds. Measured as requests per CPU second of the server
    process: on a shared machine a run's req/s moves by more than the journal costs, while the
    CPU a request takes barely does. The journal may cost at most 5% (ratio on/off >= 0.95)."""
    lines = [
        f"# Journal cost, {datetime.now().isoformat(timespec='seconds')}",
        "",
        f"{args.records:,} records per provider tenant; wrk -t1 -c{args.connections} -d{args.seconds:g}s,"
        f" {args.rounds} rounds of off/on in turn; {os.cpu_count()} cores. Requests per CPU second of the server.",
        "",
        "| provider | same URL: off | on | on/off | every URL new: off | on | on/off |",
        "|---|---|---|---|---|---|---|",
    ]
    worst = 1.0
    with tempfile.TemporaryDirectory() as tmp:
        scenario = Path(tmp) / "bench.yaml"
        scenario.write_text(big_scenario(args.records, providers))
        servers = {}
        try:
            for name, port, size in (("on", args.port, "1000"), ("off", args.port + 1, "0")):
                servers[name], _ = start(
                    [python, "-m", "sandbox", "serve", "--port", str(port), "--scenario", str(scenario),
                     "--journal-size", size],
                    f"http://127.0.0.1:{port}/_sandbox/health",
                    timeout=600,
                )
            ports = {"on": args.port, "off": args.port + 1}
            for provider in providers:
                target = {**LIST_TARGETS, **VARIANT_TARGETS}[provider]
                cells = []
                for script in ("", "distinct.lua"):
                    done = {"on": [0, 0.0], "off": [0, 0.0]}
                    for _ in range(args.rounds):
                        for mode in ("off", "on"):
                            url = f"http://127.0.0.1:{ports[mode]}{target.first_page}"
                            count, spent = served(provider, url, target.headers, args.seconds, args.connections,
                                                  script, servers[mode].pid)
                            done[mode][0] += count
                            done[mode][1] += spent
                    off, on = (done[m][0] / done[m][1] for m in ("off", "on"))
                    worst = min(worst, on / off)
                    cells.append(f"{off:,.0f} | {on:,.0f} | {on / off:.3f}")
                lines.append(f"| {provider} | {cells[0]} | {cells[1]} |")
        finally:
            for proc in servers.values():
                stop(proc)
    lines += ["", f"worst on/off {worst:.3f} (budget: >= 0.95)"]
    publish(lines, "journal-", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
