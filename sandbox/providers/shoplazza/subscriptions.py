"""Shoplazza's webhook registration API: `POST/GET /openapi/{version}/webhooks`, `GET …/webhooks/
count`, `GET/PUT/DELETE …/webhooks/{id}` (docs/providers/shoplazza.md §9).

Two families by version: up to 2024-07 the body is `{topic, address}`, answers are bare and the
list pages by `limit`/`page` (the 2022-01 reference); from 2025-06 the body is `{"webhook": {…}}`,
answers sit in the `{code, message, data}` envelope and the list pages by `page_size`/`cursor`.
A subscription made here IS a core webhook subscription (`/_sandbox/webhooks` lists it) for the
token's store, signed with the app's client secret when the token came from the OAuth flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import orjson
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response

from ...access import sandbox_of
from ...generate import rng_for, uuid4_text
from ...pagination import CursorError, decode_cursor, encode_cursor, query_fingerprint
from ...params import is_ascii_digits
from ...scenario import SubscriptionSpec
from ...timefmt import iso_seconds, parse_instant
from ...webhook_routes import target_refused as allow_refusal  # the core's --webhook-allow check
from ...webhooks import MAX_SUBSCRIPTIONS, Dispatcher, Subscription
from . import errors, inferred
from .auth import authenticate, token_of
from .models import StoreRecord, TokenRecord
from .state import HookTimes, ShoplazzaState, state_of
from .wire import Webhook

KNOWN_TOPICS = frozenset(inferred.DOCUMENTED_TOPICS) | frozenset(inferred.WEBHOOK_TOPICS)


@dataclass
class Call:
    """One webhook-API request, authenticated: its version family, store, token and state."""

    request: Request
    state: ShoplazzaState
    store: StoreRecord
    token: TokenRecord
    version: str

    @property
    def wrapped(self) -> bool:
        return self.version in inferred.WRAPPED_WEBHOOK_VERSIONS

    def answer(self, data: dict[str, Any]) -> Response:
        if self.wrapped and inferred.WEBHOOK_ENVELOPE_FROM_2025:
            data = {"code": "Success", "message": "Success", "data": data}
        return errors.ok(data)

    def mine(self) -> list[Subscription]:
        """The store's subscriptions (made here, on the control plane or in the scenario), oldest first."""
        subs = [s for s in dispatcher(self.request).subscriptions.values()
                if s.provider == "shoplazza" and s.tenant == self.store.subdomain]
        return sorted(subs, key=lambda s: (self.times(s).created_at, s.id))

    def find(self) -> Subscription:
        sub = dispatcher(self.request).subscriptions.get(self.request.path_params["id"])
        if sub is None or sub.provider != "shoplazza" or sub.tenant != self.store.subdomain:
            raise errors.record_not_found()
        return sub

    def times(self, sub: Subscription) -> HookTimes:
        start = self.state.ctx.start
        return self.state.hook_times.get(sub.id) or HookTimes(start, start)

    def view(self, sub: Subscription) -> dict[str, Any]:
        times = self.times(sub)
        return Webhook(
            id=sub.id, address=sub.url, topic=topic_of(sub), created_at=iso_seconds(times.created_at),
            updated_at=iso_seconds(times.updated_at), format=inferred.WEBHOOK_FORMAT,
        ).model_dump()


def dispatcher(request: Request) -> Dispatcher:
    """The live world's webhook subscriptions (the ones `/_sandbox/webhooks` lists)."""
    world = sandbox_of(request).world
    assert world is not None, "a request reaches a provider only once a scenario is loaded"
    return world.webhooks


def topic_of(sub: Subscription) -> str:
    """One topic for a subscription made here; a control-plane one with several (or all: none
    named) shows them comma-joined, as the list filter writes them."""
    return ",".join(sub.events or inferred.WEBHOOK_TOPICS)


def _call(request: Request, methods: tuple[str, ...]) -> Call:
    version = request.path_params["version"]
    if version not in inferred.WEBHOOK_VERSIONS:
        raise errors.route_not_found()
    if request.method not in methods:
        raise errors.method_not_allowed(methods)
    state = state_of(request)
    store = authenticate(request, state, scopes=None)
    return Call(request, state, store, token_of(request, state), version)


# -- bodies and queries ---------------------------------------------------------------------------


