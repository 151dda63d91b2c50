"""Namespaces: many isolated sandboxes in one server.

`/_ns/{name}/...` (any provider path, root path or control path after the prefix), or in host mode
the `X-Sandbox-Namespace` header, selects a namespace: a `Sandbox` of its own, so its own scenario,
seed, clock, scheduler, events, faults, journal, webhook dispatcher, op log and rate-limit buckets
(the limiters live in each provider's state). Read-only data is shared: the providers (their
compiled models and routes), the Faker pools, and the parsed `Scenario` of the server's
`--scenario`, from which a namespace is built on first use. Un-prefixed paths are the default
namespace (`app.state.sandbox`), unchanged; `/_ns/default/...` reaches it too.

A name is `[a-z0-9][a-z0-9_-]{0,62}`; anything else under `/_ns/` is the control plane's 400
`{"error"}`, whatever follows (a provider's 404 would hide the typo). The registry is bounded
(`--max-namespaces`): creating one past the bound is a 409 naming it, implicitly or not.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from .access import sandbox_of
from .control import Body, ControlError, error, read_body
from .jsonresp import JSON
from .oplog import Op
from .routing import Route
from .runtime import Sandbox
from .scenario import MAX_SEED, Scenario, ScenarioError, parse_scenario, shipped_scenario
from .settings import settings_of
from .timefmt import iso_millis

if TYPE_CHECKING:
    from .persist import Store

PREFIX = "/_ns/"
DEFAULT = "default"  # `/_ns/default/...` is the un-prefixed default namespace
HEADER = b"x-sandbox-namespace"
DEFAULT_MAX = 100
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}\Z")


def name_problem(name: str) -> str | None:
    if NAME.match(name):
        return None
    return f"namespace name {name[:80]!r} is not [a-z0-9][a-z0-9_-]{{0,62}}"


class Namespaces:
    """The registry: name → Sandbox, at most `limit` besides the default one."""

    def __init__(self, default: Sandbox, limit: int = DEFAULT_MAX, store: Store | None = None) -> None:
        self.default = default
        self.limit = limit
        self.named: dict[str, Sandbox] = {}
        self.template: Scenario | None = None  # the server's --scenario (create_app sets it)
        self.store = store
        if store is not None:
            default.oplog.sink, default.oplog.name = store, ""

    # -- the registry --------------------------------------------------------------------------
    def _new(self, name: str) -> Sandbox:
        base = self.default
        sandbox = Sandbox(base.providers, clock_speed=base.clock_speed, webhook_allow=base.webhook_allow,
                          journal_size=base.journal.size)
        sandbox.sender = base.sender  # a namespace made while serving delivers at once
        sandbox.oplog.sink, sandbox.oplog.name = self.store, name
        return sandbox

    async def create(
        self, name: str, scenario: Scenario | None = None, seed: int | None = None, *, implicit: bool = False,
        start: datetime | None = None, ops: list[Op] | None = None,
    ) -> Sandbox:
        """A new namespace built from `scenario` (default: the server's); 400 for a bad name, 409
        when it exists (unless `implicit`: then the existing one) or past the bound."""
        problem = name_problem(name)
        if problem:
            raise ControlError(problem)
        if name == DEFAULT:
            if implicit:
                return self.default
            raise ControlError("namespace 'default' exists: it is the un-prefixed one (load a scenario into it)", 409)
        if name in self.named:
            if implicit:
                return self.named[name]
            raise ControlError(f"namespace {name!r} exists (DELETE /_sandbox/namespaces/{name} first)", 409)
        self._check_room()
        chosen = scenario or self.template or self.default.scenario
        sandbox = self._new(name)
        await sandbox.aload(chosen, seed, start, ops or ())
        if name in self.named:  # made meanwhile (a replay awaits): keep the first
            sandbox.world.webhooks.close()
            if implicit:
                return self.named[name]
            raise ControlError(f"namespace {name!r} exists", 409)
        self._check_room()
        self.named[name] = sandbox
        return sandbox

    def _check_room(self) -> None:
        if len(self.named) >= self.limit:
            raise ControlError(
                f"namespace limit of {self.limit} reached (--max-namespaces); delete one first", 409,
                limit=self.limit,
            )

    def delete(self, name: str) -> bool:
        """Forget a namespace; its webhook deliveries stop."""
        if name == DEFAULT:
            raise ControlError("the default namespace cannot be deleted (POST /_sandbox/reset resets it)", 400)
        sandbox = self.named.pop(name, None)
        if sandbox is None:
            return False
        sandbox.world.webhooks.close()
        if self.store is not None:
            self.store.drop(name)
        return True

    @contextlib.asynccontextmanager
    async def delivering(self) -> AsyncIterator[None]:
        """The app's lifespan: every namespace's webhooks go out through the default's sender."""
        async with self.default.delivering():
            sender = self.default.sender
            for sandbox in self.named.values():
                sandbox.sender = sender
                if sender is not None:
                    sandbox.world.webhooks.start(sender)
            try:
                yield
            finally:
                for sandbox in self.named.values():
                    sandbox.sender = None
                    sandbox.world.webhooks.detach()

    # -- routing (the front door) -------------------------------------------------------------
    async def enter(self, scope: Scope, receive: Receive, send: Send) -> tuple[Scope, Sandbox] | None:
        """`/_ns/{name}/rest` → (the scope of `/rest` in that namespace, its Sandbox), creating it
        on first use; None once a refusal was answered."""
        path: str = scope["path"]
        cut = path.find("/", len(PREFIX))
        name = path[len(PREFIX):] if cut < 0 else path[len(PREFIX):cut]
        try:
            sandbox = self.named.get(name) or await self.create(name, implicit=True)
        except (ControlError, ScenarioError) as exc:
            await self._refuse(exc, scope, receive, send)
            return None
        scope = dict(scope)
        scope["path"] = "/" if cut < 0 else path[cut:]
        raw: bytes = scope.get("raw_path") or b""
        if raw.startswith(PREFIX.encode()):
            raw_cut = raw.find(b"/", len(PREFIX))
            scope["raw_path"] = b"/" if raw_cut < 0 else raw[raw_cut:]
        scope["sandbox.prefix"] = PREFIX + name  # for the links the dashboard makes
        scope["sandbox.sandbox"] = sandbox
        scope["sandbox.namespace"] = name
        return scope, sandbox

    async def by_header(
        self, scope: Scope, receive: Receive, send: Send
    ) -> tuple[Scope, Sandbox] | None | Literal[False]:
        """Host mode: the `X-Sandbox-Namespace` header's namespace; False without the header."""
        for key, value in scope["headers"]:
            if key == HEADER:
                name = value.decode("latin-1")
                try:
                    sandbox = self.named.get(name) or await self.create(name, implicit=True)
                except (ControlError, ScenarioError) as exc:
                    await self._refuse(exc, scope, receive, send)
                    return None
                scope["sandbox.sandbox"] = sandbox
                scope["sandbox.namespace"] = name
                return scope, sandbox
        return False

    async def _refuse(self, exc: Exception, scope: Scope, receive: Receive, send: Send) -> None:
        if isinstance(exc, ControlError):
            scope["sandbox.reason"] = exc.message
            await exc.response()(scope, receive, send)
        else:
            assert isinstance(exc, ScenarioError)
            await error("the default scenario no longer builds", 500, problems=exc.lines)(scope, receive, send)

    # -- restore (--state-file) ---------------------------------------------------------------
    async def restore(self) -> None:
        """Rebuild every stored namespace by replay; a fresh file first stores the default's base."""
        store = self.store
        assert store is not None
        from .scenario import ScenarioLimits

        trusted = ScenarioLimits(max_bytes=1 << 40, max_depth=1000, max_alias_nodes=10**9, max_records=10**9)
        stored = store.load()
        if "" not in {s.name for s in stored}:
            log = self.default.oplog
            assert log.scenario is not None and log.start is not None
            store.rebase("", log.scenario.text, log.scenario.seed, log.start)
        for entry in stored:
            label = f"{store.path} (namespace {entry.name or 'default'})"
            scenario = parse_scenario(entry.text, label, self.default.providers, trusted)
            if entry.name == "":
                await self.default.aload(scenario, entry.seed, entry.start, entry.ops)
            else:
                sandbox = self._new(entry.name)
                await sandbox.aload(scenario, entry.seed, entry.start, entry.ops)
                self.named[entry.name] = sandbox


def namespaces_of(request: Request) -> Namespaces:
    found: Namespaces = request.app.state.namespaces
    return found


def describe(name: str, sandbox: Sandbox) -> dict[str, Any]:
    scenario = sandbox.scenario
    return {
        "name": name,
        "base_path": PREFIX + name,
        "scenario": scenario.name,
        "seed": scenario.seed,
        "now": iso_millis(sandbox.now()),
        "ops": len(sandbox.oplog.ops),
    }


class NamespaceSpec(Body):
    """`{"name": "w1", "scenario": "expiring-disputes"}` or `{"name": "w1", "yaml": "version: 1..."}`."""

    name: str = Field(max_length=200)
    scenario: str | None = Field(default=None, min_length=1, max_length=200)
    yaml: str | None = None
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED)


