"""The sandbox against what users would pick instead, in one run: Prism and json-server (installed
with npm into a temporary folder), the sandbox and the floor, on the same endpoint, the same
records and filter, the same body size and the same load.

    python bench/peers.py                      # npm install into a temp folder, 10 s per run
    python bench/peers.py --npm-dir /tmp/peers --seconds 5 --rounds 3

The endpoint is the bench's Pandabase case list (`LIST_TARGETS["pandabase"]`: page 1 of 25 with
`status=CLOSED`, Bearer token) over a store of `--records` generated cases (20,000 by default, the
size `bench/run.py --records 20000` lists over), rate limits off. Each peer does that job:

- json-server 0.17 holds the same store: every case of it, read from the sandbox's own list (in
  the sandbox's order, newest first), and answers `/cases?status=CLOSED&_page=1&_limit=25`,
  filtering all of them on every request as it does. It runs as a module (its CLI's defaults
  without logger and gzip, as `--quiet --ng` give, and its router) with `json spaces` 0 instead
  of the CLI's 2, so its body is the same 25 cases in the same compact JSON as the sandbox's.
- Prism mocks a one-path OpenAPI document declaring the same query parameters (the status enum,
  page, limit), whose example is the sandbox's own answer to that request (`--verboseLevel error`,
  quiet logging): a mock holds no store, so it validates the query and sends the example.
- the floor serves a fixed body of the sandbox's size under the same server (bench/floor_app.py).

Each is driven by wrk the same way, in turn, `--rounds` times (the median is reported); the
sandbox also with every URL new (`distinct.lua`: no answer from its page cache, every page built
from the indexes; json-server has no such cache: it filters every time). Not part of CI: it needs
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

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import Run, body_size, floor_command, floor_env, publish, start, stop, wrk  # noqa: E402
from bench.scenarios import LIST_TARGETS, big_scenario  # noqa: E402
from sandbox.providers.pandabase.inferred import MAX_PAGE_SIZE  # noqa: E402
from sandbox.providers.pandabase.models import CASE_STATUSES  # noqa: E402

TARGET = LIST_TARGETS["pandabase"]
PATH = TARGET.first_page  # …/stores/{id}/cases?limit=25&status=CLOSED
HEADERS = TARGET.headers
LIST_PATH, _, QUERY = PATH.partition("?")
_QUERY = dict(part.split("=", 1) for part in QUERY.split("&"))
JSON_SERVER_PATH = f"/cases?status={_QUERY['status']}&_page=1&_limit={_QUERY['limit']}"

# json-server 0.17 as its CLI runs it (defaults, router over the file), compact JSON like the sandbox's
JSON_SERVER_JS = """
const jsonServer = require('json-server');
const [db, port] = process.argv.slice(2);
const server = jsonServer.create();
server.set('json spaces', 0);
server.use(jsonServer.defaults({logger: false, noGzip: true}));
server.use(jsonServer.router(db));
server.listen(Number(port), '127.0.0.1');
"""


def every_case(base: str) -> list[dict]:
    """Every case of the store, in the sandbox's list order (newest first), from its own pages."""
    cases: list[dict] = []
    with httpx.Client(headers=HEADERS, timeout=60) as client:
        page = 1
        while True:
            body = client.get(f"{base}{LIST_PATH}?limit={MAX_PAGE_SIZE}&page={page}").raise_for_status().json()
            cases += body["data"]["items"]
            if page >= body["data"]["pagination"]["totalPages"]:
                return cases
            page += 1


def npm_install(folder: Path) -> None:
    if (folder / "node_modules" / ".bin" / "prism").exists() and (folder / "node_modules" / ".bin" / "json-server").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text('{"name": "dispute-sandbox-peers", "private": true}\n')
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "@stoplight/prism-cli@5", "json-server@0.17"],
                   cwd=folder, check=True, timeout=900)


