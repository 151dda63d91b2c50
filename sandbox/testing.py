"""Run the sandbox from tests: in-process (ASGI) or as a live server on a free loopback port.

    from sandbox.testing import live_sandbox
    with live_sandbox("default") as server:
        httpx.get(server.url + "/whop/api/v1/resolution_center_cases", headers=...)
        server.assert_requested(provider="whop", path="/resolution_center_cases", times=1)

Both (and the Testcontainers module, `sandbox/contrib/testcontainers.py`) have the verification
helpers of `SandboxControls`: the request journal (`requests`, `assert_requested`), the domain
events, the clock, forced faults and reset, as WireMock's `verify` and MockServer's
`retrieveRecordedRequests` give them (README, "In your tests").

Also a pytest plugin (`pytest -p sandbox.testing`, or the `pytest11` entry point): one server per
test session, reset before each test (`dispute_sandbox`) or a fresh namespace per test on one
shared server (`dispute_namespace`), and the `dispute_scenario` marker.
"""

from __future__ import annotations

import contextlib
import difflib
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import uvicorn
from anyio.from_thread import BlockingPortal, start_blocking_portal
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .app import create_app
from .journal import DEFAULT_SIZE as DEFAULT_JOURNAL_SIZE
from .providers import load_providers
from .runtime import Sandbox
from .settings import DEFAULT_SETTINGS, Settings


def make_sandbox(
    scenario: str | None = "default",
    *,
    text: str | None = None,
    providers: Sequence[str] | None = None,
    seed: int | None = None,
    journal_size: int = DEFAULT_JOURNAL_SIZE,
) -> Sandbox:
    """A loaded Sandbox from a shipped name, a path, or YAML text."""
    sandbox = Sandbox(load_providers(list(providers) if providers else None), journal_size=journal_size)
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


class SandboxControlError(AssertionError):
    """A control-plane call the sandbox refused (its status and `{"error": ...}` body)."""