async def _fields(call: Call) -> dict[str, Any]:
    """The body's webhook fields, flat (2022-01) or under `webhook` (2025-06+)."""
    raw = await call.request.body()
    try:
        body = orjson.loads(raw) if raw.strip() else {}
    except orjson.JSONDecodeError:
        raise errors.invalid_parameter("body is not valid JSON") from None
    if not isinstance(body, dict):
        raise errors.invalid_parameter("body must be a JSON object")
    if call.wrapped:
        inner = body.get("webhook")
        if not isinstance(inner, dict):
            raise errors.field_errors({"webhook": ["can't be blank"]}, call.version)
        return inner
    return body


def _check(call: Call, fields: dict[str, Any], partial: bool) -> tuple[str | None, str | None]:
    """`(address, topic)` checked as the reference words its 422; None where a partial update omits it."""
    problems: dict[str, list[str]] = {}
    address, topic = fields.get("address"), fields.get("topic")
    for name, value in (("address", address), ("topic", topic)):
        if value is None and partial:
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.setdefault(name, []).append("can't be blank")
        elif not isinstance(value, str):
            problems.setdefault(name, []).append("is invalid")
    if isinstance(address, str) and address.strip() and not _is_url(address):
        problems.setdefault("address", []).append("is invalid")
    if isinstance(topic, str) and topic.strip() and topic not in KNOWN_TOPICS:
        problems.setdefault("topic", []).append("is invalid")
    if problems:
        raise errors.field_errors(problems, call.version)
    return address, topic


def _is_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in inferred.WEBHOOK_ADDRESS_SCHEMES and bool(parts.hostname) and len(text) <= 2000


def _needs_scope(call: Call, topic: str) -> None:
    """A subscription needs the read scope of its topic (write implies read)."""
    scope = inferred.TOPIC_SCOPES.get(topic.split("/")[0], "")
    if scope and not {scope, scope.replace("read_", "write_")} & set(call.token.scopes):
        raise errors.forbidden(f"Forbidden: {scope} scope required")


def _taken(call: Call, address: str, topic: str, but: str | None = None) -> None:
    if any(s.url == address and topic_of(s) == topic and s.id != but for s in call.mine()):
        raise errors.field_errors({"address": ["for this topic has already been taken"]}, call.version)


def _instant(call: Call, name: str) -> datetime | None:
    raw = call.request.query_params.get(name)
    if not raw:
        return None
    try:
        return parse_instant(raw)
    except (ValueError, OverflowError):
        raise errors.field_errors({name: ["is invalid"]}, call.version) from None


def _int(call: Call, name: str, default: int, low: int, high: int | None) -> int:
    raw = call.request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not is_ascii_digits(raw) or len(raw) > 9:  # str.isdigit takes `٣`, and `²`, which int() refuses
        raise errors.field_errors({name: ["is not a number"]}, call.version)
    value = int(raw)
    if value < low:
        raise errors.field_errors({name: [f"must be greater than or equal to {low}"]}, call.version)
    if high is not None and value > high:
        raise errors.field_errors({name: [f"must be less than or equal to {high}"]}, call.version)
    return value


def _filtered(call: Call) -> list[Subscription]:
    """The store's subscriptions matching `address`, `topic` (a comma list) and the time bounds."""
    params = call.request.query_params
    address = params.get("address") or None
    topics = {t.strip() for t in (params.get("topic") or "").split(",") if t.strip()}
    bounds = [(name, _instant(call, name)) for name in
              ("created_at_min", "created_at_max", "updated_at_min", "updated_at_max")]
    out = []
    for sub in call.mine():
        times = call.times(sub)
        if address is not None and sub.url != address:
            continue
        if topics and not topics & set(topic_of(sub).split(",")):
            continue
        if all(_within(times, name, bound) for name, bound in bounds):
            out.append(sub)
    return out


def _within(times: HookTimes, name: str, bound: datetime | None) -> bool:
    if bound is None:
        return True
    value = times.created_at if name.startswith("created") else times.updated_at
    return value >= bound if name.endswith("_min") else value <= bound


# -- handlers ---------------------------------------------------------------------------------------


