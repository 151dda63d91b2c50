"""The op log: what a namespace's state is, as its scenario plus the changes it acknowledged.

A sandbox's state is a pure function of its scenario, its seed, its start instant and the requests
that changed it, each at the sandbox instant it arrived (docs/architecture.md, "Export and
persistence"). So instead of serialising five providers' records, the front door records every
acknowledged change, in the order it was answered:

- a provider request with a method other than GET/HEAD that answered 2xx (method, path as it
  arrived, query, headers, body bytes, the sandbox instant at arrival);
- a state-changing control under `/_sandbox` (provider controls, webhook subscriptions) that
  answered 2xx, recorded the same way;
- a clock move (`/_sandbox/clock/advance|set`), recorded as the instant the clock reached;

and a scenario load or reset starts a new base (the scenario's text, seed, start instant) with no
ops. `GET /_sandbox/export` writes the base as YAML with `seed` and `clock.start` fixed and the ops
under a `replay:` head key; loading that document builds the base and replays each op through the
app (`replay`), refusing the file at the first op that no longer answers 2xx. Not replayed: faults,
drills, the request journal, webhook deliveries (a replay delivers nothing), namespaces (the registry's).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

import orjson

from .timefmt import parse_instant

if TYPE_CHECKING:
    from .runtime import Sandbox, World
    from .scenario import Scenario

READS = frozenset({"GET", "HEAD", "OPTIONS"})
# what one sandbox keeps in memory for its export; past either bound the history is dropped (the
# export then says so) while a state file, on disk, keeps recording: memory stays bounded
MAX_OPS = 100_000
MAX_OP_BYTES = 32 * 1024 * 1024
# controls whose effect is part of the state: everything under /_sandbox that changes something,
# less what is not replayed (see the module doc); clock moves are recorded as their target instant
_CLOCK = re.compile(r"^/_sandbox/clock/(?:advance|set)$")
_NOT_REPLAYED = re.compile(
    r"^/_sandbox/(?:scenario|reset|faults|drills|requests|namespaces?|export|openapi|ui|health|webhooks/deliveries)(?:/|$)"
)
# headers a replay does not need (or must not carry: a control token, the dashboard's cookie)
_DROPPED = frozenset({  # ASGI header names as sent
    b"content-length", b"transfer-encoding", b"connection", b"cookie", b"keep-alive", b"expect", b"x-sandbox-namespace",
})
_DROPPED_CONTROL = _DROPPED | {b"authorization"}  # a control's op never carries the control token


class Op(NamedTuple):
    """One acknowledged change. `kind` "request": the request as it arrived (path without the
    namespace prefix); "clock": the clock moved to `at`. A named tuple, not a frozen dataclass:
    the front door makes one per acknowledged write, and a frozen dataclass sets each of its seven
    fields through `object.__setattr__` (bench/inproc.py --writes)."""

    at: datetime
    kind: str = "request"
    method: str = ""
    path: str = ""
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"at": self.at.isoformat(), "kind": self.kind}
        if self.kind == "clock":
            return out
        out.update(method=self.method, path=self.path, query=self.query, headers=[list(h) for h in self.headers])
        if self.body:
            try:
                out["body"] = self.body.decode("utf-8")
            except UnicodeDecodeError:
                out["body_base64"] = base64.b64encode(self.body).decode("ascii")
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Op:
        body = data.get("body")
        raw = body.encode("utf-8") if isinstance(body, str) else base64.b64decode(data.get("body_base64") or b"")
        return cls(
            at=parse_instant(data["at"]),
            kind=data.get("kind", "request"),
            method=data.get("method", ""),
            path=data.get("path", ""),
            query=data.get("query", ""),
            headers=tuple((str(k), str(v)) for k, v in data.get("headers", ())),
            body=raw,
        )


class Sink(Protocol):
    """Where a namespace's op log goes besides memory (sandbox/persist.py)."""

    def rebase(self, name: str, text: str, seed: int, start: datetime) -> None: ...

    def append(self, name: str, op: Op) -> None: ...


@dataclass
class OpLog:
    """One sandbox's base and the ops acknowledged since (the scenario's own `replay:` ops are
    the base's; `ops` holds only what came after the load)."""

    scenario: Scenario | None = None
    start: datetime | None = None
    ops: list[Op] = field(default_factory=list)
    sink: Sink | None = None
    name: str = ""  # the namespace, for the sink ("" is the default one)
    overflowed: bool = False  # past MAX_OPS / MAX_OP_BYTES since the base: no export
    size: int = 0  # body bytes held in `ops`

    def rebase(self, scenario: Scenario, start: datetime, ops: Sequence[Op] = (), persist: bool = True) -> None:
        self.scenario, self.start, self.ops = scenario, start, list(ops)
        self.size, self.overflowed = sum(len(op.body) for op in self.ops), False
        if self.sink is not None and persist:
            self.sink.rebase(self.name, scenario.text, scenario.seed, start)

    def record(self, op: Op) -> None:
        """Called by the front door before the 2xx answer's start goes out: with a sink, the op
        is committed first, so an answered change is durable."""
        if self.sink is not None:
            self.sink.append(self.name, op)
        if self.overflowed:
            return
        self.size += len(op.body)
        self.ops.append(op)
        if len(self.ops) > MAX_OPS or self.size > MAX_OP_BYTES:
            self.ops, self.size, self.overflowed = [], 0, True


