"""Forward-compatibility drills: answers a client has never seen, on demand.

Real APIs add enum values, fields and nulls, reorder keys, return short pages and send webhooks
twice or about records the receiver never heard of; code written against today's answers breaks
on them in production. `POST /_sandbox/drills {"provider": "whop", "kind": "unknown_enum"}` makes
matching answers (a `share` of them, drawn from `random.Random(scenario seed ^ drill number)`, at
most `count`) carry such a change, flagged by `X-Sandbox-Drill: <kind>` and in the journal's
reason. Where a kind acts in a provider's JSON is the provider's own data (`Provider.drill_targets`,
`sandbox.provider.DrillFamily`); the core knows no provider. The body is changed on the rendered
JSON only while a drill is pending, so an undrilled request pays one truthiness check
(docs/drills-and-faults.md).
"""

from __future__ import annotations

import dataclasses
import random
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .faults import answer, capture
from .journal import TenantFinder
from .provider import DrillFamily, DrillTargets, Provider, WebhookMessage

if TYPE_CHECKING:
    from .runtime import Sandbox

BODY_KINDS = ("unknown_enum", "extra_field", "null_optional", "absent_optional", "reorder_keys", "short_page")
WEBHOOK_KINDS = ("duplicate_webhook", "unknown_record_webhook")
KINDS = BODY_KINDS + WEBHOOK_KINDS
UNKNOWN_VALUE = "new_future_status"  # what `unknown_enum` sets where the provider declares no other value
EXTRA_FIELD = "new_future_field"
EXTRA_VALUE = "a field this client has never seen"
HEADER = b"x-sandbox-drill"


@dataclass
class Drill:
    """One drill, as `POST /_sandbox/drills` adds it: which answers (or webhooks) it changes, and how."""

    provider: str
    kind: str
    tenant: str | None = None  # the credential's tenant (webhooks: the subscription's)
    path: str = ""  # a substring of the request path (webhooks: of the target URL)
    share: float = 1.0  # of matching answers drilled
    count: int | None = None  # drilled answers left; None: until cleared
    value: str | int | None = None  # unknown_enum: the value; extra_field: the field's value
    field: str | None = None  # the one field to touch (default: the provider's declared ones)
    number: int = 0  # its place among the drills added since the last reset: seeds its generator
    drilled: int = 0
    rng: random.Random = dataclasses.field(default_factory=lambda: random.Random(0), repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.number, "provider": self.provider, "kind": self.kind, "tenant": self.tenant,
                "path": self.path, "share": self.share, "count": self.count, "value": self.value,
                "field": self.field, "drilled": self.drilled}


def not_declared(kind: str, provider: Provider) -> str | None:
    """Why `kind` cannot act on `provider`'s answers (None: it can)."""
    targets: DrillTargets = provider.drill_targets
    families = targets.families
    usable = {
        "unknown_enum": any(f.enums for f in families),
        "extra_field": bool(families),
        "null_optional": any(f.optional for f in families),
        "absent_optional": any(f.optional for f in families),
        "reorder_keys": True,
        "short_page": any(f.page_size or any("[]" in r for r in f.records) for f in families),
        "duplicate_webhook": bool(provider.webhook_types),
        "unknown_record_webhook": bool(provider.webhook_types and targets.webhook_ids),
    }
    if usable.get(kind):
        return None
    return f"drill kind {kind} is not declared for provider {provider.key}"


class Drills:
    """The pending drills of one sandbox (cleared on reset and load, like faults)."""

    def __init__(self) -> None:
        self.pending: list[Drill] = []
        self.added = 0

    def add(self, drill: Drill, seed: int = 0) -> None:
        self.added += 1
        drill.number = self.added
        drill.rng = random.Random(seed ^ self.added)
        self.pending.append(drill)

    def clear(self) -> None:
        self.pending.clear()
        self.added = 0

    def pick(self, provider: str, path: str, tenant: Callable[[], str | None], kinds: tuple[str, ...]) -> Drill | None:
        """The first drill of `kinds` that fires for this answer (one draw per matching drill)."""
        for drill in self.pending:
            if drill.kind not in kinds or drill.provider != provider or drill.path not in path:
                continue
            if drill.tenant is not None and tenant() != drill.tenant:
                continue
            if drill.share >= 1 or drill.rng.random() < drill.share:
                return drill
        return None

    def spend(self, drill: Drill) -> None:
        drill.drilled += 1
        if drill.count is not None:
            drill.count -= 1
            if drill.count <= 0 and drill in self.pending:
                self.pending.remove(drill)

    def webhook(self, provider: Provider, tenant: str, url: str, message: WebhookMessage) -> list[tuple[str, WebhookMessage]]:
        """Extra deliveries a drill adds to one message bound for one subscription: the message
        itself again (`duplicate_webhook`), or a copy about a record that does not exist."""
        drill = self.pick(provider.key, url, lambda: tenant, WEBHOOK_KINDS)
        if drill is None:
            return []
        if drill.kind == "duplicate_webhook":
            self.spend(drill)
            return [(drill.kind, message)]
        other = _unknown_record(message, provider.drill_targets.webhook_ids, drill.rng)
        if other is None:
            return []
        self.spend(drill)
        return [(drill.kind, other)]