class SandboxControls:
    """Verification and control helpers over a sandbox's `/_sandbox` control plane.

    Subclasses give `_control(method, path, **httpx_kwargs)`; everything else goes through it, so
    a live server, the in-process client and a container behave alike."""

    def _control(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        raise NotImplementedError

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._control(method, path, **kwargs)
        if response.status_code >= 400:
            raise SandboxControlError(f"{method} {path}: {response.status_code} {response.text[:500]}")
        return response.json()

    # -- the request journal ---------------------------------------------------------------
    def requests(
        self,
        provider: str | None = None,
        path: str | None = None,
        method: str | None = None,
        status: int | str | None = None,
        tenant: str | None = None,
        since: int | str | None = None,
    ) -> list[dict[str, Any]]:
        """Journal entries (oldest first) matching every filter given: `path` a substring,
        `status` 404 or "4xx", `since` an entry seq or an ISO instant."""
        params = {k: str(v) for k, v in _filters(provider, path, method, status, tenant).items()}
        if since is not None:
            params["since"] = str(since)
        found: list[dict[str, Any]] = self._call("GET", "/_sandbox/requests", params=params)["requests"]
        return found

    def assert_requested(
        self,
        provider: str | None = None,
        path: str | None = None,
        method: str | None = None,
        status: int | str | None = None,
        tenant: str | None = None,
        times: int | None = None,
    ) -> list[dict[str, Any]]:
        """The matching requests; AssertionError unless there are `times` of them (None: at least
        one), its message listing the closest requests the journal holds."""
        found = self.requests(provider, path, method, status, tenant)
        if (times is None and found) or len(found) == times:
            return found
        wanted = _filters(provider, path, method, status, tenant)
        described = " ".join(f"{k}={v!r}" for k, v in wanted.items()) or "(any)"
        expected = "at least 1" if times is None else str(times)
        lines = [f"expected {expected} request(s) matching {described}, found {len(found)}"]
        everything = self.requests()
        closest = sorted(everything, key=lambda e: -_closeness(e, wanted))[:5]
        if closest:
            lines.append(f"closest of the {len(everything)} request(s) in the journal:")
            lines += [f"  {_line(entry)}" for entry in closest]
        else:
            lines.append("the journal is empty: no request reached a provider route")
        raise AssertionError("\n".join(lines))

    def clear_requests(self) -> None:
        self._call("DELETE", "/_sandbox/requests")

    # -- events, clock, faults, scenario -----------------------------------------------------
    def events(
        self, provider: str | None = None, id: str | None = None, since: int | None = None, type: str | None = None
    ) -> list[dict[str, Any]]:
        """Domain events so far (`type` is matched here, the rest by `/_sandbox/events`)."""
        params = {k: str(v) for k, v in {"provider": provider, "id": id, "since": since}.items() if v is not None}
        found: list[dict[str, Any]] = self._call("GET", "/_sandbox/events", params=params)["events"]
        return [e for e in found if type is None or e["type"] == type]

    def advance(self, by: str | float | timedelta) -> dict[str, Any]:
        """Move the clock `by` a duration ("3d12h"), seconds or a timedelta; the move's answer
        (the new `now` and the events it caused)."""
        if isinstance(by, timedelta):
            body: dict[str, Any] = {"seconds": by.total_seconds()}
        elif isinstance(by, str):
            body = {"duration": by}
        else:
            body = {"seconds": by}
        found: dict[str, Any] = self._call("POST", "/_sandbox/clock/advance", json=body)
        return found

    def set_clock(self, now: str | datetime) -> dict[str, Any]:
        text = now.isoformat() if isinstance(now, datetime) else now
        found: dict[str, Any] = self._call("POST", "/_sandbox/clock/set", json={"now": text})
        return found

    def now(self) -> str:
        found: str = self._call("GET", "/_sandbox/clock")["now"]
        return found

    def fault(self, provider: str, status: int | None = None, count: int | None = 1, path: str = "",
              retry_after: int = 1, **options: object) -> list[dict[str, Any]]:
        """The next `count` requests to `provider` (whose path contains `path`) fail with `status`
        in its own error shape; other kinds by `options` (`kind="latency", ms=50`; `count=None,
        probability=0.1`; docs/drills-and-faults.md). The pending faults."""
        body: dict[str, object] = {"provider": provider, "status": status, "count": count, "path": path,
                                   "retry_after": retry_after, **options}
        body = {k: v for k, v in body.items() if v is not None}
        found: list[dict[str, Any]] = self._call("POST", "/_sandbox/faults", json=body)["faults"]
        return found

    def drill(self, provider: str, kind: str, **options: object) -> list[dict[str, Any]]:
        """A forward-compatibility drill (`share`, `count`, `tenant`, `path`, `value`, `field`;
        docs/drills-and-faults.md); the pending drills."""
        found: list[dict[str, Any]] = self._call("POST", "/_sandbox/drills",
                                                 json={"provider": provider, "kind": kind, **options})["drills"]
        return found

    def reset(self) -> None:
        """The scenario rebuilt (clock back to its start, faults and subscriptions gone) and the
        journal cleared."""
        self._call("POST", "/_sandbox/reset")
        self.clear_requests()

    def load(self, scenario: str, seed: int | None = None) -> dict[str, Any]:
        """Load a shipped scenario by name, or YAML text (anything with a newline), then clear the
        journal; the scenario's info (tenants and credentials)."""
        if "\n" in scenario:
            info: dict[str, Any] = self._call(
                "POST", "/_sandbox/scenario", content=scenario.encode(), headers={"content-type": "application/yaml"}
            )
        else:
            body: dict[str, Any] = {"name": scenario} if seed is None else {"name": scenario, "seed": seed}
            info = self._call("POST", "/_sandbox/scenario", json=body)
        self.clear_requests()
        return info

    def scenario_info(self) -> dict[str, Any]:
        found: dict[str, Any] = self._call("GET", "/_sandbox/scenario")
        return found

    def credential(self, provider: str, tenant: int | str = 0) -> dict[str, str]:
        """`{header: value}` of a tenant's first credential (by index or id), ready for a client."""
        tenants = self.scenario_info()["providers"][provider]["tenants"]
        found = tenants[tenant] if isinstance(tenant, int) else next(t for t in tenants if t["id"] == tenant)
        first = found["credentials"][0]
        return {first["header"]: first["value"]}

    # -- webhooks ----------------------------------------------------------------------------
    def subscribe(self, provider: str, tenant: str, url: str, **options: object) -> dict[str, Any]:
        """A webhook subscription (see `/_sandbox/webhooks`); returns it, signing secret included."""
        found: dict[str, Any] = self._call(
            "POST", "/_sandbox/webhooks", json={"provider": provider, "tenant": tenant, "url": url, **options}
        )
        return found

    def deliveries(self, **filters: str) -> list[dict[str, Any]]:
        """Webhook delivery attempts so far (`subscription`, `message_id`, `type` filters)."""
        found: list[dict[str, Any]] = self._call("GET", "/_sandbox/webhooks/deliveries", params=filters)["deliveries"]
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


def _filters(
    provider: str | None, path: str | None, method: str | None, status: int | str | None, tenant: str | None
) -> dict[str, Any]:
    given = {"provider": provider, "path": path, "method": method, "status": status, "tenant": tenant}
    return {k: v for k, v in given.items() if v is not None}


def _closeness(entry: dict[str, Any], wanted: dict[str, Any]) -> float:
    """How near a journal entry is to what was wanted: matching filters count 1, the path's
    likeness a fraction; recent entries win ties."""
    score = 0.0
    for key, value in wanted.items():
        if key == "path":
            score += 1.0 if value in entry["path"] else difflib.SequenceMatcher(None, value, entry["path"]).ratio()
        elif key == "status":
            text = str(value)
            got = str(entry["status"])
            score += 1.0 if got == text or (text.endswith("xx") and got[0] == text[0]) else 0.0
        elif key == "method":
            score += 1.0 if entry["method"] == str(value).upper() else 0.0
        else:
            score += 1.0 if entry.get(key) == value else 0.0
    return score + float(entry["seq"]) * 1e-9


def _line(entry: dict[str, Any]) -> str:
    query = f"?{entry['query']}" if entry["query"] else ""
    why = f" ({entry['reason']})" if entry.get("reason") else ""
    tenant = f" tenant {entry['tenant']}" if entry.get("tenant") else ""
    return f"#{entry['seq']} {entry['method']} {entry['path']}{query} -> {entry['status']}{why} [{entry['provider']}{tenant}]"


class _Unfinished(Exception):
    """The app returned without finishing its answer."""


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
        ended: list[bool] = []

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            async def sending(message: Message) -> None:
                if message["type"] == "http.response.body" and not message.get("more_body", False):
                    ended.append(True)
                await send(message)

            await self.app(scope, receive, sending)
            if not ended:
                cut.append(True)
                raise _Unfinished

        cut: list[bool] = []
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        response = await transport.handle_async_request(request)
        if cut:  # a server drops the connection of an answer left unfinished (a `reset` fault)
            raise httpx.RemoteProtocolError("peer closed connection without sending complete message body",
                                            request=request)
        content = await response.aread()
        return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)