def recordable(path: str, provider_path: bool) -> str | None:
    """The op kind a non-read request to `path` makes if it answers 2xx, or None."""
    if provider_path:
        return "request"
    if not path.startswith("/_sandbox/"):
        return None
    if _CLOCK.match(path):
        return "clock"
    return None if _NOT_REPLAYED.match(path) else "request"


def request_op(scope: MutableMapping[str, Any], kind: str, path: str, at: datetime, now: datetime) -> Op:
    """The op for a request that was answered 2xx; `path` as it arrived (before host mode)."""
    if kind == "clock":
        return Op(at=now, kind="clock")
    dropped = _DROPPED_CONTROL if path.startswith("/_sandbox/") else _DROPPED
    headers = tuple([(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", ()) if k not in dropped])
    return Op(at, kind, scope["method"], path, scope.get("query_string", b"").decode("latin-1"), headers,
              scope.get("sandbox.body", b""))


def export_document(sandbox: Sandbox) -> str:
    """The sandbox's state as a scenario: the base with `seed` and `clock.start` fixed, its own
    `replay:` ops and every op since, and the final `now`."""
    import yaml

    log = sandbox.oplog
    assert log.scenario is not None and log.start is not None
    if log.overflowed:
        raise OverflowError(
            f"more than {MAX_OPS} changes or {MAX_OP_BYTES // 2**20} MiB of bodies since the last load or reset: "
            "the history is no longer kept in memory (a --state-file keeps it on disk)"
        )
    data = yaml.load(log.scenario.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    data.pop("replay", None)
    data["seed"] = log.scenario.seed
    found = data.get("clock")
    clock: dict[str, Any] = found if isinstance(found, dict) else {}
    clock["start"] = log.start.isoformat()
    data["clock"] = clock
    ops = [*log.scenario.replay, *log.ops]
    data["replay"] = {"now": sandbox.now().isoformat(), "ops": [op.to_json() for op in ops]}
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=1 << 16)
    return text


class ReplayRefused(Exception):
    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index, self.message = index, message


async def replay(sandbox: Sandbox, world: World, ops: Iterable[Op], final: datetime | None = None) -> None:
    """Replay `ops` onto `world` (not yet swapped in) through the app, as the requests arrived:
    the clock set to each op's instant first (due deadlines run as they did), then the request.
    Nothing is journaled, no fault applies, no rate limit counts, and nothing is delivered (the
    world's queued webhook messages are dropped at the end: they went out the first time).
    Raises ReplayRefused naming the first op that does not answer 2xx."""
    from .app import create_app
    from .faults import UNCOUNTED
    from .runtime import Sandbox as SandboxType
    from .settings import Settings

    scratch = SandboxType(sandbox.providers, clock_speed=sandbox.clock_speed, webhook_allow=sandbox.webhook_allow,
                          journal_size=0)
    scratch._world = world
    app = create_app(scratch, Settings(max_body=1 << 40))
    token = UNCOUNTED.set(True)
    try:
        for index, op in enumerate(ops):
            if op.at > world.clock.now():
                scratch.set_clock(op.at)
            if op.kind == "clock":
                continue
            status, body = await _call(app, op)
            if not 200 <= status < 300:
                excerpt = body[:300].decode("utf-8", "replace")
                raise ReplayRefused(index, f"{op.method} {op.path} answered {status}, not 2xx: {excerpt}")
        if final is not None and final > world.clock.now():
            scratch.set_clock(final)
    finally:
        UNCOUNTED.reset(token)
    for sub in world.webhooks.subscriptions.values():
        sub.unsettled = 0
    world.webhooks.queues.clear()


async def _call(app: Callable[..., Any], op: Op) -> tuple[int, bytes]:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "scheme": "http",
        "method": op.method, "path": op.path, "raw_path": op.path.encode("utf-8"), "root_path": "",
        "query_string": op.query.encode("latin-1"), "server": ("replay", 80), "client": ("127.0.0.1", 0),
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in op.headers]
        + [(b"content-length", str(len(op.body)).encode())],
    }
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": op.body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


def op_json(op: Op) -> bytes:
    return orjson.dumps(op.to_json())
