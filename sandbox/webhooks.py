"""Webhook subscriptions and delivery, on the sandbox clock, in each provider's own format.

A domain event asks its provider for the webhook messages it sends (payload fixed at event time,
message id fixed for life). Each matching subscription gets a delivery: sent over HTTP in the
background (a slow or dead receiver never blocks the API), signed per attempt by the provider's
scheme. A failed attempt schedules the next one on the *sandbox* scheduler at the provider's retry
offsets, so advancing the clock drives retries. Signature timestamps are real wall-clock time, as
the receiver checks them against its own clock; payload times are sandbox times.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import orjson

from .events import Event
from .generate import random_id, rng_for
from .provider import Provider, WebhookMessage
from .scenario import SubscriptionSpec
from .timefmt import UTC, iso_millis

if TYPE_CHECKING:
    import httpx

DELIVERY_LOG_LIMIT = 2_000
MAX_CONCURRENT_SENDS = 16


@dataclass
class Subscription:
    id: str
    provider: str
    tenant: str
    url: str
    events: list[str]
    secret: str
    timeout: float  # real seconds; the subscription's, else the provider's default
    duplicate: bool = False
    out_of_order: bool = False
    api_version: str | None = None  # the provider API version payloads are pinned to (None: unpinned)

    def wants(self, event_type: str) -> bool:
        return not self.events or event_type in self.events

    def to_json(self, provider: Provider) -> dict[str, Any]:
        return {
            "id": self.id,
            "provider": self.provider,
            "tenant": self.tenant,
            "url": self.url,
            "events": self.events,
            "secret": self.secret,
            "duplicate": self.duplicate,
            "out_of_order": self.out_of_order,
            "timeout": self.timeout,
            "not_provider_feature": provider.webhook_opt_in,
            "api_version": self.api_version,
        }


@dataclass
class Attempt:
    id: int
    subscription_id: str
    message_id: str
    type: str
    attempt: int  # 1 for the first try, then retries; redeliveries count on
    due_at: datetime  # sandbox instant the attempt was due
    request: dict[str, Any]
    response: dict[str, Any] | None = None
    error: str | None = None
    duration_ms: float | None = None
    state: str = "pending"  # pending | succeeded | failed

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subscription_id": self.subscription_id,
            "message_id": self.message_id,
            "type": self.type,
            "attempt": self.attempt,
            "due_at": iso_millis(self.due_at),
            "state": self.state,
            "request": self.request,
            "response": self.response,
            "error": self.error,
            "duration_ms": self.duration_ms,
        }


@dataclass
class Outbox:
    """One message bound for one subscription, with its body serialised once."""

    subscription: Subscription
    message: WebhookMessage
    body: bytes


@dataclass
class Dispatcher:
    """Per world: subscriptions, the delivery log, and the queue the sender drains."""

    providers: dict[str, Provider]
    scheduler: Any
    states: dict[str, Any]
    now: Any  # the world's clock.now
    seed: int = 0
    wake: Any = None  # set by the sender: called when the queue gains work
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    log: deque[Attempt] = field(default_factory=lambda: deque(maxlen=DELIVERY_LOG_LIMIT))
    messages: dict[str, Outbox] = field(default_factory=dict)
    queue: list[tuple[Outbox, int, datetime]] = field(default_factory=list)
    _next_attempt: int = 1

    # -- subscriptions ------------------------------------------------------------------------
    def subscribe(self, spec: SubscriptionSpec) -> Subscription:
        provider = self.providers[spec.provider]
        rng = rng_for(self.seed, "webhook-subscription", len(self.subscriptions))
        secret = spec.secret or provider.webhook_new_secret(rng)
        sub = Subscription(
            id=random_id(rng, "sub_", 12),
            provider=spec.provider,
            tenant=spec.tenant,
            url=str(spec.url),
            events=list(spec.events),
            secret=secret,
            duplicate=spec.duplicate,
            out_of_order=spec.out_of_order,
            timeout=spec.timeout or provider.webhook_timeout,
            api_version=spec.api_version,
        )
        self.subscriptions[sub.id] = sub
        return sub

    # -- events in ----------------------------------------------------------------------------
    def on_event(self, event: Event) -> None:
        subs = [s for s in self.subscriptions.values() if s.provider == event.provider and s.tenant == event.tenant]
        if not subs:
            return
        provider = self.providers[event.provider]
        by_version: dict[str | None, list[Subscription]] = {}
        for sub in subs:  # payloads are built once per version pin, not once per subscription
            by_version.setdefault(sub.api_version, []).append(sub)
        for version, pinned in by_version.items():
            for message in provider.webhook_versioned_messages(self.states[event.provider], event, version):
                body = orjson.dumps(message.payload)
                for sub in pinned:
                    if sub.wants(message.type):
                        outbox = Outbox(sub, message, body)
                        self.messages[f"{sub.id}:{message.message_id}"] = outbox
                        self.enqueue(outbox, 1, event.at)

    def enqueue(self, outbox: Outbox, attempt: int, due_at: datetime) -> None:
        self.queue.append((outbox, attempt, due_at))
        if outbox.subscription.duplicate and attempt == 1:
            self.queue.append((outbox, attempt, due_at))
        if self.wake is not None:
            self.wake()

    def redeliver(self, attempt_id: int, now: datetime) -> Attempt | None:
        original = next((a for a in self.log if a.id == attempt_id), None)
        if original is None:
            return None
        outbox = self.messages.get(f"{original.subscription_id}:{original.message_id}")
        if outbox is None:
            return None
        latest = max(a.attempt for a in self.log if a.message_id == original.message_id)
        self.enqueue(outbox, latest + 1, now)
        return original

    # -- sending ------------------------------------------------------------------------------
    def take_batch(self) -> list[tuple[Outbox, int, datetime]]:
        batch, self.queue = self.queue, []
        in_order = [item for item in batch if not item[0].subscription.out_of_order]
        shuffled = [item for item in batch if item[0].subscription.out_of_order]
        return in_order + shuffled[::-1]

    async def send(self, client: httpx.AsyncClient, outbox: Outbox, attempt_no: int, due_at: datetime) -> None:
        sub, message = outbox.subscription, outbox.message
        provider = self.providers[sub.provider]
        signed_at = datetime.now(UTC)
        headers = {
            "content-type": "application/json",
            "user-agent": "dispute-sandbox-webhooks",
            **provider.webhook_headers(sub.secret, message, outbox.body, signed_at),
        }
        attempt = Attempt(
            id=self._next_attempt,
            subscription_id=sub.id,
            message_id=message.message_id,
            type=message.type,
            attempt=attempt_no,
            due_at=due_at,
            request={"url": sub.url, "headers": headers, "body": outbox.body.decode()},
        )
        self._next_attempt += 1
        self.log.append(attempt)
        started = time.perf_counter()
        import httpx  # already loaded by deliver_forever, which made `client`

        try:
            response = await client.post(sub.url, content=outbox.body, headers=headers, timeout=sub.timeout)
            attempt.response = {"status": response.status_code, "body": response.text[:2000]}
            ok = 200 <= response.status_code < 300
            attempt.error = None if ok else f"receiver answered {response.status_code}"
        except httpx.TimeoutException:
            ok, attempt.error = False, f"timed out after {sub.timeout}s"
        except httpx.HTTPError as exc:
            ok, attempt.error = False, f"{type(exc).__name__}: {exc}"
        attempt.duration_ms = round((time.perf_counter() - started) * 1000, 2)
        attempt.state = "succeeded" if ok else "failed"
        delays = provider.webhook_retry_delays
        if not ok and attempt_no <= len(delays):
            retry_at = due_at + delays[attempt_no - 1]
            self.scheduler.at(retry_at, lambda at: self.enqueue(outbox, attempt_no + 1, at))
            if retry_at <= self.now():  # the clock moved past it while we were sending
                self.scheduler.run_until(self.now())

    def pending(self) -> int:
        return len(self.queue) + sum(1 for a in self.log if a.state == "pending")


async def deliver_forever(current) -> None:
    """The background sender for the app's lifetime. `current()` is the live world's Dispatcher
    (it changes on reset and load). Never awaited by a request handler. httpx is imported and its
    client opened at the first delivery: most runs send none, and the import is a sixth of a start."""
    wake = asyncio.Event()
    limit = asyncio.Semaphore(MAX_CONCURRENT_SENDS)
    bound = None
    client = None
    try:
        while True:
            dispatcher = current()
            if dispatcher is not bound:
                dispatcher.wake, bound = wake.set, dispatcher
            if not dispatcher.queue:
                try:
                    await asyncio.wait_for(wake.wait(), timeout=0.5)  # also notices a new world
                except TimeoutError:
                    continue
                wake.clear()
            if client is None:
                import httpx

                client = httpx.AsyncClient()
            for outbox, attempt, due_at in dispatcher.take_batch():
                if outbox.subscription.out_of_order or outbox.subscription.duplicate:
                    await dispatcher.send(client, outbox, attempt, due_at)  # deliberate order
                    continue
                await limit.acquire()
                task = asyncio.create_task(dispatcher.send(client, outbox, attempt, due_at))
                task.add_done_callback(lambda _: limit.release())
    finally:
        if client is not None:
            await client.aclose()
