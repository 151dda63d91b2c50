"""`/_sandbox/webhooks`: subscriptions (with their signing secrets), deliveries, redelivery.

A target URL must pass `--webhook-allow` when it is subscribed (400 naming the rule) as well as
when each attempt is sent (see `sandbox/webhooks.py`).
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from pydantic import ValidationError
from starlette.requests import Request

from .access import sandbox_of
from .control import error, read_json, validation_problems
from .jsonresp import JSON
from .params import ascii_int
from .runtime import Sandbox
from .scenario import SubscriptionSpec, check_subscriptions
from .webhooks import MAX_SUBSCRIPTIONS, Refused, Subscription

LOOKUP_SECONDS = 5.0


def _sub_json(sandbox: Sandbox, sub: Subscription) -> dict[str, Any]:
    return sub.to_json(sandbox.by_key[sub.provider])


async def target_refused(sandbox: Sandbox, url: str) -> str | None:
    """Why `url` may not be a target (the rule it breaks), or None."""
    try:
        async with asyncio.timeout(LOOKUP_SECONDS):
            await sandbox.webhook_allow.resolve(url)
    except Refused as exc:
        return f"url: {exc}"
    except TimeoutError:
        return f"url: looking up its host took over {LOOKUP_SECONDS}s, so --webhook-allow cannot admit it"
    return None


async def list_subscriptions(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    subs = sandbox.world.webhooks.subscriptions.values()
    return JSON({"subscriptions": [_sub_json(sandbox, s) for s in subs]})


async def create_subscription(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    try:
        spec = _spec(await read_json(request))
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        return error(_short(exc))
    problems = check_subscriptions([spec], sandbox.by_key)
    if problems:
        return error("; ".join(p.message for p in problems))
    refused = await target_refused(sandbox, str(spec.url))
    if refused:
        return error(refused)
    if len(sandbox.world.webhooks.subscriptions) >= MAX_SUBSCRIPTIONS:
        return error(f"at most {MAX_SUBSCRIPTIONS} subscriptions at a time: delete one first")
    tenants = {t.id for t in sandbox.by_key[spec.provider].tenants(sandbox.state(spec.provider))}
    if spec.tenant not in tenants:
        return error(f"unknown {spec.provider} tenant {spec.tenant!r} (known: {', '.join(sorted(tenants))})")
    sub = sandbox.world.webhooks.subscribe(spec)
    return JSON(_sub_json(sandbox, sub), status_code=201)


def _spec(body: dict[str, Any]) -> SubscriptionSpec:
    """Strict, as JSON: `"duplicate": "yes"` or `"timeout": "2"` is a 400, not a guess."""
    return SubscriptionSpec.model_validate_json(orjson.dumps(body), strict=True)


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(validation_problems(exc))
    return str(exc)


def _find(request: Request) -> tuple[Sandbox, Subscription | None]:
    sandbox = sandbox_of(request)
    return sandbox, sandbox.world.webhooks.subscriptions.get(request.path_params["id"])


async def get_subscription(request: Request) -> JSON:
    sandbox, sub = _find(request)
    return JSON(_sub_json(sandbox, sub)) if sub else error("no such subscription", 404)


async def update_subscription(request: Request) -> JSON:
    """Toggle `duplicate` / `out_of_order`, change `url`, `events` or `timeout`."""
    sandbox, sub = _find(request)
    if sub is None:
        return error("no such subscription", 404)
    try:
        body = await read_json(request)
        current = {k: v for k, v in _sub_json(sandbox, sub).items() if k in SubscriptionSpec.model_fields}
        merged = _spec({**current, **body})
    except ValueError as exc:
        return error(_short(exc))
    problems = check_subscriptions([merged], sandbox.by_key)
    if problems or merged.provider != sub.provider or merged.tenant != sub.tenant:
        return error("; ".join(p.message for p in problems) or "provider and tenant cannot change")
    refused = await target_refused(sandbox, str(merged.url)) if str(merged.url) != sub.url else None
    if refused:
        return error(refused)
    if sandbox.world.webhooks.subscriptions.get(sub.id) is not sub:  # reset while looking the name up
        return error("no such subscription", 404)
    timeout = merged.timeout or sandbox.by_key[sub.provider].webhook_timeout  # null: the provider's
    events = list(merged.events) or list(sandbox.by_key[sub.provider].webhook_default_events)
    sub.url, sub.events, sub.timeout = str(merged.url), events, timeout
    sub.duplicate, sub.out_of_order, sub.secret = merged.duplicate, merged.out_of_order, merged.secret or sub.secret
    return JSON(_sub_json(sandbox, sub))


async def delete_subscription(request: Request) -> JSON:
    sandbox, sub = _find(request)
    if sub is None:
        return error("no such subscription", 404)
    sandbox.world.webhooks.unsubscribe(sub.id)
    return JSON({"deleted": sub.id})


async def deliveries(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    params = request.query_params
    found = [
        a.to_json()
        for a in sandbox.world.webhooks.log
        if params.get("subscription", a.subscription_id) == a.subscription_id
        and params.get("message_id", a.message_id) == a.message_id
        and params.get("type", a.type) == a.type
    ]
    return JSON({"deliveries": found, "queued": sandbox.world.webhooks.queued()})


async def redeliver(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    attempt_id = ascii_int(request.path_params["id"])
    if attempt_id is None:
        return error("delivery ids are integers", 404)
    original = sandbox.world.webhooks.redeliver(attempt_id, sandbox.now())
    if original is None:
        return error("no such delivery", 404)
    return JSON({"redelivering": original.message_id, "subscription_id": original.subscription_id}, status_code=202)
