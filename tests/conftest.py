"""Shared test helpers: build a sandbox from YAML text and talk to it in-process or over a socket."""

from __future__ import annotations

import pytest

from sandbox.testing import asgi_client, live_sandbox, make_sandbox


@pytest.fixture
def sandbox_from():
    """`sandbox_from(yaml_text, providers=["whop"])` → (sandbox, httpx client in-process)."""
    clients = []

    def build(text: str, providers: list[str] | None = None):
        sandbox = make_sandbox(text=text, providers=providers)
        client = asgi_client(sandbox)
        clients.append(client)
        return sandbox, client

    yield build
    for client in clients:
        client.close()


@pytest.fixture(scope="session")
def default_live():
    """The default scenario served on a free loopback port, shared by read-only tests."""
    with live_sandbox("default") as server:
        yield server


@pytest.fixture(scope="session")
def readme_blocks():
    """`readme_blocks("python")`: the fenced blocks of that language in README's "In your tests"."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = text.split("## In your tests", 1)[1].split("\n## ", 1)[0]
    return lambda language: re.findall(rf"```{language}\n(.*?)```", section, flags=re.S)
