"""The ASGI app: control plane, every registered provider under its prefix, and host mode."""

from __future__ import annotations

import contextlib
import hmac
import inspect
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Match, Mount, Route, Router, request_response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import answers, drills, routing
from .control import control_routes, error
from .errors import REASON_EXCERPT, ProviderError, fallback_reason, render_provider_error
from .journal import BODY_CAP, Journal
from .lazy import Endpoint, lazy_endpoint
from .namespaces import ROUTES as namespace_routes
from .namespaces import Namespaces
from .oplog import READS, recordable, request_op
from .params import is_ascii_digits
from .provider import Provider
from .runtime import Sandbox
from .settings import DEFAULT_SETTINGS, LOGIN_COOKIE, Settings


class FrontDoor:
    """The one middleware, since it runs per request: host mode (a provider's real Host name reaches
    its prefix), root paths (a provider's documented path that has no place under its prefix, e.g. a
    relative URL its own answers carry, reaches its prefix from the sandbox root), the control token,
    the body size limit, and forced faults and drills (`sandbox/drills.py`: faults answer in the
    provider's own error shape).

    A request body is read here, whole, before any handler runs (and refused with 413 as soon as it
    passes `Settings.max_body`, never buffered past it). Handlers then never suspend mid-request
    waiting for body bytes, so a write runs from its first read of the state to its last change
    without another request (a scenario load, a reset) running in between."""

    def __init__(
        self, app: ASGIApp, sandbox: Sandbox, settings: Settings = DEFAULT_SETTINGS, namespaces: Namespaces | None = None
    ) -> None:
        self.app = app
        self.sandbox = sandbox
        self.namespaces = namespaces or Namespaces(sandbox, settings.max_namespaces)
        self.settings = settings
        self.hosted = [p for p in sandbox.providers if p.host_patterns]
        self._seen: dict[bytes, tuple[Provider, dict[str, str]] | None] = {}  # Host header → match, memoised
        # provider path → its provider's key and that path (one string kept by every entry), memoised
        self._journaled: dict[str, tuple[str, str]] = {}
        self._headers: dict[tuple[tuple[bytes, bytes], ...], tuple[tuple[bytes, bytes], ...]] = {}  # see _shared
        self._last_headers: tuple[Any, tuple[tuple[bytes, bytes], ...]] = (None, ())  # see _kept
        token = settings.control_token
        self._token = f"Bearer {token}".encode() if token else None
        self.prefixes = {p.prefix: p for p in sandbox.providers}
        self.access = logging.getLogger("sandbox.access") if settings.access_log else None
        self.rooted = [(root, p) for p in sandbox.providers for root in p.root_paths]
        self.roots = tuple(root for root, _ in self.rooted)
        taken = ["/_sandbox", *(p.prefix for p in sandbox.providers)]
        for root, provider in self.rooted:
            if any(root == t or root.startswith(t + "/") for t in taken):
                raise ValueError(f"{provider.key}: root path {root} would shadow {root.split('/')[1]}")

    def _match(self, header: bytes) -> tuple[Provider, dict[str, str]] | None:
        """The provider whose host pattern the Host header's name matches, memoised on the header
        as sent (no decoding on a request from a known host)."""
        if header in self._seen:
            return self._seen[header]
        host = _host_name(header)
        found = None
        for provider in self.hosted:
            match = provider.host_match(host)
            if match is not None:
                found = (provider, {"host": host, **match.groupdict()})
                break
        if len(self._seen) < 4096:  # Host is client-chosen: bound the memo
            self._seen[header] = found
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve; journal the request (provider routes) and log its access line (`--access-log`).
        Handlers and the error renderer leave `sandbox.reason` / `sandbox.tenant` in the scope.
        No coroutine of its own for `send`: this runs on every provider call (its cost:
        `python bench/run.py --journal-cost`)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = length = chunked = authorization = cookie = b""
        for key, value in scope["headers"]:  # one pass: this runs on every request
            if key == b"host":
                host = value
            elif key == b"content-length":
                length = value
            elif key == b"transfer-encoding":
                chunked = value
            elif key == b"authorization":
                authorization = value
            elif key == b"cookie":
                cookie = value
        sandbox = self.sandbox
        if scope["path"].startswith("/_ns/"):  # a namespace (sandbox/namespaces.py)
            entered = await self.namespaces.enter(scope, receive, send)
            if entered is None:
                return
            scope, sandbox = entered
        arrived = scope["path"]
        found = self._match(host) if host else None
        if found is not None:
            provider, params = found
            scope = dict(scope)
            scope["path"] = provider.prefix + scope["path"]
            scope["raw_path"] = provider.prefix.encode() + scope.get("raw_path", b"")
            scope["sandbox.host"] = params
            if sandbox is self.sandbox:  # host mode names its namespace in a header
                named = await self.namespaces.by_header(scope, receive, send)
                if named is None:
                    return
                if named is not False:
                    scope, sandbox = named
        elif self.roots and scope["path"].startswith(self.roots):
            scope = self._rooted(scope)
        path = scope["path"]
        journal = sandbox.journal
        journaled = None
        if journal.on:  # polled paths repeat: one dict look-up, not the prefix cut
            journaled = self._journaled.get(path)
            if journaled is None:
                owner = self._provider(path)
                if owner is not None:
                    journaled = owner.key, path
                    if len(self._journaled) < JOURNALED_PATHS:  # client-chosen: bounded
                        self._journaled[path] = journaled
        # a change that answers 2xx is recorded (export, --state-file: sandbox/oplog.py)
        kind = None
        if scope.get("method", "GET") not in READS:
            kind = recordable(path, journaled is not None or self._provider(path) is not None)
        if journaled is None and self.access is None and kind is None:
            await self._serve(scope, receive, send, length, chunked, authorization, cookie, sandbox)
            return
        wall = time.time()
        world = sandbox.world  # a property: read once, for the clock and the answer store
        at = world.clock.now()  # sandbox.now(), one call less
        if (kind is None and self.access is None and scope.get("method") == "GET" and not chunked
                and (not length or length == b"0") and not sandbox.faults.pending and not sandbox.drills.pending):
            # journaled, and `_serve`'s checks would pass it untouched to the answer store: asked
            # here, a stored answer needs no wrapper around `send`, and a miss goes straight to routing
            scope["sandbox.sandbox"] = sandbox  # as `_serve` leaves it
            key = self._answer_key(scope, sandbox)
            if key is not None:
                try:
                    stored = await answers.serve(world.answers, key, scope, receive, send)
                except Exception as exc:  # rendered as a 500 by the outer ServerErrorMiddleware
                    scope["sandbox.reason"] = f"internal sandbox error: {type(exc).__name__}: {exc}"
                    self._record(journal, journaled, scope, wall, at, 500, b"")
                    raise
                if stored:  # on the server's own `send`: no wrapper was needed to see the status
                    self._record(journal, journaled, scope, wall, at, stored, b"")
                    return
            await self._watched(scope, receive, send, length, chunked, authorization, cookie, sandbox, journaled, kind,
                                arrived, wall, at, True)
            return
        await self._watched(scope, receive, send, length, chunked, authorization, cookie, sandbox, journaled, kind,
                            arrived, wall, at, False)

    async def _watched(
        self, scope: Scope, receive: Receive, send: Send, length: bytes, chunked: bytes, authorization: bytes,
        cookie: bytes, sandbox: Sandbox, journaled: tuple[str, str] | None, kind: str | None, arrived: str,
        wall: float, at: datetime, routed: bool,
    ) -> None:
        """Serve on a `send` that sees the status (journal, access log) and commits a 2xx change
        (export, --state-file: sandbox/oplog.py); `routed`: straight to routing, `_serve`'s checks
        and the answer store passed already."""
        status = 0
        excerpt = b""  # the start of an error body no reason explains

        def sending(message: Message) -> Awaitable[None]:
            # a plain function handing back `send`'s own awaitable: no coroutine frame of its own
            nonlocal status, excerpt
            if status:  # the start went first: the body
                if status >= 400 and not excerpt and "sandbox.reason" not in scope:
                    excerpt = bytes(message.get("body", b""))[:REASON_EXCERPT]
            elif message["type"] == "http.response.start":
                status = message["status"]
                if kind is not None and 200 <= status < 300:  # committed before the client hears
                    sandbox.oplog.record(request_op(scope, kind, arrived, at, sandbox.now() if kind == "clock" else at))
            return send(message)

        try:
            if routed:
                await self.app(scope, receive, sending)
            else:
                stored = await self._serve(scope, receive, sending, length, chunked, authorization, cookie, sandbox)
                if stored:  # answered by the answer store, on `send` itself
                    status = stored
        except Exception as exc:  # rendered as a 500 by the outer ServerErrorMiddleware
            status = 500
            scope["sandbox.reason"] = f"internal sandbox error: {type(exc).__name__}: {exc}"
            raise
        finally:
            done = self._record(sandbox.journal, journaled, scope, wall, at, status, excerpt)
            if self.access is not None:
                reason = scope.get("sandbox.reason", "") or (fallback_reason(status, excerpt) if status >= 400 else "")
                query = scope.get("query_string", b"")
                target = scope["path"] + ("?" + query.decode("latin-1") if query else "")
                self.access.info("%s %s %s %.1fms%s", scope["method"], target, status or "-", (done - wall) * 1000,
                                 f" {reason}" if reason else "")

    def _record(
        self, journal: Journal, journaled: tuple[str, str] | None, scope: Scope, wall: float, at: datetime,
        status: int, excerpt: bytes,
    ) -> float:
        """Append the request's entry (if `journaled`); the time it was answered."""
        done = time.time()
        if journaled is not None:
            reason = scope.get("sandbox.reason", "")
            if status >= 400 and not reason:
                reason = fallback_reason(status, excerpt)
            body = scope.get("sandbox.body", b"")
            journal.entries.append((
                next(journal.seq), wall, done, at, journaled[0], _METHODS.get(scope["method"]) or scope["method"],
                journaled[1], scope.get("query_string", b""), self._kept(scope["headers"]),
                body[:BODY_CAP] if body else body, len(body), status, scope.get("sandbox.tenant"), reason,
            ))  # an Entry's fields as a plain tuple of immutable values: the collector untracks it
            # at its first pass, so a full ring adds nothing to later collections
        return done

    def _kept(self, headers: list[tuple[bytes, bytes]]) -> tuple[tuple[bytes, bytes], ...]:
        """The tuple an entry keeps for the request's header list: the last request's when the list
        is equal (a poller's: comparing the bytes costs less than hashing them, as a server makes
        new ones each request), else the one `_shared` keeps for that set."""
        last, kept = self._last_headers
        if headers == last:
            return kept
        as_tuple = tuple(headers)
        kept = self._headers.get(as_tuple) or self._shared(as_tuple)
        self._last_headers = list(headers), kept  # a copy: nothing can change it later
        return kept

    def _shared(self, headers: tuple[tuple[bytes, bytes], ...]) -> tuple[tuple[bytes, bytes], ...]:
        """One kept tuple per distinct header set (a poller sends the same ones each time), so an
        entry holds no objects of its own for them: freeing an entry the ring pushes out then
        touches no memory left cold since it came in (docs/architecture.md, the journal)."""
        if len(self._headers) < SHARED_HEADERS:  # client-chosen: bounded
            self._headers[headers] = headers
        return headers

    def _provider(self, path: str) -> Provider | None:
        """The provider whose prefix `path` is under (a dict look-up on its first segment)."""
        cut = path.find("/", 1)
        return self.prefixes.get(path if cut < 0 else path[:cut])

    async def _serve(
        self, scope: Scope, receive: Receive, send: Send, length: bytes, chunked: bytes,
        authorization: bytes, cookie: bytes, sandbox: Sandbox,
    ) -> int:
        """Serve on `send`, or from the answer store: then the status sent is returned (else 0)."""
        path = scope["path"]
        # the request's sandbox, in the scope for every request and not only a namespaced one:
        # `access.sandbox_of` then reads it there, not through `app.state` (a Python-level
        # `State.__getattr__`) two to four times a request
        scope["sandbox.sandbox"] = sandbox
        if (self._token is not None or self.settings.control_locked) and _CONTROL.match(path) and not _OPEN.match(path):
            if self._token is None:
                scope["sandbox.reason"] = "the control plane is locked: serving beyond loopback without a control token"
                await _locked(scope, receive, send)
                return 0
            if not hmac.compare_digest(bytes(authorization), self._token) and not self._signed_in(cookie):
                scope["sandbox.reason"] = "the control plane needs the control token (--control-token)"
                await _unauthorised(scope, receive, send)
                return 0
        if (length and length != b"0") or chunked:
            body = await self._read_body(length, receive)
            if body is _GONE:  # the client went away mid-body: nobody to answer
                scope["sandbox.reason"] = "the client went away mid-body"
                return 0
            if body is None:
                scope["sandbox.reason"] = f"body over the limit of {self.settings.max_body} bytes (--max-body)"
                await self._too_large(path)(scope, receive, send)
                return 0
            scope["sandbox.body"] = body
            receive = _replay(body, receive)
        if sandbox.faults.pending or sandbox.drills.pending:  # forced faults, drills
            provider = self._provider(path)
            if provider is not None:
                await drills.serve(sandbox, provider, self.app, scope, receive, send)
                return 0
        elif scope.get("method") == "GET":  # a repeated read answers before routing (sandbox/answers.py)
            key = self._answer_key(scope, sandbox)
            if key is not None:
                stored = await answers.serve(sandbox.world.answers, key, scope, receive, send)
                if stored:
                    return stored
        await self.app(scope, receive, send)
        return 0

    def _answer_key(self, scope: Scope, sandbox: Sandbox) -> Hashable | None:
        """The answer store's key for a GET to a provider that stores answers (sandbox/answers.py),
        after deadlines that passed changed records; None for any other request."""
        provider = self._provider(scope["path"])
        if provider is None or not provider.answer_headers:
            return None
        sandbox.sync()
        return answers.key_of(scope, provider.answer_headers)

    def _signed_in(self, cookie: bytes) -> bool:
        """The dashboard's sign-in cookie (sandbox/ui: login) holds the control token."""
        assert self.settings.control_token is not None
        wanted = f"{LOGIN_COOKIE}={self.settings.control_token}".encode()
        return any(hmac.compare_digest(part.strip(), wanted) for part in cookie.split(b";"))

    async def _read_body(self, declared: bytes, receive: Receive) -> bytes | None:
        """The whole body; None past the limit (or its declared length past it); `_GONE` when the
        client left mid-body."""
        limit = self.settings.max_body
        if is_ascii_digits(declared) and int(declared) > limit:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # http.disconnect
                return _GONE
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _too_large(self, path: str) -> Response:
        limit = self.settings.max_body
        for provider in self.sandbox.providers:
            if path.startswith(provider.prefix + "/"):
                return _with_status(provider.fault_response(413, 0), 413)
        return error(f"request body over the limit of {limit} bytes (--max-body)", 413)

    def _rooted(self, scope: Scope) -> Scope:
        path = scope["path"]
        for root, provider in self.rooted:
            if path == root or path.startswith(root + "/"):
                scope = dict(scope)
                scope["path"] = provider.prefix + path
                scope["raw_path"] = provider.prefix.encode() + scope.get("raw_path", b"")
                return scope
        return scope


