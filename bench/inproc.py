"""CPU microseconds per request, in process: the ASGI app called directly, no server, no socket.

    python bench/inproc.py                          # every list target, 20,000 records each
    python bench/inproc.py --records 200000 --providers pandabase,riverty --profile
    python bench/inproc.py --writes                 # each write target, POSTed again and again

wrk's req/s on a shared machine move with the other load; the process CPU time one request takes
(`time.process_time`) barely does, so this is what decides between two versions of a hot path
(`bench/run.py` then confirms with ratios to the floor). Each target is called the same URL every
time (the page cache answers) and a new URL every time (a parameter the providers ignore: every
page is built). `--journal-size 0` shows what the request journal costs; `--profile` prints the
cProfile lines of the new-URL loop.

`--writes` POSTs each of `WRITE_TARGETS` to its one record `--repeat` times `-n` times in a row,
as `bench/run.py --writes` does under wrk: the record's history grows all along, so a write whose
cost grows with that history shows it as a rising figure from one measurement to the next
(`--profile`: the cProfile lines of one more loop, on the longest history).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import pstats
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scenarios import LIST_TARGETS, VARIANT_TARGETS, WRITE_TARGETS, big_scenario, target_for  # noqa: E402
from sandbox.app import create_app  # noqa: E402
from sandbox.testing import make_sandbox  # noqa: E402


def scope_for(target: str, headers: dict[str, str], method: str = "GET") -> dict[str, Any]:
    path, _, query = target.partition("?")
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "root_path": "", "query_string": query.encode(),
        "headers": [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"bench"), (b"accept", b"*/*"),
                    *((k.lower().encode(), v.encode()) for k, v in headers.items())],
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
    }


async def call(app: Any, scope: dict[str, Any], body: bytes = b"") -> tuple[int, bytes]:
    """One request; its status and body."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def per_request(app: Any, scope: dict[str, Any], n: int, fresh: bool) -> float:
    """CPU µs per request over `n` requests (the same URL, or a new one each time)."""
    query = scope["query_string"]
    status, body = await call(app, dict(scope))
    if status != 200:
        raise RuntimeError(f"{scope['path']}: status {status}: {body[:300]!r}")
    start = time.process_time()
    for i in range(n):
        # a new scope each time, as a server makes (the app's router writes into it)
        await call(app, {**scope, "query_string": query + b"&_bench=%d" % i} if fresh else dict(scope))
    return (time.process_time() - start) / n * 1e6


async def per_write(app: Any, scope: dict[str, Any], body: bytes, n: int, expect: int) -> float:
    """CPU µs per POST over `n` POSTs of `body` to the same record (each one a 2xx, checked after)."""
    statuses: set[int] = set()
    start = time.process_time()
    for _ in range(n):
        status, _ = await call(app, dict(scope), body)
        statuses.add(status)
    spent = time.process_time() - start
    if statuses != {expect}:
        raise RuntimeError(f"{scope['path']}: statuses {sorted(statuses)}, expected {expect}")
    return spent / n * 1e6


async def writes_async(args: argparse.Namespace) -> None:
    """Each write target: the record found by its list page, then `--repeat` measurements of `-n`
    POSTs each, in a row (the history grows by `-n` writes between two figures)."""
    names = [name for name in (args.targets.split(",") if args.targets else WRITE_TARGETS) if name]
    targets = {name: WRITE_TARGETS[name] for name in names}
    sandbox = make_sandbox(text=big_scenario(args.records, sorted({t.provider for t in targets.values()})),
                           journal_size=args.journal_size)
    app = create_app(sandbox)
    gc.freeze()
    heads = " | ".join(f"µs, after {i * args.n:,} writes" for i in range(args.repeat))
    print(f"| write | {heads} |  ({args.records:,} records, journal {args.journal_size}, -n {args.n})")
    print("|---|" + "---|" * args.repeat)
    for name, target in targets.items():
        status, page = await call(app, scope_for(target.list_page, target.headers))
        if status != 200:
            raise RuntimeError(f"{name}: {target.list_page}: status {status}: {page[:300]!r}")
        body = target.body.encode()
        # as a client sends it: with its length (the front door reads such a body before routing)
        headers = {**target.headers, "Content-Type": "application/json", "Content-Length": str(len(body))}
        scope = scope_for(target.path.format(id=target.pick(json.loads(page))), headers, "POST")
        expect, _ = await call(app, dict(scope), body)
        if not 200 <= expect < 300:
            raise RuntimeError(f"{name}: {scope['path']}: status {expect}")
        figures = [await per_write(app, scope, body, args.n, expect) for _ in range(args.repeat)]
        print(f"| {name} | " + " | ".join(f"{us:.1f}" for us in figures) + " |")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            await per_write(app, scope, body, args.n, expect)
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile_lines)


async def main_async(args: argparse.Namespace) -> None:
    if args.writes:
        return await writes_async(args)
    names = [p for p in args.providers.split(",") if p]
    sandbox = make_sandbox(text=big_scenario(args.records, names), journal_size=args.journal_size)
    app = create_app(sandbox)
    gc.freeze()
    print(f"| target | same URL µs | every URL new µs |  ({args.records:,} records, journal {args.journal_size})")
    print("|---|---|---|")
    for name in names:
        target = target_for(name)
        scope = scope_for(target.first_page, target.headers)
        same = min([await per_request(app, scope, args.n, False) for _ in range(args.repeat)])
        fresh = min([await per_request(app, scope, args.n, True) for _ in range(args.repeat)])
        print(f"| {name} | {same:.1f} | {fresh:.1f} |")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            await per_request(app, scope, args.n, True)
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile_lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--providers", default=",".join([*LIST_TARGETS, *VARIANT_TARGETS]))
    parser.add_argument("-n", type=int, default=2000, help="requests per measurement")
    parser.add_argument("--repeat", type=int, default=3, help="measurements per cell (the least is kept)")
    parser.add_argument("--journal-size", type=int, default=1000)
    parser.add_argument("--writes", action="store_true", help="the write targets (WRITE_TARGETS) instead of the lists")
    parser.add_argument("--targets", default="", help="--writes: some of WRITE_TARGETS (default: all)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-lines", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