async def collection(request: Request) -> Response:
    call = _call(request, ("GET", "HEAD", "POST"))
    if request.method == "POST":
        return await _create(call)
    found = _filtered(call)
    if not call.wrapped:
        limit = _int(call, "limit", inferred.WEBHOOK_LIST_DEFAULT, 1, inferred.WEBHOOK_LIST_MAX)
        page = _int(call, "page", 1, 1, None)
        return call.answer({"webhooks": [call.view(s) for s in found[(page - 1) * limit : page * limit]]})
    size = _int(call, "page_size", inferred.WEBHOOK_LIST_DEFAULT, 1, inferred.WEBHOOK_LIST_MAX)
    binding = query_fingerprint(call.store.id, *(request.query_params.get(k) for k in (
        "address", "topic", "created_at_min", "created_at_max", "updated_at_min", "updated_at_max")))
    keys = [(iso_seconds(call.times(s).created_at), s.id) for s in found]
    start = 0
    raw = request.query_params.get("cursor")
    if raw:
        try:
            after = tuple(decode_cursor(raw, binding, arity=2))
        except CursorError:
            raise errors.wrong_cursor() from None
        if not all(isinstance(part, str) for part in after):
            raise errors.wrong_cursor()
        start = next((i for i, k in enumerate(keys) if k > after), len(keys))
    page_subs = found[start : start + size]
    has_more = start + size < len(found)
    cursor = encode_cursor(keys[start + size - 1], binding) if has_more else inferred.LAST_PAGE_CURSOR
    return call.answer({"webhooks": [call.view(s) for s in page_subs], "cursor": cursor, "has_more": has_more})


async def _create(call: Call) -> Response:
    address, topic = _check(call, await _fields(call), partial=False)
    assert address is not None and topic is not None
    try:
        spec = SubscriptionSpec.model_validate({"provider": "shoplazza", "tenant": call.store.subdomain,
                                                "url": address, "events": [topic], "secret": _secret(call)})
    except ValidationError:
        raise errors.field_errors({"address": ["is invalid"]}, call.version) from None
    _needs_scope(call, topic)
    _taken(call, address, topic)
    if len(call.mine()) >= inferred.WEBHOOKS_PER_STORE:
        raise errors.field_errors({"topic": [f"at most {inferred.WEBHOOKS_PER_STORE} webhooks per store"]}, call.version)
    if len(dispatcher(call.request).subscriptions) >= MAX_SUBSCRIPTIONS:  # the sandbox's bound, across providers
        raise errors.field_errors({"topic": [f"at most {MAX_SUBSCRIPTIONS} webhooks in the sandbox"]}, call.version)
    await _admitted(call, address)
    call.state.hooks_made += 1
    rng = rng_for(call.state.ctx.seed, "shoplazza-webhook", call.store.id, call.state.hooks_made)
    sub = dispatcher(call.request).subscribe(spec, subscription_id=uuid4_text(rng.getrandbits(128)))
    sub.url = address  # as given, not as pydantic normalises it (a trailing slash added)
    now = call.state.ctx.now().replace(microsecond=0)
    call.state.hook_times[sub.id] = HookTimes(now, now)
    return call.answer({"webhook": call.view(sub)})


async def _admitted(call: Call, address: str) -> None:
    """The address must pass `--webhook-allow` (loopback by default) as on `/_sandbox/webhooks`:
    refused like an invalid address, with the sandbox's rule in the message, nothing stored."""
    refused = await allow_refusal(sandbox_of(call.request), address)
    if refused:
        raise errors.field_errors({"address": [inferred.WEBHOOK_TARGET_REFUSED.format(reason=refused)]}, call.version)


def _secret(call: Call) -> str | None:
    """The app's client secret signs its deliveries; a private app's token has none (minted)."""
    app = call.state.apps.get(call.token.client_id or "")
    return app[0].client_secret if app else None


async def count(request: Request) -> Response:
    call = _call(request, ("GET", "HEAD"))
    return call.answer({"count": len(_filtered(call))})


async def one(request: Request) -> Response:
    call = _call(request, ("GET", "HEAD", "PUT", "DELETE"))
    sub = call.find()
    if request.method == "DELETE":
        dispatcher(request).unsubscribe(sub.id)
        call.state.hook_times.pop(sub.id, None)
        return call.answer({})
    if request.method == "PUT":
        address, topic = _check(call, await _fields(call), partial=True)
        new_topic = topic or topic_of(sub)
        if topic is not None:
            _needs_scope(call, topic)
        _taken(call, address or sub.url, new_topic, but=sub.id)
        if address is not None:
            try:
                SubscriptionSpec.model_validate({"provider": "shoplazza", "tenant": sub.tenant, "url": address})
            except ValidationError:
                raise errors.field_errors({"address": ["is invalid"]}, call.version) from None
            await _admitted(call, address)
            sub.url = address
        if topic is not None:
            sub.events = [topic]
        times = call.times(sub)
        call.state.hook_times[sub.id] = HookTimes(times.created_at, call.state.ctx.now().replace(microsecond=0))
    return call.answer({"webhook": call.view(sub)})