class InProcessClient(httpx.Client, SandboxControls):
    """An httpx client on the app, in-process. As a context manager it also runs the app's lifespan
    (webhook deliveries in the background), like a server would. Has the verification helpers."""

    def __init__(self, app: Starlette, base_url: str, control_headers: dict[str, str] | None = None) -> None:
        self._app = app
        self.control_headers = control_headers or {}
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

    def _control(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.control_headers, **kwargs.pop("headers", {})}
        return self.request(method, path, headers=headers, **kwargs)


def asgi_client(
    sandbox: Sandbox, base_url: str = "http://testserver", settings: Settings = DEFAULT_SETTINGS
) -> httpx.Client:
    """A synchronous httpx client talking to the app in-process (no socket)."""
    token = settings.control_token
    return InProcessClient(create_app(sandbox, settings), base_url, {"Authorization": f"Bearer {token}"} if token else {})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class LiveServer(SandboxControls):
    """A sandbox that `live_sandbox` serves on a loopback port, in a background thread of this process."""

    sandbox: Sandbox
    url: str
    server: uvicorn.Server
    control_headers: dict[str, str] = field(default_factory=dict)  # the control token, if any

    def _control(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.control_headers, **kwargs.pop("headers", {})}
        return httpx.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def base_url(self, provider: str) -> str:
        """The base URL a client of `provider` uses (e.g. `…/whop/api/v1`)."""
        return self.url + self.sandbox.by_key[provider].base_path


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


def namespace_name(worker: str, nodeid: str) -> str:
    """A namespace name (`[a-z0-9][a-z0-9_-]{0,62}`) for one test of one xdist worker: readable
    tail of the node id, plus a hash of all of it (two tests never share one)."""
    import hashlib
    import re

    digest = hashlib.sha1(f"{worker}:{nodeid}".encode()).hexdigest()[:10]
    tail = re.sub(r"[^a-z0-9_-]+", "-", nodeid.lower()).strip("-_")[-36:].strip("-_")
    head = re.sub(r"[^a-z0-9_-]+", "-", worker.lower()).strip("-_")[:12] or "w"
    return f"{head}-{tail}-{digest}" if tail else f"{head}-{digest}"


