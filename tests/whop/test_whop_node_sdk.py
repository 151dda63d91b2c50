"""@whop/sdk 0.0.42 under Node: the seed's loop `for await (const c of client.resolutionCenterCases.list())`
against a live sandbox lists exactly the sandbox's cases (the legacy shape, as it always read)."""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

VERSION = "0.0.42"
CACHE = Path(sys.prefix) / f"node-whop-sdk-{VERSION}"
LOOP = """
const Whop = require('@whop/sdk').default ?? require('@whop/sdk');
const client = new Whop({ apiKey: process.argv[2], baseURL: process.argv[3], maxRetries: 0 });
(async () => {
  const ids = [];
  for await (const c of client.resolutionCenterCases.list()) ids.push(c.id);
  let missing = null;
  try { await client.resolutionCenterCases.retrieve('reso_missing'); } catch (e) { missing = e.constructor.name + ' ' + e.status; }
  console.log(JSON.stringify({ ids, missing }));
})().catch((e) => { console.error(e); process.exit(1); });
"""

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or shutil.which("npm") is None,
    reason="node/npm not installed: the @whop/sdk 0.0.42 check needs them",
)


def _install() -> Path:
    """`npm install @whop/sdk@0.0.42` once per environment; the lock keeps xdist workers from racing."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE.parent / f".node-whop-sdk-{VERSION}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (CACHE / "node_modules" / "@whop" / "sdk" / "package.json").exists():
            subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(CACHE), f"@whop/sdk@{VERSION}"],
                check=True,
                timeout=600,
            )
    script = CACHE / "loop.js"
    script.write_text(LOOP)
    return script


def test_the_seed_loop_lists_every_case(default_live):
    script = _install()
    key = "whop_test_pickaxe_read"
    run = subprocess.run(
        ["node", str(script), key, default_live.url + "/whop/api/v1"],
        capture_output=True, text=True, timeout=120, cwd=CACHE,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    cases = [c for c in default_live.sandbox.state("whop").cases if c.company_id == "biz_PickaxeLabs01"]
    expected = [c.id for c in sorted(cases, key=lambda c: (c.created_at, c.id), reverse=True)]
    assert out["ids"] == expected and len(expected) == 112
    assert out["missing"] == "NotFoundError 404"
