"""The webhook endpoint API: `GET/POST /stores/{storeId}/webhooks/`, `GET/PATCH/DELETE
/stores/{storeId}/webhooks/{webhookId}` (docs/providers/pandabase.md "Webhook endpoints").

An enabled endpoint IS a core subscription with the same id (`whk_…`): `/_sandbox/webhooks` lists
it, the core dispatcher delivers to it and `webhooks.sign` signs it per its `signatureVersion`.
Pandabase-only fields (note, version, dates) and disabled endpoints are held in the state. A
subscription made through `/_sandbox/webhooks` for a store shows here too, and one deleted there
is gone here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import orjson
from pydantic import AnyHttpUrl, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from ...access import sandbox_of
from ...generate import rng_for
from ...scenario import SubscriptionSpec
from ...webhook_routes import target_refused as allow_refusal  # the core's --webhook-allow check
from ...webhooks import MAX_SUBSCRIPTIONS, Dispatcher
from . import errors, inferred
from .generator import plain_id
from .models import SIGNATURE_VERSIONS, TokenRecord, WebhookEndpointRecord
from .params import (
    ENUM,
    as_boolean,
    as_string,
    idempotency_key,
    json_body,
    json_object,
    ok,
    own_store,
    pagination,
    query_int,
)
from .serialize import webhook_json
from .state import PandabaseState
from .webhooks import EVENT_TYPES
from .wire import Deleted

MAX_URL = 512
MAX_NOTE = 256
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")
DELETED = Deleted(deleted=True).model_dump_json().encode()


def _dispatcher(request: Request) -> Dispatcher:
    world = sandbox_of(request).world
    assert world is not None
    return world.webhooks


def _normal(url: str) -> str:
    try:
        return str(AnyHttpUrl(url))
    except ValidationError:
        return url


def endpoints(state: PandabaseState, dispatcher: Dispatcher, store_id: str, now: datetime) -> list[WebhookEndpointRecord]:
    """The store's endpoints, newest first, in step with the core subscriptions."""
    for sub in list(dispatcher.subscriptions.values()):
        if sub.provider != "pandabase" or sub.tenant != store_id:
            continue
        events = list(sub.events) or list(EVENT_TYPES)  # a control-plane subscription to every event
        hook = state.webhooks.get(sub.id)
        if hook is None:  # made through /_sandbox/webhooks: dated when first seen here
            hook = state.webhooks[sub.id] = WebhookEndpointRecord(
                sub.id, store_id, sub.url, events, sub.secret, None, True, inferred.DEFAULT_SIGNATURE_VERSION, now, now
            )
        elif _normal(hook.url) != sub.url or hook.events != events:  # changed through /_sandbox/webhooks
            hook.url, hook.events = (hook.url if _normal(hook.url) == sub.url else sub.url), events
        hook.secret = sub.secret
    for hook in [h for h in state.webhooks.values() if h.store_id == store_id]:
        if hook.enabled and hook.id not in dispatcher.subscriptions:  # deleted through /_sandbox/webhooks
            del state.webhooks[hook.id]
    mine = [h for h in state.webhooks.values() if h.store_id == store_id]
    return sorted(mine, key=lambda h: (h.created_at, h.id), reverse=True)


def _find(request: Request, state: PandabaseState, store_id: str) -> WebhookEndpointRecord:
    now = sandbox_of(request).now()
    wanted = request.path_params["webhookId"]
    for hook in endpoints(state, _dispatcher(request), store_id, now):
        if hook.id == wanted:
            return hook
    raise errors.webhook_not_found()


# -- body fields, in ajv's words -----------------------------------------------------------------