async def create(request: Request) -> Response:
    spec = await read_body(request, NamespaceSpec)
    if spec.scenario is not None and spec.yaml is not None:
        raise ControlError("give scenario (a shipped name) or yaml (its text), not both")
    problem = name_problem(spec.name)
    if problem:
        raise ControlError(f"name: {problem}")
    registry = namespaces_of(request)
    settings = settings_of(request)
    providers = registry.default.providers
    try:
        scenario = None
        if spec.scenario is not None:
            scenario = shipped_scenario(spec.scenario, providers, settings.limits)
        elif spec.yaml is not None:
            scenario = parse_scenario(spec.yaml, f"<namespace {spec.name}>", providers, settings.limits)
        seed = spec.seed if spec.seed is not None else (settings.seed if scenario is not None else None)
        sandbox = await registry.create(spec.name, scenario, seed)
    except ScenarioError as exc:
        raise ControlError("invalid scenario", problems=exc.lines) from None
    return JSON(describe(spec.name, sandbox), status_code=201)


async def listing(request: Request) -> Response:
    registry = namespaces_of(request)
    found = [describe(name, sandbox) for name, sandbox in sorted(registry.named.items())]
    return JSON({"namespaces": found, "count": len(found), "limit": registry.limit})


async def delete(request: Request) -> Response:
    name = request.path_params["name"]
    if not namespaces_of(request).delete(name):
        raise ControlError(f"no namespace {name[:80]!r}", 404)
    return JSON({"deleted": name})


async def current(request: Request) -> Response:
    """`GET /_ns/{name}/_sandbox/namespace`: which namespace this control plane is."""
    name = request.scope.get("sandbox.namespace", "")
    return JSON(describe(name, sandbox_of(request)))


ROUTES = [
    Route("/namespaces", listing, methods=["GET"]),
    Route("/namespaces", create, methods=["POST"]),
    Route("/namespaces/{name}", delete, methods=["DELETE"]),
    Route("/namespace", current, methods=["GET"]),
]
