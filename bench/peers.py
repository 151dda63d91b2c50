"""The sandbox against what users would pick instead, in one run: Prism and json-server (installed
with npm into a temporary folder), the sandbox and the floor, on the same endpoint with the same body.

    python bench/peers.py                      # npm install into a temp folder, 10 s per run
    python bench/peers.py --npm-dir /tmp/peers --seconds 5 --rounds 2

The endpoint is Pandabase's case list (`…/stores/{id}/cases?page=1&limit=25` with its Bearer
token) over a store of `--records` generated cases, rate limits off (bench/scenarios.py). Prism mocks a one-path OpenAPI document whose example is the sandbox's own
answer to that request (`--verboseLevel error`, quiet logging); json-server serves the same JSON
as an object (`/page`, `--quiet`; items dropped until its pretty-printed body is the same size); the floor serves a fixed body of the same size. Each is driven by
wrk the same way, in turn, `--rounds` times (the median is reported). Not part of CI: it needs
Node, npm and the npm registry. Everything binds to 127.0.0.1 and is stopped by PID.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import Run, body_size, publish, start, stop, wrk  # noqa: E402
from bench.scenarios import big_scenario  # noqa: E402

STORE = "shp_benchstore000000000001"
PATH = f"/pandabase/v2/core/stores/{STORE}/cases?page=1&limit=25"
HEADERS = {"Authorization": "Bearer sk_bench"}


def same_size(body: dict, size: int) -> dict:
    """`body` (`{"ok", "data": {"items", "pagination"}}`) with items dropped until json-server's
    pretty-printed form (2 spaces) is no bigger than the sandbox's compact `size` bytes."""
    data = body["data"]
    items = list(data["items"])
    while items and len(json.dumps({**body, "data": {**data, "items": items}}, indent=2)) > size:
        items.pop()
    return {**body, "data": {**data, "items": items}}


def npm_install(folder: Path) -> None:
    if (folder / "node_modules" / ".bin" / "prism").exists() and (folder / "node_modules" / ".bin" / "json-server").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text('{"name": "dispute-sandbox-peers", "private": true}\n')
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "@stoplight/prism-cli@5", "json-server@0.17"],
                   cwd=folder, check=True, timeout=900)


def openapi(body: object) -> str:
    """A one-path OpenAPI document whose 200 example is `body` (JSON is YAML)."""
    return json.dumps({
        "openapi": "3.0.3",
        "info": {"title": "Pandabase cases (bench)", "version": "1"},
        "paths": {
            f"/pandabase/v2/core/stores/{STORE}/cases": {
                "get": {
                    "parameters": [
                        {"name": "page", "in": "query", "schema": {"type": "integer"}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    ],
                    "responses": {"200": {"description": "a page", "content": {"application/json": {"example": body}}}},
                }
            }
        },
    })


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--records", type=int, default=20, help="cases in the store")
    parser.add_argument("--port", type=int, default=18_750)
    parser.add_argument("--npm-dir", default=None, help="reuse an npm folder (default: a new temporary one)")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    for tool in ("wrk", "npm", "node"):
        if not shutil.which(tool):
            print(f"bench/peers.py needs {tool} on PATH", file=sys.stderr)
            return 2
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        npm = Path(args.npm_dir) if args.npm_dir else Path(tmp) / "npm"
        npm_install(npm)
        bin_dir = npm / "node_modules" / ".bin"
        ports = {name: args.port + i for i, name in enumerate(("sandbox", "floor", "prism", "json-server"))}
        procs: dict[str, subprocess.Popen] = {}
        try:
            scenario = Path(tmp) / "peers.yaml"
            scenario.write_text(big_scenario(args.records, ["pandabase"], name="peers"))
            procs["sandbox"], _ = start(
                [python, "-m", "sandbox", "serve", "--port", str(ports["sandbox"]), "--scenario", str(scenario)],
                f"http://127.0.0.1:{ports['sandbox']}/_sandbox/health")
            sandbox_url = f"http://127.0.0.1:{ports['sandbox']}{PATH}"
            size = body_size(sandbox_url, HEADERS)
            import httpx

            body = httpx.get(sandbox_url, headers=HEADERS).json()
            doc = Path(tmp) / "openapi.json"
            doc.write_text(openapi(body))
            db = Path(tmp) / "db.json"
            db.write_text(json.dumps({"page": same_size(body, size)}))
            procs["floor"], _ = start(
                [python, "-m", "uvicorn", "bench.floor_app:app", "--port", str(ports["floor"]), "--no-access-log",
                 "--log-level", "warning", "--http", "httptools", "--loop", "uvloop"],
                f"http://127.0.0.1:{ports['floor']}/", env={"FLOOR_BODY_BYTES": str(size), "PYTHONPATH": str(ROOT)})
            procs["prism"], _ = start(
                [str(bin_dir / "prism"), "mock", "-p", str(ports["prism"]), "-h", "127.0.0.1", "--verboseLevel", "error",
                 str(doc)], f"http://127.0.0.1:{ports['prism']}{PATH}", timeout=120)
            procs["json-server"], _ = start(
                [str(bin_dir / "json-server"), "--port", str(ports["json-server"]), "--host", "127.0.0.1", "--quiet",
                 "--ng", str(db)], f"http://127.0.0.1:{ports['json-server']}/page", timeout=120)
            urls = {
                "sandbox": (sandbox_url, HEADERS),
                "floor": (f"http://127.0.0.1:{ports['floor']}/x?floor=1", {}),
                "prism": (f"http://127.0.0.1:{ports['prism']}{PATH}", HEADERS),
                "json-server": (f"http://127.0.0.1:{ports['json-server']}/page", {}),
            }
            sizes = {name: body_size(url, headers) for name, (url, headers) in urls.items()}
            runs: dict[str, list[Run]] = {name: [] for name in urls}
            for _ in range(args.rounds):
                for name, (url, headers) in urls.items():
                    runs[name].append(wrk(name, url, headers, args.seconds, args.connections))
        finally:
            for proc in procs.values():
                stop(proc)
    rps = {name: statistics.median(r.rps for r in rs) for name, rs in runs.items()}
    lines = [
        f"# Peers, {datetime.now().isoformat(timespec='seconds')}",
        "",
        f"`GET {PATH}` ({args.records:,} cases); wrk -t1 -c{args.connections} -d{args.seconds:g}s, {args.rounds} rounds"
        f" in turn (median); {os.cpu_count()} cores.",
        "",
        "| server | body bytes | req/s | p50 ms | p99 ms | errors | sandbox / it |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, rs in runs.items():
        mid = sorted(rs, key=lambda r: r.rps)[len(rs) // 2]
        lines.append(f"| {name} | {sizes[name]:,} | {rps[name]:,.0f} | {mid.p50_ms:.2f} | {mid.p99_ms:.2f} |"
                     f" {sum(r.errors for r in rs)} | {rps['sandbox'] / rps[name]:.2f} |")
    publish(lines, "peers-", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