_GONE = b"\x00gone"  # a sentinel, compared by identity
SHARED_HEADERS = 256  # distinct header sets FrontDoor keeps one tuple of (for the journal's entries)
# one string per method, kept by every entry (the server decodes a new one each request)
_METHODS = {m: m for m in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")}
JOURNALED_PATHS = 4096  # provider paths FrontDoor memoises (each → its provider, for the journal)
_CONTROL = re.compile(r"^(?:/_ns/[^/]+)?/_sandbox(?:/|$)")  # namespaced control planes too
# health (for HEALTHCHECK; it tells nothing), the dashboard's sign-in page and its static assets
_UI_PAGE = re.compile(r"^((?:/_ns/[^/]+)?)/_sandbox/ui(?:/|$)")
_OPEN = re.compile(r"^(?:/_ns/[^/]+)?/_sandbox(?:/health|/ui/login|/ui/static/[^/]+)$")


def _with_status(response: Response, status: int) -> Response:
    """A forced fault answers with its own status even where the provider's table lacks it."""
    response.status_code = status
    return response


async def _locked(scope: Scope, receive: Receive, send: Send) -> None:
    message = (
        "the control plane is locked: this server listens beyond loopback without a control token; "
        "start it with SANDBOX_CONTROL_TOKEN (then send Authorization: Bearer <token>) or SANDBOX_ALLOW_OPEN_CONTROL=1"
    )
    await error(message, 403)(scope, receive, send)


async def _unauthorised(scope: Scope, receive: Receive, send: Send) -> None:
    page = _UI_PAGE.match(scope["path"]) if scope["method"] == "GET" else None
    if page is not None:  # a browser on the dashboard: to its sign-in page (in its namespace)
        await RedirectResponse(scope.get("sandbox.prefix", "") + page.group(1) + "/_sandbox/ui/login", 303)(scope, receive, send)
        return
    response = error("the control plane needs Authorization: Bearer <control token>", 401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="_sandbox"'
    await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands over the body read in advance, then waits as the server's would."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _host_name(value: bytes) -> str:
    """The Host header's name, without its port, lower-cased."""
    return value.decode("latin-1").rsplit(":", 1)[0].lower()


async def not_found(request: Request, exc: Exception) -> Response:
    """The core's own 404/405 (outside any provider), keeping Starlette's `Allow` on a 405."""
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    request.scope["sandbox.reason"] = f"no route {request.method} {request.url.path}"
    response = error(f"no route {request.method} {request.url.path}", status)
    if isinstance(exc, HTTPException) and exc.headers:
        response.headers.update(exc.headers)
    return response


async def server_error(request: Request, exc: Exception) -> Response:
    request.scope["sandbox.reason"] = f"internal sandbox error: {type(exc).__name__}: {exc}"
    return error("internal sandbox error: please report it with the request", 500)


_R = TypeVar("_R", Route, Mount)


def _dotall(route: _R) -> _R:
    """Starlette compiles a mount's `{path:path}` as `.*`, which stops at a newline: a path with an
    encoded one (`/whop/.../cse_%0Aabc`) then fell out of its provider into the generic 404. Matching
    the rest of the path with DOTALL keeps it inside the provider, whose routes answer it."""
    route.path_regex = re.compile(route.path_regex.pattern, re.DOTALL)
    return route


def _catch_all(provider: Provider) -> Route:
    """After the provider's own routes, for every method: a path one of them serves with another
    method gets `provider.method_not_allowed` (a 405 with `Allow` by default), any other path the
    provider's own unknown-path error."""

    async def unknown(request: Request) -> Response:
        allowed = _allowed_methods(provider.routes, request.scope)
        if not allowed:
            raise provider.unknown_path(request)
        answer = provider.method_not_allowed(request, allowed)
        if isinstance(answer, ProviderError):
            raise answer
        return answer

    return _dotall(Provider.every_method(Route("/{rest:path}", unknown)))


def _allowed_methods(routes: Sequence[BaseRoute], scope: Scope) -> list[str]:
    """The methods of the routes whose path matches `scope` (Starlette's own matching: a partial
    match is a path served with other methods); runs only on a request no route took."""
    methods: set[str] = set()
    for route in routes:
        if isinstance(route, Route) and route.methods and route.matches(scope)[0] is Match.PARTIAL:
            methods |= route.methods
    return sorted(methods)


def method_routes(routes: Sequence[BaseRoute]) -> dict[str, list[BaseRoute]]:
    """For each method some route names, the routes that can match a request with it, in order:
    a `Route` whose `methods` hold it or that takes every method, and any other kind of route.
    A `Route` with other methods never matches FULL (Starlette's `Route.matches` makes it PARTIAL),
    so the first FULL match among these is the first in the whole walk."""
    named = {method for route in routes if isinstance(route, Route) and route.methods for method in route.methods}
    return {
        method: [r for r in routes if not isinstance(r, Route) or not r.methods or method in r.methods]
        for method in sorted(named)
    }


async def _probe(request: Request) -> Response:  # pragma: no cover - never called
    raise NotImplementedError


# the code of the ASGI app Starlette's `Route` makes of a function endpoint with nothing around it
_PLAIN_ROUTE_APP = request_response(_probe).__code__
# Starlette's `Route` and ours, which only compiles its pattern later (sandbox/routing.py)
_PLAIN_ROUTES = (Route, routing.Route)


def direct_endpoint(route: BaseRoute) -> Endpoint | None:
    """The endpoint `_Router` may await itself for `route`: a plain `Route` whose app is Starlette's
    bare `request_response` over a plain async function (no route middleware, no body limit; not
    a lazy endpoint, sandbox/lazy.py). None for anything else, which `route.handle` serves.

    Starlette's `request_response` wraps the call in `wrap_app_handling_exceptions`, which renders
    an exception with the app's handlers; the outer `ExceptionMiddleware` holds the very same
    handlers and renders it the same way from the same scope, so skipping the inner wrapper
    changes no byte (tests/test_router_direct.py) and saves two coroutines and a closure a request."""
    if not isinstance(route, Route) or type(route) not in _PLAIN_ROUTES:  # a subclass may match or handle its own way
        return None
    if getattr(route.app, "__code__", None) is not _PLAIN_ROUTE_APP:
        return None
    endpoint = route.endpoint
    if not inspect.isfunction(endpoint) or not inspect.iscoroutinefunction(endpoint) or hasattr(endpoint, "target"):
        return None
    return endpoint


_Candidate = tuple[BaseRoute, str, Endpoint | None]


def literal_start(route: BaseRoute) -> str:
    """The text every path `route` matches starts with: its pattern up to the first parameter
    (Starlette escapes the rest of that text into the route's regex); "" for any other kind of
    route. The router skips a route whose start the path lacks without running its regex (or, for
    sandbox/routing.py's routes, compiling it). Read from `path`, which `path_format` equals up to
    the first `{`, so that building the table compiles nothing."""
    if not isinstance(route, Route):
        return ""
    return route.path.partition("{")[0]


def _candidates(routes: Sequence[BaseRoute]) -> list[_Candidate]:
    return [(route, literal_start(route), direct_endpoint(route)) for route in routes]


class _Router(Router):
    """Starlette's router with two shortcuts. A path under a provider's prefix goes straight to
    that provider's mount: the providers' mounts come first and each ends in a catch-all, so the
    walk would stop there anyway, after one regex per provider before it (bench/inproc.py: Riverty,
    the fifth, paid four on every request). Inside the mount only the routes that take the request's
    method are tried (`method_routes`): a write no longer pays the regex of every read route listed
    before it (a method no route names: only the routes taking every method, and other kinds of
    route; Shoplazza's routes all take every method), and of those only the ones whose literal
    start (`literal_start`) the path has (Riverty's `/{clientId}/disputes` comes after six others).
    When none of them matches FULL (a method no route names, a path served with other methods, no
    match at all), the mount walks all its routes as Starlette does, so 405s, partial matches and
    the catch-all answer as before. A route matched so whose endpoint is a plain async function is
    awaited directly (`direct_endpoint`). Anything else walks the routes as Starlette does."""

    def __init__(self, routes: Sequence[BaseRoute], mounts: dict[str, Mount], **kwargs: Any) -> None:
        super().__init__(routes, **kwargs)
        self.mounts = mounts
        # prefix -> (method -> the routes to try, the routes to try for a method no route names),
        # each route with its endpoint when it is awaited directly
        self.by_method: dict[str, tuple[dict[str, list[_Candidate]], list[_Candidate]]] = {}
        for prefix, mount in mounts.items():
            table = method_routes(mount.routes)
            others = [r for r in mount.routes if not isinstance(r, Route) or not r.methods]
            self.by_method[prefix] = (
                {method: _candidates(candidates) for method, candidates in table.items()}, _candidates(others)
            )

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            path = scope["path"]
            cut = path.find("/", 1)
            prefix = path[:cut] if cut > 0 else ""
            mount = self.mounts.get(prefix)
            if mount is not None:
                match, child = mount.matches(scope)
                if match is Match.FULL:  # what Router.app does with it
                    scope.setdefault("router", self)
                    scope["route"] = mount
                    scope.update(child)
                    table, others = self.by_method[prefix]
                    rest = path[cut:]  # what the routes inside the mount match (Starlette's `get_route_path`)
                    for route, start, endpoint in table.get(scope["method"], others):
                        if not rest.startswith(start):  # its regex would not match
                            continue
                        match, child = route.matches(scope)
                        if match is Match.FULL:  # what the mount's own Router.app does with it
                            scope["route"] = route
                            scope.update(child)
                            if endpoint is None:
                                await route.handle(scope, receive, send)
                            else:
                                response = await endpoint(Request(scope, receive, send))
                                await response(scope, receive, send)
                            return
                    await mount.handle(scope, receive, send)
                    return
        await super().app(scope, receive, send)


def _lifespan(namespaces: Namespaces) -> Callable[[Starlette], contextlib.AbstractAsyncContextManager[None]]:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with namespaces.delivering():
            yield

    return lifespan


def _lazy(module: str, table: Sequence[tuple[str, str, str]]) -> list[BaseRoute]:
    """Routes (path, methods, function in `module`) whose module loads on their first call
    (sandbox/lazy.py): no provider request needs these, so a start does not import them."""
    return [routing.Route(path, lazy_endpoint(f"{module}:{name}"), methods=methods.split())
            for path, methods, name in table]


# The core's `/_sandbox` routes besides control.py's own and the namespaces'
CONTROL_ROUTES = [
    *_lazy("sandbox.webhook_routes", [
        ("/webhooks", "GET", "list_subscriptions"),
        ("/webhooks", "POST", "create_subscription"),
        ("/webhooks/deliveries", "GET", "deliveries"),
        ("/webhooks/deliveries/{id}/redeliver", "POST", "redeliver"),
        ("/webhooks/{id}", "GET", "get_subscription"),
        ("/webhooks/{id}", "PATCH", "update_subscription"),
        ("/webhooks/{id}", "DELETE", "delete_subscription"),
    ]),
    *_lazy("sandbox.journal_routes", [
        ("/requests", "GET", "requests_list"),
        ("/requests", "DELETE", "requests_clear"),
    ]),
    *_lazy("sandbox.openapi_routes", [
        ("/openapi.json", "GET", "control"),
        ("/openapi", "GET", "index"),
        ("/openapi/{name}.json", "GET", "served"),
    ]),
    *_lazy("sandbox.drill_routes", [
        ("/faults", "GET", "faults_list"),
        ("/faults", "POST", "faults_add"),
        ("/faults", "DELETE", "faults_clear"),
        ("/drills", "GET", "drills_list"),
        ("/drills", "POST", "drills_add"),
        ("/drills", "DELETE", "drills_clear"),
    ]),
]
# the dashboard's pages (sandbox/ui), under /_sandbox/ui
UI_ROUTES = _lazy("sandbox.ui.pages", [
    ("/login", "GET POST", "login"),
    ("/", "GET", "overview"),
    ("/records", "GET", "records"),
    ("/records/{provider}/{id:path}", "GET", "record"),
    ("/feed", "GET", "feed"),
    ("/feed/stream", "GET", "feed_stream"),
    ("/faults", "GET", "faults"),
    ("/static/{name}", "GET", "static"),
])


def create_app(
    sandbox: Sandbox, settings: Settings = DEFAULT_SETTINGS, namespaces: Namespaces | None = None
) -> Starlette:
    """The ASGI app serving `sandbox` (the default namespace) and its `namespaces`; `settings`
    bound what requests may do (docs/security.md)."""
    namespaces = namespaces or Namespaces(sandbox, settings.max_namespaces)
    if namespaces.template is None and sandbox._world is not None:
        namespaces.template = sandbox.scenario  # implicit namespaces build from the server's scenario
    controls: list[BaseRoute] = [*CONTROL_ROUTES, *namespace_routes]
    for provider in sandbox.providers:
        controls += provider.control_routes
    # providers first: the router tries routes in order, and provider calls are the hot path
    mounts = {p.prefix: _dotall(Mount(p.prefix, routes=[*p.routes, _catch_all(p)])) for p in sandbox.providers}
    routes: list[BaseRoute] = list(mounts.values())
    # the dashboard, before the control plane it shares `/_sandbox` with; `/` leads to it
    dashboard = lazy_endpoint("sandbox.ui.pages:to_dashboard")
    routes += [Mount("/_sandbox/ui", routes=UI_ROUTES), routing.Route("/_sandbox/ui", dashboard), routing.Route("/", dashboard)]
    routes.append(_dotall(control_routes(controls)))
    app = Starlette(
        middleware=[Middleware(FrontDoor, sandbox=sandbox, settings=settings, namespaces=namespaces)],
        exception_handlers={ProviderError: render_provider_error, HTTPException: not_found, Exception: server_error},
    )
    app.router = _Router(routes, mounts, lifespan=_lifespan(namespaces))
    app.state.sandbox = sandbox
    app.state.namespaces = namespaces
    app.state.settings = settings
    return app