def _url(value: Any) -> str:
    """`format: uri`, at most 512 characters, `^https://`; http only for loopback (sandbox leniency)."""
    where = "body/url"
    url = as_string(where, value)
    if len(url) > MAX_URL:
        raise errors.invalid(where, f"must NOT have more than {MAX_URL} characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        raise errors.invalid(where, 'must match format "uri"') from None
    loopback_http = parts.scheme == "http" and inferred.LOOPBACK_HTTP_WEBHOOKS and host in LOOPBACK_HOSTS
    if not url.startswith("https://") and not loopback_http:
        raise errors.invalid(where, 'must match pattern "^https://"')
    if not parts.netloc or " " in url:
        raise errors.invalid(where, 'must match format "uri"')
    try:
        AnyHttpUrl(url)
    except ValidationError:
        raise errors.invalid(where, 'must match format "uri"') from None
    return url


def _event_types(value: Any) -> list[str]:
    """At least one of the 18 documented types; a repeat is kept once."""
    where = "body/eventTypes"
    if not isinstance(value, list):
        raise errors.invalid(where, "must be array")
    if not value:
        raise errors.invalid(where, "must NOT have fewer than 1 items")
    found: list[str] = []
    for n, item in enumerate(value):
        name = as_string(f"{where}/{n}", item)
        if name not in EVENT_TYPES:
            raise errors.invalid(f"{where}/{n}", ENUM)
        if name not in found:
            found.append(name)
    return found


def _note(value: Any, nullable: bool) -> str | None:
    if value is None and nullable:
        return None
    note = as_string("body/note", value)
    if len(note) > MAX_NOTE:
        raise errors.invalid("body/note", f"must NOT have more than {MAX_NOTE} characters")
    return note


def _version(value: Any) -> str:
    version = as_string("body/signatureVersion", value)
    if version not in SIGNATURE_VERSIONS:
        raise errors.invalid("body/signatureVersion", ENUM)
    return version


async def _admitted(request: Request, url: str) -> None:
    """The target must pass `--webhook-allow` (loopback by default), as on `/_sandbox/webhooks`:
    a sandbox-only 400 naming the rule, before anything is stored."""
    refused = await allow_refusal(sandbox_of(request), _normal(url))
    if refused:
        raise errors.PandabaseError(400, inferred.WEBHOOK_TARGET_REFUSED.format(reason=refused), refused)


# -- the five operations -------------------------------------------------------------------------


async def list_webhooks(request: Request, state: PandabaseState, token: TokenRecord) -> Response:
    page = query_int(request, "page", 1, None)
    limit = query_int(request, "limit", inferred.WEBHOOK_PAGE_SIZE, inferred.MAX_PAGE_SIZE)
    idempotency_key(request)
    store = own_store(request, state, token)
    hooks = endpoints(state, _dispatcher(request), store, sandbox_of(request).now())
    start = (page - 1) * limit
    chosen = hooks[start : start + limit] if start < len(hooks) else []
    body = (
        b'{"items":[' + b",".join(webhook_json(h) for h in chosen) + b'],"pagination":'
        + orjson.dumps(pagination(page, limit, len(hooks))) + b"}"
    )
    return ok(body)


async def create_webhook(request: Request, state: PandabaseState, token: TokenRecord) -> Response:
    """201 with the secret, the only time it is shown. The endpoint is subscribed at once."""
    body = json_object(await json_body(request, required=True))
    for name in ("url", "eventTypes"):
        if name not in body:
            raise errors.invalid("body", f"must have required property '{name}'")
    url, events = _url(body["url"]), _event_types(body["eventTypes"])
    note = _note(body["note"], nullable=False) if "note" in body else None
    version = _version(body["signatureVersion"]) if "signatureVersion" in body else inferred.DEFAULT_SIGNATURE_VERSION
    idempotency_key(request)
    store = own_store(request, state, token)
    now = sandbox_of(request).now()
    dispatcher = _dispatcher(request)
    if len(endpoints(state, dispatcher, store, now)) >= inferred.MAX_WEBHOOKS_PER_STORE:
        raise errors.bad_request(inferred.WEBHOOK_LIMIT.format(limit=inferred.MAX_WEBHOOKS_PER_STORE))
    if len(dispatcher.subscriptions) >= MAX_SUBSCRIPTIONS:  # the sandbox's own bound, across providers
        raise errors.bad_request(inferred.WEBHOOK_LIMIT.format(limit=MAX_SUBSCRIPTIONS))
    await _admitted(request, url)
    hook_id = plain_id(rng_for(state.ctx.seed, "pandabase-webhook", store, state.webhooks_made), "whk_")
    state.webhooks_made += 1
    sub = dispatcher.subscribe(
        SubscriptionSpec(provider="pandabase", tenant=store, url=AnyHttpUrl(url), events=events), subscription_id=hook_id
    )
    hook = state.webhooks[hook_id] = WebhookEndpointRecord(hook_id, store, url, events, sub.secret, note, True, version, now, now)
    return ok(webhook_json(hook, with_secret=True), 201)


async def get_webhook(request: Request, state: PandabaseState, token: TokenRecord) -> Response:
    idempotency_key(request)
    return ok(webhook_json(_find(request, state, own_store(request, state, token))))


async def update_webhook(request: Request, state: PandabaseState, token: TokenRecord) -> Response:
    """Any of url, eventTypes, note (null clears it), isEnabled, signatureVersion. Disabling
    unsubscribes (no deliveries); enabling subscribes again with the same id and secret."""
    body = json_object(await json_body(request, required=True))
    url = _url(body["url"]) if "url" in body else None
    events = _event_types(body["eventTypes"]) if "eventTypes" in body else None
    enabled = as_boolean("body/isEnabled", body["isEnabled"]) if "isEnabled" in body else None
    version = _version(body["signatureVersion"]) if "signatureVersion" in body else None
    note = _note(body["note"], nullable=True) if "note" in body else None
    idempotency_key(request)
    store = own_store(request, state, token)
    if not {"url", "eventTypes", "note", "isEnabled", "signatureVersion"} & set(body):
        raise errors.bad_request(inferred.NOTHING_TO_UPDATE)
    hook = _find(request, state, store)
    dispatcher = _dispatcher(request)
    if url is not None or (enabled and not hook.enabled):
        await _admitted(request, url or hook.url)
    if enabled and not hook.enabled and len(dispatcher.subscriptions) >= MAX_SUBSCRIPTIONS:
        raise errors.bad_request(inferred.WEBHOOK_LIMIT.format(limit=MAX_SUBSCRIPTIONS))
    hook.url = url if url is not None else hook.url
    hook.events = events if events is not None else hook.events
    hook.signature_version = version or hook.signature_version
    if "note" in body:
        hook.note = note
    if enabled is not None and enabled != hook.enabled:
        hook.enabled = enabled
        if enabled:
            spec = SubscriptionSpec(provider="pandabase", tenant=store, url=AnyHttpUrl(hook.url), events=hook.events,
                                    secret=hook.secret)
            dispatcher.subscribe(spec, subscription_id=hook.id)
        else:
            dispatcher.unsubscribe(hook.id)
    sub = dispatcher.subscriptions.get(hook.id)
    if sub is not None:
        sub.url, sub.events = _normal(hook.url), list(hook.events)
    hook.updated_at = sandbox_of(request).now()
    return ok(webhook_json(hook))


async def delete_webhook(request: Request, state: PandabaseState, token: TokenRecord) -> Response:
    idempotency_key(request)
    hook = _find(request, state, own_store(request, state, token))
    _dispatcher(request).unsubscribe(hook.id)
    del state.webhooks[hook.id]
    return ok(DELETED)

