"""Soak: bounded load for a bounded time, checking for errors and for memory that keeps growing.

    python bench/soak.py --minutes 10            # the issue's 10 minutes
    python bench/soak.py --minutes 1 --slice 10  # a quick look

Serves a generated scenario (every provider, --records each) on 127.0.0.1, then, slice after
slice, drives it with wrk through a Lua script that spreads requests over every provider's list
calls with varying pages and filters, and moves the sandbox clock between slices (--advance:
deadlines fire, records change, caches are invalidated). Prints a Markdown table of req/s,
non-2xx responses and RSS per slice; exits 1 on any error or if RSS grew more than --max-growth
over the second half of the run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import rss_mb, start, stop  # noqa: E402
from bench.scenarios import LIST_TARGETS, big_scenario  # noqa: E402

# Each line: a path (with %d where a varying page number or limit goes) and its auth header.
ROTATION = [
    (t.first_page, t.headers) for t in LIST_TARGETS.values()
] + [
    ("/pandabase/v2/core/stores/shp_benchstore000000000001/cases?limit=25&page=%d", {"Authorization": "Bearer sk_bench"}),
    ("/riverty/9/disputes?pageSize=25&pageNumber=%d", {"X-Auth-Key": "riverty_bench"}),
    ("/riverty/disputes?pageSize=25&pageNumber=%d", {"X-Auth-Key": "riverty_bench"}),
    ("/whop/api/v1/resolution_center_cases?first=%d", {"Authorization": "Bearer bench"}),
    ("/shoplazza/openapi/2024-07/shoplazza-payment/disputes?limit=%d", {"Access-Token": "shoplazza_bench"}),
    ("/orderprotection/v1/claims?first=%d&claimState=CLOSED", {"Authorization": "Bearer op_at_bench"}),
]


def lua_script() -> str:
    entries = []
    for path, headers in ROTATION:
        (name, value), = headers.items()
        entries.append(f'{{"{path}", "{name}", "{value}"}}')
    return (
        "local targets = {" + ", ".join(entries) + "}\n"
        "request = function()\n"
        "  local t = targets[math.random(#targets)]\n"
        '  local path = t[1]:gsub("%%d", tostring(math.random(1, 100)))\n'
        "  local headers = {}\n"
        "  headers[t[2]] = t[3]\n"
        '  return wrk.format("GET", path, headers)\n'
        "end\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--slice", type=int, default=30, help="seconds per wrk run")
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=18_800)
    parser.add_argument("--max-growth", type=float, default=0.05, help="allowed RSS growth, second half")
    parser.add_argument(
        "--advance", default="1h",
        help="clock move between slices ('0': none). Moving it makes deadlines fire, and every record a "
        "deadline touches is built and kept: memory then grows with the records touched, up to the dataset",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("soak needs wrk on PATH (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    base = f"http://127.0.0.1:{args.port}"
    rows, failed = [], False
    with tempfile.TemporaryDirectory() as tmp:
        scenario, script = Path(tmp) / "soak.yaml", Path(tmp) / "rotate.lua"
        scenario.write_text(big_scenario(args.records, list(LIST_TARGETS), name="soak"))
        script.write_text(lua_script())
        server, _ = start(
            [sys.executable, "-m", "sandbox", "serve", "--port", str(args.port), "--scenario", str(scenario)],
            base + "/_sandbox/health",
            timeout=600,
        )
        try:
            deadline = time.monotonic() + args.minutes * 60
            while time.monotonic() < deadline:
                seconds = max(1, min(args.slice, round(deadline - time.monotonic())))
                out = subprocess.run(
                    ["wrk", "-t1", f"-c{args.connections}", f"-d{seconds}s", "-s", str(script), base],
                    capture_output=True, text=True, timeout=seconds + 30,
                ).stdout
                rps = float(out.split("Requests/sec:")[1].split()[0])
                errors = int(out.split("Non-2xx or 3xx responses:")[1].split()[0]) if "Non-2xx" in out else 0
                errors += sum(int(n) for n in out.split("Socket errors:")[1].split("\n")[0].replace(",", " ").split()
                              if n.isdigit()) if "Socket errors:" in out else 0
                if args.advance != "0":
                    moved = httpx.post(base + "/_sandbox/clock/advance", json={"duration": args.advance}, timeout=60)
                    errors += moved.status_code != 200
                rows.append((len(rows) + 1, seconds, rps, errors, rss_mb(server.pid)))
                failed |= errors > 0
        finally:
            stop(server)
    print("| slice | seconds | req/s | errors | RSS MB |\n|---|---|---|---|---|")
    for row in rows:
        print("| {} | {} | {:,.0f} | {} | {:.0f} |".format(*row))
    half = rows[len(rows) // 2 :]
    growth = (half[-1][4] - half[0][4]) / half[0][4] if half else 0.0
    print(f"\nRSS growth over the second half: {growth:+.1%}; errors: {sum(r[3] for r in rows)}")
    return 1 if failed or growth > args.max_growth else 0


if __name__ == "__main__":
    raise SystemExit(main())