def openapi(body: object) -> str:
    """A one-path OpenAPI document with the list's query parameters, whose 200 example is `body`
    (JSON is YAML)."""
    return json.dumps({
        "openapi": "3.0.3",
        "info": {"title": "Pandabase cases (bench)", "version": "1"},
        "paths": {
            LIST_PATH: {
                "get": {
                    "parameters": [
                        {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(CASE_STATUSES)}},
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}},
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
    parser.add_argument("--records", type=int, default=20_000, help="cases in the store (every server holds them all)")
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
                f"http://127.0.0.1:{ports['sandbox']}/_sandbox/health", timeout=600)
            base = f"http://127.0.0.1:{ports['sandbox']}"
            size = body_size(base + PATH, HEADERS)
            doc = Path(tmp) / "openapi.json"
            doc.write_text(openapi(httpx.get(base + PATH, headers=HEADERS).json()))
            db = Path(tmp) / "db.json"
            cases = every_case(base)
            if len(cases) != args.records:
                raise RuntimeError(f"the sandbox listed {len(cases)} cases, not {args.records}")
            db.write_text(json.dumps({"cases": cases}))
            js = Path(tmp) / "json-server.js"
            js.write_text(JSON_SERVER_JS)
            procs["floor"], _ = start(floor_command(python, ports["floor"]), f"http://127.0.0.1:{ports['floor']}/",
                                      env=floor_env(size))
            procs["prism"], _ = start(
                [str(bin_dir / "prism"), "mock", "-p", str(ports["prism"]), "-h", "127.0.0.1", "--verboseLevel", "error",
                 str(doc)], f"http://127.0.0.1:{ports['prism']}{PATH}", timeout=120)
            json_server_url = f"http://127.0.0.1:{ports['json-server']}{JSON_SERVER_PATH}"
            procs["json-server"], _ = start(["node", str(js), str(db), str(ports["json-server"])], json_server_url,
                                            env={"NODE_PATH": str(npm / "node_modules")}, timeout=120)
            same = {  # name: (url, headers, wrk script)
                "sandbox": (base + PATH, HEADERS, ""),
                "sandbox, every URL new": (base + PATH, HEADERS, "distinct.lua"),
                "floor": (f"http://127.0.0.1:{ports['floor']}/x?floor=1", {}, ""),
                "prism": (f"http://127.0.0.1:{ports['prism']}{PATH}", HEADERS, ""),
                "json-server": (json_server_url, {}, ""),
            }
            answers = {name: httpx.get(url, headers=headers, timeout=30) for name, (url, headers, _) in same.items()}
            sizes = {name: len(a.raise_for_status().content) for name, a in answers.items()}
            items = answers["sandbox"].json()["data"]["items"]
            if answers["json-server"].json() != items:
                raise RuntimeError("json-server's page is not the sandbox's: not the same job")
            runs: dict[str, list[Run]] = {name: [] for name in same}
            for _ in range(args.rounds):
                for name, (url, headers, script) in same.items():
                    runs[name].append(wrk(name, url, headers, args.seconds, args.connections, script=script))
        finally:
            for proc in procs.values():
                stop(proc)
    rps = {name: statistics.median(r.rps for r in rs) for name, rs in runs.items()}
    new = "sandbox, every URL new"
    lines = [
        f"# Peers, {datetime.now().isoformat(timespec='seconds')}",
        "",
        f"`GET {PATH}` over a store of {args.records:,} cases (json-server: `{JSON_SERVER_PATH}` over the same"
        f" {args.records:,}, the same page); wrk -t1 -c{args.connections} -d{args.seconds:g}s, {args.rounds} rounds"
        f" in turn (median); {os.cpu_count()} cores.",
        "",
        "| server | body bytes | req/s | p50 ms | p99 ms | errors | sandbox / it | sandbox every URL new / it |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, rs in runs.items():
        mid = sorted(rs, key=lambda r: r.rps)[len(rs) // 2]
        lines.append(f"| {name} | {sizes[name]:,} | {rps[name]:,.0f} | {mid.p50_ms:.2f} | {mid.p99_ms:.2f} |"
                     f" {sum(r.errors for r in rs)} | {rps['sandbox'] / rps[name]:.2f} | {rps[new] / rps[name]:.2f} |")
    publish(lines, "peers-", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
