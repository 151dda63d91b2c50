"""Run the sandbox from tests: in-process (ASGI) or as a live server on a free loopback port.

    from sandbox.testing import live_sandbox
    with live_sandbox("default") as server:
        httpx.get(server.url + "/whop/api/v1/resolution_center_cases", headers=...)

Also a pytest plugin: `pytest -p sandbox.testing` gives the `dispute_sandbox` fixture.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from anyio.from_thread import BlockingPortal, start_blocking_portal
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from .app import create_app
from .providers import load_providers
from .runtime import Sandbox
from .settings import DEFAULT_SETTINGS, Settings


def make_sandbox(
    scenario: str | None = "default",
    *,
    text: str | None = None,
    providers: Sequence[str] | None = None,
    seed: int | None = None,
) -> Sandbox:
    """A loaded Sandbox from a shipped name, a path, or YAML text."""
    sandbox = Sandbox(load_providers(list(providers) if providers else None))
    if text is not None:
        sandbox.load_text(text, seed=seed)
    else:
        sandbox.load_file(scenario, seed=seed)
    return sandbox


def shipped_text(name: str, providers: Sequence[str]) -> str:
    """A shipped scenario's YAML cut down to some providers (to build it with just those)."""
    import yaml

    from .scenario import find_scenario

    data = yaml.safe_load(find_scenario(name).read_text(encoding="utf-8"))
    data["providers"] = {k: v for k, v in data.get("providers", {}).items() if k in providers}
    data["webhooks"] = [w for w in data.get("webhooks", []) if w.get("provider") in providers]
    dumped: str = yaml.safe_dump(data, sort_keys=False)
    return dumped


class _InProcess(httpx.BaseTransport):
    """Each request runs the ASGI app on an event loop of its own thread (anyio's blocking portal),
    as Starlette's TestClient does, through httpx's own ASGI transport."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.portal: BlockingPortal | None = None  # set while the client is open as a context

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()  # a bytes stream serves the async transport too
        if self.portal is not None:
            return self.portal.call(self._send, request)
        with start_blocking_portal() as portal:
            return portal.call(self._send, request)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
        response = await transport.handle_async_request(request)
        content = await response.aread()
        return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)


class InProcessClient(httpx.Client):
    """An httpx client on the app, in-process. As a context manager it also runs the app's lifespan
    (webhook deliveries in the background), like a server would."""

    def __init__(self, app: Starlette, base_url: str) -> None:
        self._app = app
        self._transport_ = _InProcess(app)
        self._stack = contextlib.ExitStack()
        super().__init__(transport=self._transport_, base_url=base_url, follow_redirects=True)

    def __enter__(self) -> InProcessClient:
        super().__enter__()
        portal = self._stack.enter_context(start_blocking_portal())
        self._stack.enter_context(portal.wrap_async_context_manager(self._app.router.lifespan_context(self._app)))
        self._transport_.portal = portal
        return self

    def __exit__(self, *exc: Any) -> None:
        self._transport_.portal = None
        self._stack.close()
        super().__exit__(*exc)


def asgi_client(
    sandbox: Sandbox, base_url: str = "http://testserver", settings: Settings = DEFAULT_SETTINGS
) -> httpx.Client:
    """A synchronous httpx client talking to the app in-process (no socket)."""
    return InProcessClient(create_app(sandbox, settings), base_url)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class LiveServer:
    sandbox: Sandbox
    url: str
    server: uvicorn.Server
    control_headers: dict[str, str] = field(default_factory=dict)  # the control token, if any

    def subscribe(self, provider: str, tenant: str, url: str, **options: object) -> dict[str, Any]:
        """A webhook subscription (see `/_sandbox/webhooks`); returns it, signing secret included."""
        response = httpx.post(
            self.url + "/_sandbox/webhooks",
            json={"provider": provider, "tenant": tenant, "url": url, **options},
            headers=self.control_headers,
        )
        response.raise_for_status()
        found: dict[str, Any] = response.json()
        return found

    def deliveries(self, **filters: str) -> list[dict[str, Any]]:
        """Webhook delivery attempts so far (`subscription`, `message_id`, `type` filters)."""
        response = httpx.get(self.url + "/_sandbox/webhooks/deliveries", params=filters, headers=self.control_headers)
        found: list[dict[str, Any]] = response.json()["deliveries"]
        return found

    def wait_deliveries(self, count: int, timeout: float = 5.0, **filters: str) -> list[dict[str, Any]]:
        """Delivery attempts once at least `count` exist and none is still in flight."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.deliveries(**filters)
            if len(found) >= count and all(d["state"] != "pending" for d in found):
                return found
            time.sleep(0.02)
        return self.deliveries(**filters)


@contextlib.contextmanager
def live_sandbox(
    scenario: str | None = "default",
    *,
    text: str | None = None,
    providers: Sequence[str] | None = None,
    sandbox: Sandbox | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> Iterator[LiveServer]:
    """Serve on 127.0.0.1:<free port> in a background thread; stopped on exit."""
    sandbox = sandbox or make_sandbox(scenario, text=text, providers=providers)
    port = free_port()
    config = uvicorn.Config(
        create_app(sandbox, settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("sandbox server did not start")
        time.sleep(0.01)
    try:
        token = settings.control_token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        yield LiveServer(sandbox, f"http://127.0.0.1:{port}", server, headers)
    finally:
        server.should_exit = True
        thread.join(timeout=5)


try:  # the pytest plugin part, only when pytest is there
    import pytest

    @pytest.fixture
    def dispute_sandbox() -> Iterator[LiveServer]:
        """A live sandbox on the default scenario, fresh for each test."""
        with live_sandbox("default") as server:
            yield server

except ImportError:  # pragma: no cover
    pass


@dataclass
class ReceivedWebhook:
    headers: dict[str, str]
    body: bytes


class WebhookReceiver:
    """A tiny webhook receiver on a free loopback port, for tests of delivery and signatures.

    `fail_next` answers that many requests with 500; `hang_seconds` delays every answer.
    """

    def __init__(self) -> None:
        from starlette.applications import Starlette
        from starlette.responses import PlainTextResponse
        from starlette.routing import Route

        self.received: list[ReceivedWebhook] = []
        self.fail_next = 0
        self.hang_seconds = 0.0

        async def receive(request: Request) -> Response:
            import asyncio

            body = await request.body()
            self.received.append(ReceivedWebhook(dict(request.headers), body))
            if self.hang_seconds:
                await asyncio.sleep(self.hang_seconds)
            if self.fail_next > 0:
                self.fail_next -= 1
                return PlainTextResponse("nope", status_code=500)
            return PlainTextResponse("ok")

        self.app = Starlette(routes=[Route("/hook", receive, methods=["POST"])])
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/hook"

    def __enter__(self) -> WebhookReceiver:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedWebhook]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.received
