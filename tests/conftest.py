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
