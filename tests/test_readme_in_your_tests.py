"""README's "In your tests" section runs: every Python example in it (the pytest one through the
plugin, the container one in tests/test_testcontainers.py where Docker runs), and the shell
example's journal entry is the one shown."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx

from sandbox.testing import live_sandbox

ROOT = Path(__file__).resolve().parent.parent


def test_the_section_has_every_kind_of_example(readme_blocks) -> None:
    blocks = readme_blocks("python")
    assert any("assert_requested" in b and "live_sandbox" in b for b in blocks)
    assert any("dispute_scenario" in b and "def test_" in b for b in blocks)
    assert any("DisputeSandboxContainer" in b for b in blocks)
    assert readme_blocks("sh")


def test_the_helper_examples_run(readme_blocks) -> None:
    plain = [b for b in readme_blocks("python") if "def test_" not in b and "DisputeSandboxContainer" not in b]
    assert plain
    for block in plain:
        exec(compile(block, "README.md", "exec"), {})


def test_the_plugin_example_passes(readme_blocks, tmp_path: Path) -> None:
    (block,) = [b for b in readme_blocks("python") if "def test_" in b]
    (tmp_path / "test_readme_example.py").write_text(block)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "sandbox.testing", "-p", "no:cacheprovider", "-q", "test_readme_example.py"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 passed" in result.stdout


def test_the_shell_example_shows_what_the_journal_holds(readme_blocks) -> None:
    (block,) = readme_blocks("sh")
    call = re.search(r"curl -s localhost:8000(\S+) -H '([^:]+): ([^']+)'", block)
    assert call is not None
    path, header, value = call.groups()
    shown = json.loads(" ".join(line.lstrip("# ") for line in block.splitlines() if line.startswith("#")))
    with live_sandbox("default") as server:
        httpx.get(server.url + path, headers={header: value})
        entry = httpx.get(server.url + "/_sandbox/requests", params={"status": "4xx"}).json()["requests"][0]
    assert {k: entry[k] for k in shown} == shown