# -- the front door's part -------------------------------------------------------------------------

async def serve(sandbox: Sandbox, provider: Provider, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """One request to `provider` while faults or drills are pending: a fault may answer (or delay,
    or cut) it, and a drill may change the answer's JSON."""
    path = scope["path"]
    tenant = _tenant_of(sandbox, provider, scope)
    inner = app
    drills = sandbox.drills
    drill = drills.pick(provider.key, path, tenant, BODY_KINDS) if drills.pending else None
    if drill is not None:
        inner = _Drilled(drills, drill, provider.drill_targets, app)
    faults = sandbox.faults
    fault = faults.take(provider.key, path, tenant) if faults.pending else None
    if fault is None:
        await inner(scope, receive, send)
    else:
        await answer(fault, faults, provider.fault_response, inner, scope, receive, send)


def _tenant_of(sandbox: Sandbox, provider: Provider, scope: Scope) -> Callable[[], str | None]:
    """The request's tenant, found (once) only if a tenant-scoped rule asks."""
    found: list[str | None] = []

    def tenant() -> str | None:
        if not found:
            finder = TenantFinder({provider.key: provider.tenants(sandbox.state(provider.key))})
            found.append(finder.find(provider.key, scope.get("headers", ()), scope["path"]))
        return found[0]

    return tenant


class _Drilled:
    """The app, with `drill` applied to its answer when the answer is a JSON success it touches."""

    def __init__(self, drills: Drills, drill: Drill, targets: DrillTargets, app: ASGIApp) -> None:
        self.drills, self.drill, self.targets, self.app = drills, drill, targets, app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        drill = self.drill
        family = next((f for f in self.targets.families if _search(f.path, scope["path"])), None)
        if family is None and drill.kind != "reorder_keys":
            await self.app(scope, receive, send)
            return
        asked = None
        served = scope
        if drill.kind == "short_page" and family is not None and family.page_size is not None:
            asked, shortened = _shorten(scope.get("query_string", b""), *family.page_size)
            if shortened is None or scope["method"] != "GET":
                await self.app(scope, receive, send)
                return
            # a copy asks for fewer: the journal keeps the client's query, and routing (which
            # writes into the scope) can run again on the original if this is no list page
            served = {**scope, "query_string": shortened}
        start, body = await capture(self.app, served, receive)
        changed = None if start is None else _change(drill, family, asked, start, body)
        if changed is None and served is not scope:  # not a full short page (a record, a refusal):
            await self.app(scope, receive, send)  # the GET again, as the client asked it
            return
        if served is not scope:  # the handler's notes (tenant, reason) for the journal
            scope.update({k: v for k, v in served.items() if k.startswith("sandbox.")})
        if start is None:
            return
        if changed is None:
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        self.drills.spend(drill)
        note = f"drill {drill.kind} (/_sandbox/drills #{drill.number})"
        reason = scope.get("sandbox.reason")
        scope["sandbox.reason"] = f"{reason}; {note}" if reason else note
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers += [(b"content-length", str(len(changed)).encode()), (HEADER, drill.kind.encode())]
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": changed})


def _search(pattern: str, path: str) -> bool:
    return re.search(pattern, path) is not None  # re caches the compiled pattern


def _shorten(query: bytes, name: str, default: int) -> tuple[int, bytes | None]:
    """(the page size asked, the query asking half of it); None when a page of one cannot shrink
    or the value is not a number (the provider then answers its own error, undrilled)."""
    parts = query.split(b"&") if query else []
    key = name.encode()
    asked = default
    at = None
    for i, part in enumerate(parts):
        if part.split(b"=", 1)[0] == key:
            raw = part.split(b"=", 1)[1] if b"=" in part else b""
            if not raw.isdigit():
                return 0, None
            asked, at = int(raw), i
    if asked < 2:
        return asked, None
    shorter = key + b"=" + str(asked // 2).encode()
    if at is None:
        parts.append(shorter)
    else:
        parts[at] = shorter
    return asked, b"&".join(parts)


def _change(drill: Drill, family: DrillFamily | None, asked: int | None, start: Message, body: bytes) -> bytes | None:
    """The drilled body, or None when the drill changes nothing in this answer."""
    if not 200 <= start["status"] < 300 or not body:
        return None
    content_type = next((v for k, v in start.get("headers", []) if k.lower() == b"content-type"), b"")
    if b"json" not in content_type:
        return None
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if drill.kind == "reorder_keys":
        return orjson.dumps(_reversed(document)) if _reorderable(document) else None
    assert family is not None
    located = _locate(document, family.records)
    if located is None:
        return None
    records, listed = located
    if not _apply(drill, family, document, records, listed, asked):
        return None
    return orjson.dumps(document)


def _apply(drill: Drill, family: DrillFamily, document: Any, records: list[dict[str, Any]], listed: list[Any] | None,
           asked: int | None) -> bool:
    kind = drill.kind
    changed = False
    if kind == "short_page":
        if listed is None:
            return False
        if asked is not None:  # the provider was asked for half: a full half-page is the short page
            return len(listed) == asked // 2
        if len(listed) < 2:
            return False
        del listed[(len(listed) + 1) // 2:]
        return True
    if kind == "extra_field":
        name = drill.field or EXTRA_FIELD
        for record in records:
            record[name] = drill.value if drill.value is not None else EXTRA_VALUE
            changed = True
        return changed
    if kind == "unknown_enum":
        wanted = {drill.field: family.enums.get(drill.field, UNKNOWN_VALUE)} if drill.field else dict(family.enums)
        for record in records:
            for name, unknown in wanted.items():
                parent, key = _parent(record, name)
                if parent is not None:
                    parent[key] = drill.value if drill.value is not None else unknown
                    changed = True
        return changed
    names = [drill.field] if drill.field else list(family.optional)
    for record in records:  # null_optional: the first field it has set; absent_optional: the first it has
        for name in names:
            parent, key = _parent(record, name)
            if parent is None or (kind == "null_optional" and parent[key] is None):
                continue
            if kind == "null_optional":
                parent[key] = None
            else:
                del parent[key]
            changed = True
            break
    return changed


def _parent(record: dict[str, Any], dotted: str) -> tuple[dict[str, Any] | None, str]:
    """The object holding `dotted`'s last key inside `record`, if the whole path is there."""
    *heads, last = dotted.split(".")
    node: Any = record
    for head in heads:
        node = node.get(head) if isinstance(node, dict) else None
    return (node, last) if isinstance(node, dict) and last in node else (None, last)


def _locate(document: Any, locations: Any) -> tuple[list[dict[str, Any]], list[Any] | None] | None:
    """The records at the first of `locations` present in `document`, and the list that holds
    them (the first `[]` of the location), if any."""
    for location in locations:
        found = _walk(document, location)
        if found is not None:
            return found
    return None


def _walk(document: Any, location: str) -> tuple[list[dict[str, Any]], list[Any] | None] | None:
    nodes: list[Any] = [document]
    listed: list[Any] | None = None
    for part in location.split(".") if location else []:
        many = part.endswith("[]")
        key = part[:-2] if many else part
        following: list[Any] = []
        for node in nodes:
            if key:
                if not isinstance(node, dict) or key not in node:
                    return None
                node = node[key]
            if not many:
                following.append(node)
            elif not isinstance(node, list):
                return None
            else:
                listed = node if listed is None else listed
                following.extend(node)
        nodes = following
    records = [n for n in nodes if isinstance(n, dict)]
    return (records, listed) if records or listed is not None else None


def _reversed(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _reversed(node[k]) for k in reversed(node)}
    if isinstance(node, list):
        return [_reversed(v) for v in node]
    return node


def _reorderable(node: Any) -> bool:
    if isinstance(node, dict):
        return len(node) > 1 or any(_reorderable(v) for v in node.values())
    if isinstance(node, list):
        return any(_reorderable(v) for v in node)
    return False


def _unknown_record(message: WebhookMessage, locations: Any, rng: random.Random) -> WebhookMessage | None:
    """`message` about a record id that exists nowhere: the id (at the first of `locations` in
    the payload) and the message id replaced everywhere in the payload by look-alikes."""
    record_id = None
    for location in locations:
        parent, key = _parent(message.payload, location)
        if parent is not None and isinstance(parent[key], str) and parent[key]:
            record_id = parent[key]
            break
    if record_id is None:
        return None
    new_id, new_message = _look_alike(record_id, rng), _look_alike(message.message_id, rng)
    text = orjson.dumps(message.payload).decode()
    text = text.replace(f'"{record_id}"', f'"{new_id}"').replace(f'"{message.message_id}"', f'"{new_message}"')
    return dataclasses.replace(message, message_id=new_message, payload=orjson.loads(text))  # a subclass stays one


def _look_alike(value: str, rng: random.Random) -> str:
    """`value` with its last eight letters and digits redrawn, each in its own class (hex stays
    hex), so the id keeps its provider's form."""
    chars = list(value)
    touched = 0
    for i in range(len(chars) - 1, -1, -1):
        c = chars[i]
        if touched == 8:
            break
        if c.isdigit():
            chars[i] = rng.choice(string.digits)
        elif c in "abcdef":
            chars[i] = rng.choice("abcdef")
        elif c.islower():
            chars[i] = rng.choice(string.ascii_lowercase)
        elif c.isupper():
            chars[i] = rng.choice(string.ascii_uppercase)
        else:
            continue
        touched += 1
    made = "".join(chars)
    return made if made != value else value + "0"