@dataclass
class NamespaceServer(SandboxControls):
    """One namespace of a running sandbox: `url` is its root (`…/_ns/{name}`), so provider paths
    and the control helpers (journal, clock, faults, reset) all reach that namespace only."""

    root: str
    name: str
    control_headers: dict[str, str] = field(default_factory=dict)
    server: uvicorn.Server | None = None  # set when the server runs in this process

    @property
    def url(self) -> str:
        return f"{self.root}/_ns/{self.name}"

    @property
    def sandbox(self) -> Sandbox:
        """The namespace's Sandbox, when the server runs in this process."""
        if self.server is None:
            raise RuntimeError("the sandbox runs in another process: use the HTTP helpers")
        app: Any = self.server.config.app
        found: Sandbox = app.state.namespaces.named[self.name]
        return found

    def _control(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.control_headers, **kwargs.pop("headers", {})}
        return httpx.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def base_url(self, provider: str) -> str:
        return self.url + _base_paths()[provider]

    def create(self, scenario: str | None = None) -> dict[str, Any]:
        """Make the namespace (from `scenario`, a shipped name, else the server's); one left over
        from an interrupted run is replaced."""
        body: dict[str, Any] = {"name": self.name, **({"scenario": scenario} if scenario else {})}
        made = httpx.post(self.root + "/_sandbox/namespaces", json=body, headers=self.control_headers, timeout=30)
        if made.status_code == 409 and "exists" in made.text:
            self.drop()
            made = httpx.post(self.root + "/_sandbox/namespaces", json=body, headers=self.control_headers, timeout=30)
        if made.status_code != 201:
            raise SandboxControlError(f"POST /_sandbox/namespaces: {made.status_code} {made.text[:500]}")
        found: dict[str, Any] = made.json()
        return found

    def drop(self) -> None:
        httpx.delete(f"{self.root}/_sandbox/namespaces/{self.name}", headers=self.control_headers, timeout=30)


def _base_paths() -> dict[str, str]:
    return {p.key: p.base_path for p in load_providers(None)}


try:  # the pytest plugin part, only when pytest is there
    import pytest

    def pytest_configure(config: pytest.Config) -> None:
        config.addinivalue_line(
            "markers",
            "dispute_scenario(name): the shipped scenario (e.g. expiring-disputes) the dispute_sandbox and dispute_namespace fixtures serve for this test",
        )

    @pytest.fixture(scope="session")
    def dispute_sandbox_session() -> Iterator[LiveServer]:
        """One live sandbox for the whole test session (per xdist worker); tests get it through
        `dispute_sandbox`, which resets it first."""
        with live_sandbox("default") as server:
            yield server

    @pytest.fixture
    def dispute_sandbox(dispute_sandbox_session: LiveServer, request: pytest.FixtureRequest) -> LiveServer:
        """The session's live sandbox, isolated for this test: the `dispute_scenario` marker's
        scenario (default: `default`) freshly loaded or reset to its start, no faults, no
        subscriptions, an empty request journal."""
        marker = request.node.get_closest_marker("dispute_scenario")
        name = str(marker.args[0]) if marker and marker.args else "default"
        server = dispute_sandbox_session
        from .scenario import find_scenario

        if server.sandbox.scenario.file == str(find_scenario(name)):
            server.reset()
        else:
            server.load(name)
        return server

    @pytest.fixture
    def dispute_namespace(request: pytest.FixtureRequest) -> Iterator[NamespaceServer]:
        """A fresh namespace for this test (sandbox/namespaces.py) on one shared server: the one
        `DISPUTE_SANDBOX_URL` names (so every xdist worker shares it), else the session's live
        sandbox. The `dispute_scenario` marker picks its scenario; it is deleted afterwards."""
        import os

        marker = request.node.get_closest_marker("dispute_scenario")
        scenario = str(marker.args[0]) if marker and marker.args else None
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        name = namespace_name(worker, request.node.nodeid)
        shared = os.environ.get("DISPUTE_SANDBOX_URL")
        if shared:
            token = os.environ.get("DISPUTE_SANDBOX_TOKEN")
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            server = NamespaceServer(shared.rstrip("/"), name, headers)
        else:
            session = request.getfixturevalue("dispute_sandbox_session")
            server = NamespaceServer(session.url, name, session.control_headers, session.server)
        server.create(scenario)
        try:
            yield server
        finally:
            server.drop()

except ImportError:  # pragma: no cover
    pass


@dataclass
class ReceivedWebhook:
    """One request `WebhookReceiver` got, as it arrived (tests check signatures over the raw body)."""

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
