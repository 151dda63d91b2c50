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
def cached_sandbox():
    """`cached_sandbox(yaml_text, providers, advance=None)` → (sandbox, client), built once per session
    for those arguments (then the clock moved by `advance`, e.g. "20d"): for property tests whose
    every example reads the same large scenario. Only for tests that do not change its state."""
    made: dict = {}

    def get(text: str, providers: list[str], advance: str | None = None):
        key = (text, tuple(providers), advance)
        if key not in made:
            sandbox = make_sandbox(text=text, providers=providers)
            client = asgi_client(sandbox)
            if advance is not None:
                client.post("/_sandbox/clock/advance", json={"duration": advance}).raise_for_status()
            made[key] = (sandbox, client)
        return made[key]

    yield get
    for _, client in made.values():
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
