"""Instructions a request costs under a real server: deterministic where req/s on a shared machine is not.

    python bench/instructions.py                          # every list target: same URL, new URL
    python bench/instructions.py --journal                # and each with the request journal off
    python bench/instructions.py --targets pandabase --requests 500

Serves the bench scenario (`--records` per tenant, `bench/scenarios.py`) and, per target, the floor
app (`bench/floor_app.py`, the sandbox page's body size) under `valgrind --tool=callgrind` with
uvicorn, httptools and uvloop as `bench/run.py` does. For each measurement it warms the server,
zeroes the counters (`callgrind_control --zero`), sends `--requests` GETs on one keep-alive
connection, dumps the counters and divides: the server's user-space instructions a request
(parsing, the app, the response). Repeated runs agree to a few instructions, while
`bench/run.py --journal-cost` on two busy cores moves by more than the journal costs. It counts
instructions, not time: a large heap's cache misses (the floor's is tiny) are not in it, so
floor/sandbox here is an upper bound on the req/s ratio. Needs valgrind; not part of CI.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import floor_command, floor_env, publish, start, stop  # noqa: E402
from bench.scenarios import LIST_TARGETS, VARIANT_TARGETS, big_scenario, target_for  # noqa: E402

WARM = 300  # requests before the counters are zeroed: caches, fragments and the journal's ring filled


class Counted:
    """A server run under callgrind, measured between `callgrind_control` zero and dump."""

    def __init__(self, cmd: list[str], url: str, out: Path, env: dict[str, str] | None = None) -> None:
        self.out = out
        self.dumps = 0
        self.body_size = 0  # of the last answer measured
        # one hash seed for every server: a random one moves the count by more than the journal costs
        self.proc, _ = start(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/cg.%p", *cmd], url,
                             env={"PYTHONHASHSEED": "0", **(env or {})}, timeout=900)

    def per_request(self, url: str, headers: dict[str, str], requests: int, fresh: bool) -> int:
        """Instructions a request over `requests` GETs of `url` (a new query each time if `fresh`)."""
        joiner = "&" if "?" in url else "?"
        with httpx.Client(headers=headers, timeout=60) as client:
            def run(n: int, tag: str) -> None:
                for i in range(n):
                    answer = client.get(f"{url}{joiner}_{tag}={i}" if fresh else url)
                    if answer.status_code != 200:
                        raise RuntimeError(f"{url}: status {answer.status_code}: {answer.text[:300]}")
                    self.body_size = len(answer.content)
            run(WARM, "warm")
            self._control("--zero")
            run(requests, "n")
            self._control("--dump")
        self.dumps += 1
        dump = self.out / f"cg.{self.proc.pid}.{self.dumps}"
        for line in dump.read_text().splitlines():
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1]) // requests
        raise RuntimeError(f"{dump}: no totals")

    def _control(self, action: str) -> None:
        subprocess.run(["callgrind_control", action, str(self.proc.pid)], check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        stop(self.proc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=1000, help="requests per measurement")
    parser.add_argument("--targets", default=",".join([*LIST_TARGETS, *VARIANT_TARGETS]))
    parser.add_argument("--journal", action="store_true", help="also measure with --journal-size 0 (issue 19's budget)")
    parser.add_argument("--port", type=int, default=18_780)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    names = [name for name in args.targets.split(",") if name]
    python = sys.executable
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        scenario = Path(tmp) / "bench.yaml"
        scenario.write_text(big_scenario(args.records, names))
        base = f"http://127.0.0.1:{args.port}"
        serve = [python, "-m", "sandbox", "serve", "--port", str(args.port), "--scenario", str(scenario)]
        sandboxes = {"on": serve, **({"off": [*serve, "--journal-size", "0"]} if args.journal else {})}
        figures: dict[tuple[str, str, bool], int] = {}
        sizes: dict[str, int] = {}
        for journal, cmd in sandboxes.items():
            server = Counted(cmd, f"{base}/_sandbox/health", Path(tmp))
            try:
                for name in names:
                    target = target_for(name)
                    for fresh in (False, True):
                        figures[name, journal, fresh] = server.per_request(base + target.first_page, target.headers,
                                                                           args.requests, fresh)
                    sizes.setdefault(name, server.body_size)
            finally:
                server.stop()
        floor_base = f"http://127.0.0.1:{args.port + 1}"
        for name in names:
            floor = Counted(floor_command(python, args.port + 1), f"{floor_base}/x", Path(tmp), env=floor_env(sizes[name]))
            try:
                floor_ir = floor.per_request(f"{floor_base}/x?floor=1", {}, args.requests, False)
            finally:
                floor.stop()
            row = [name, f"{sizes[name]:,}", f"{floor_ir:,}"]
            for fresh in (False, True):
                on = figures[name, "on", fresh]
                row += [f"{on:,}", f"{floor_ir / on:.2f}"]
                if args.journal:
                    row.append(f"{figures[name, 'off', fresh] / on:.3f}")
            rows.append(row)
    journal_heads = " journal off/on |" if args.journal else ""
    lines = [
        "# Instructions a request, under uvicorn + httptools + uvloop (valgrind callgrind)",
        "",
        f"{args.records:,} records per provider tenant; {args.requests:,} requests a measurement after {WARM} to warm;"
        " floor/sandbox: the req/s ratio if every instruction cost the same.",
        "",
        f"| target | body bytes | floor | same URL | floor/sandbox |{journal_heads} every URL new | floor/sandbox |"
        f"{journal_heads}",
        "|---|---|---|---|---|" + ("---|" if args.journal else "") + "---|---|" + ("---|" if args.journal else ""),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    publish(lines, "instructions-", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
