"""Webhook subscriptions and delivery, on the sandbox clock, in each provider's own format.

A domain event asks its provider for the webhook messages it sends (payload fixed at event time,
message id fixed for life). Each matching subscription gets a delivery: sent over HTTP in the
background, signed per attempt by the provider's scheme. A failed attempt schedules the next one
on the *sandbox* scheduler at the provider's retry offsets, so advancing the clock drives retries.
Signature timestamps are real wall-clock time, as the receiver checks them against its own clock;
payload times are sandbox times.

Isolation and bounds, so that no receiver and no burst of events can hurt anything else:
- every subscription has its own queue and its own sender task: a slow, hanging or deliberately
  reordering (`out_of_order`, `duplicate`) receiver holds back only its own deliveries;
- an attempt has one total deadline (name lookup, connect, send and the reply together), so a
  receiver trickling a byte at a time fails at the timeout like a silent one;
- of a reply, at most `REPLY_EXCERPT` bytes are read and kept (the connection is then dropped);
- targets must be admitted by `--webhook-allow` (`WebhookAllow`): checked on the address the name
  resolves to, when subscribing and again when sending, and the request then goes to that very
  address (so a name cannot resolve elsewhere between check and send). A refused attempt is logged
  with the rule and never connects, so the log cannot echo an internal service's reply;
- a subscription holds at most `QUEUE_LIMIT` messages not yet settled (queued or waiting for a
  retry); messages beyond are counted in its `dropped`, not kept. The log keeps the last
  `DELIVERY_LOG_LIMIT` attempts; nothing else is kept per message.
A world's dispatcher is closed when the world is replaced (reset, load): its queues are emptied and
its sends cancelled, so no delivery of an old world reaches a receiver after the swap.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import logging
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import orjson

from .drills import Drills
from .events import Event
from .faults import Faults
from .generate import random_id, rng_for
from .provider import Provider, WebhookMessage
from .scenario import SubscriptionSpec
from .scheduler import Scheduler
from .timefmt import iso_millis

if TYPE_CHECKING:
    import httpx

DELIVERY_LOG_LIMIT = 2_000
QUEUE_LIMIT = 10_000  # messages per subscription not yet settled; beyond, counted as dropped
MAX_SUBSCRIPTIONS = 256  # per world; each may hold one connection open
REPLY_EXCERPT = 1_024  # bytes of a receiver's reply read and shown in the log
DEFAULT_ALLOW = "127.0.0.0/8,::1/128"  # loopback only (README.md, "Receive webhooks")

attempt_logger = logging.getLogger("sandbox.webhooks")  # one INFO line per delivery attempt

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """A webhook target that `--webhook-allow` does not admit; the message names the rule."""


@dataclass(frozen=True)
class Pinned:
    """Where one attempt really goes: `url` with the checked address in place of the name, and the
    `Host` header and TLS server name that keep the receiver seeing the name."""

    url: str
    host_header: str | None = None
    sni: str | None = None


@dataclass(frozen=True)
class WebhookAllow:
    """The targets webhooks may reach (`--webhook-allow`, `SANDBOX_WEBHOOK_ALLOW`): a comma list
    of IP networks (`10.0.0.0/8`, `192.168.1.7`), host names (`receiver`, or `.test` for a domain
    and every name under it) or `*` (any target). Default: loopback only. A host name rule trusts
    the name as given; any other target must resolve only to addresses inside the network rules."""

    text: str = DEFAULT_ALLOW
    networks: tuple[Network, ...] = ()
    hosts: tuple[str, ...] = ()
    anything: bool = False

    @classmethod
    def parse(cls, text: str | None) -> WebhookAllow:
        """Raises ValueError naming the rule it cannot read."""
        text = (text or "").strip() or DEFAULT_ALLOW
        networks: list[Network] = []
        hosts: list[str] = []
        anything = False
        for rule in (r.strip() for r in text.split(",")):
            if not rule:
                continue
            if rule == "*":
                anything = True
                continue
            try:
                networks.append(ipaddress.ip_network(rule.replace("[", "").replace("]", ""), strict=False))
                continue
            except ValueError:
                pass
            name = rule.lower()
            bare = name.removeprefix(".")
            if not bare or not all(c.isalnum() or c in "-_." for c in bare) or ".." in bare:
                raise ValueError(f"--webhook-allow: {rule!r} is neither a host name nor an IP network")
            hosts.append(name)
        return cls(", ".join(r.strip() for r in text.split(",") if r.strip()), tuple(networks), tuple(hosts), anything)

    def __str__(self) -> str:
        return self.text

    def _names(self, host: str) -> bool:
        return any(host == rule or (rule.startswith(".") and host.endswith(rule)) for rule in self.hosts)

    def _inside(self, address: Address) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address in network for network in self.networks)

    async def resolve(self, url: str) -> Pinned:
        """Where `url` may be sent, or Refused. Looks the name up without blocking the loop."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if self.anything or self._names(host):
            return Pinned(url)
        try:
            literal: Address | None = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            addresses = [literal]
        else:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            try:
                found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (OSError, UnicodeError) as exc:
                raise Refused(f"{host} does not resolve ({exc}), so --webhook-allow ({self}) cannot admit it") from None
            addresses = list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found))
        outside = [a for a in addresses if not self._inside(a)]
        if outside or not addresses:
            where = f"{host} resolves to {outside[0]}" if literal is None and outside else f"{host} is"
            raise Refused(f"{where} outside --webhook-allow ({self})")
        if literal is not None:
            return Pinned(url)
        address = addresses[0]
        shown = f"[{address}]" if address.version == 6 else str(address)
        netloc = shown + (f":{parts.port}" if parts.port else "")
        pinned = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
        return Pinned(pinned, host_header=parts.netloc.rsplit("@", 1)[-1], sni=host)


@dataclass
class Subscription:
    """One receiver of a tenant's webhooks (scenario `webhooks:` or `POST /_sandbox/webhooks`), with its
    own queue and sender task."""

    id: str
    provider: str
    tenant: str
    url: str
    events: list[str]
    secret: str
    timeout: float  # real seconds; the subscription's, else the provider's default
    duplicate: bool = False
    out_of_order: bool = False
    unsettled: int = 0  # messages queued or waiting for a retry (bounded by QUEUE_LIMIT)
    dropped: int = 0  # messages not kept because `unsettled` was at QUEUE_LIMIT
    version: str | None = None  # the provider's payload version pin, if any

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
            "version": self.version,
            "not_provider_feature": provider.webhook_opt_in,
            "unsettled": self.unsettled,
            "dropped": self.dropped,
        }


@dataclass
class Outbox:
    """One message bound for one subscription, with its body serialised once."""

    subscription: Subscription
    message: WebhookMessage
    body: bytes
    sent: int = 0  # attempts made so far for this subscription and message


@dataclass
class Attempt:
    """One send of a message to a subscription, as the delivery log (`/_sandbox/webhooks/deliveries`)
    shows it; a redelivery sends its outbox again."""

    id: int
    subscription_id: str
    message_id: str
    type: str
    attempt: int  # the nth send of this message to this subscription (retries, redeliveries count on)
    due_at: datetime  # sandbox instant the attempt was due
    url: str
    headers: dict[str, str]
    outbox: Outbox  # for redelivery; its body is the request body shown
    response: dict[str, Any] | None = None
    error: str | None = None
    duration_ms: float | None = None
    state: str = "pending"  # pending | succeeded | failed | refused | cancelled | dropped
    fault: str | None = None  # the forced fault (/_sandbox/faults) this attempt took, if any

    def to_json(self) -> dict[str, Any]:
        sent = self.state not in ("refused", "dropped")
        shown = {"fault": self.fault} if self.fault else {}
        return {
            "id": self.id,
            "subscription_id": self.subscription_id,
            "message_id": self.message_id,
            "type": self.type,
            "attempt": self.attempt,
            "due_at": iso_millis(self.due_at),
            "state": self.state,
            "request": {
                "url": self.url,
                "headers": self.headers if sent else {},
                "body": self.outbox.body.decode() if sent else None,
            },
            "response": self.response,
            "error": self.error,
            "duration_ms": self.duration_ms,
            **shown,
        }


@dataclass(frozen=True)
class Pending:
    """A queued send: `chain` counts tries in its retry chain (1 first); a redelivery retries not."""

    outbox: Outbox
    chain: int
    due_at: datetime
    retries: bool = True
    marks: tuple[tuple[str, str], ...] = ()  # headers a drill or fault adds (`x-sandbox-drill`)


class Sender:
    """What delivery needs for the app's lifetime: its event loop, the target rule and one HTTP
    client (opened at the first send: most runs send none, and importing httpx is a sixth of a
    start). Proxies from the environment are ignored: a target is reached directly or not at all."""

    def __init__(self, allow: WebhookAllow) -> None:
        self.allow = allow
        self.loop = asyncio.get_running_loop()
        self._client: httpx.AsyncClient | None = None

    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            import httpx

            limits = httpx.Limits(max_connections=None, max_keepalive_connections=MAX_SUBSCRIPTIONS)
            self._client = httpx.AsyncClient(limits=limits, trust_env=False)
        return self._client

    def call(self, fn: Callable[[], object]) -> None:
        """Run `fn` on the sender's loop: now when already there, else soon (from another thread)."""
        try:
            here = asyncio.get_running_loop() is self.loop
        except RuntimeError:
            here = False
        if here:
            fn()
        elif not self.loop.is_closed():
            self.loop.call_soon_threadsafe(fn)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()


@dataclass
class Dispatcher:
    """Per world: subscriptions, their queues and sender tasks, and the delivery log."""

    providers: dict[str, Provider]
    scheduler: Scheduler
    states: dict[str, Any]
    now: Callable[[], datetime]  # the world's clock.now
    seed: int = 0
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    log: deque[Attempt] = field(default_factory=lambda: deque(maxlen=DELIVERY_LOG_LIMIT))
    queues: dict[str, deque[Pending]] = field(default_factory=dict)
    sender: Sender | None = None
    closed: bool = False
    faults: Faults | None = None  # the sandbox's, for `"target": "webhooks"` faults
    drills: Drills | None = None  # the sandbox's, for webhook drills
    _workers: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    _next_attempt: int = 1
    _minted: int = 0  # subscriptions made so far (ids stay unique after an unsubscribe)
    _audiences: dict[tuple[str, str], list[tuple[str | None, list[Subscription]]]] = field(default_factory=dict)

    # -- subscriptions ------------------------------------------------------------------------
    def subscribe(self, spec: SubscriptionSpec, subscription_id: str | None = None) -> Subscription:
        """A new subscription; `subscription_id` lets a provider's own webhook API choose the id
        (Pandabase's `whk_…`), so its API and `/_sandbox/webhooks` show one object."""
        provider = self.providers[spec.provider]
        rng = rng_for(self.seed, "webhook-subscription", self._minted)
        self._minted += 1
        secret = spec.secret or provider.webhook_new_secret(rng)
        made_id = random_id(rng, "sub_", 12)
        sub = Subscription(
            id=subscription_id or made_id,
            provider=spec.provider,
            tenant=spec.tenant,
            url=str(spec.url),
            events=list(spec.events) or list(provider.webhook_default_events),
            secret=secret,
            duplicate=spec.duplicate,
            out_of_order=spec.out_of_order,
            timeout=spec.timeout or provider.webhook_timeout,
            version=spec.version,
        )
        self.subscriptions[sub.id] = sub
        self._audiences.clear()
        return sub

    def unsubscribe(self, subscription_id: str) -> bool:
        """Remove a subscription with its queue; a send in flight to it is cancelled."""
        if self.subscriptions.pop(subscription_id, None) is None:
            return False
        self._audiences.clear()
        self.queues.pop(subscription_id, None)
        worker = self._workers.pop(subscription_id, None)
        if worker is not None and self.sender is not None:
            self.sender.call(worker.cancel)
        return True

    # -- events in ----------------------------------------------------------------------------
    def _audience(self, provider: str, tenant: str) -> list[tuple[str | None, list[Subscription]]]:
        """A tenant's subscriptions grouped by version pin (one payload each), in subscription
        order; kept until a subscription comes or goes, as a clock move asks once per event."""
        found = self._audiences.get((provider, tenant))
        if found is None:
            subs = [s for s in self.subscriptions.values() if s.provider == provider and s.tenant == tenant]
            found = [(v, [s for s in subs if s.version == v]) for v in dict.fromkeys(s.version for s in subs)]
            if len(self._audiences) >= MAX_SUBSCRIPTIONS:  # keyed on events' tenants: bounded
                self._audiences.clear()
            self._audiences[(provider, tenant)] = found
        return found

    def on_event(self, event: Event) -> None:
        """A clock move calls this for every event it makes, most of them once every queue is
        full: that path reads the audience, counts the drops and builds nothing."""
        if self.closed:
            return
        audience = self._audiences.get((event.provider, event.tenant))  # `_audience`'s memo, read first
        if audience is None:
            audience = self._audience(event.provider, event.tenant)
        if not audience:
            return
        provider = self.providers[event.provider]
        state = self.states[event.provider]
        drilling = self.drills is not None and self.drills.pending
        for version, pinned in audience:  # one payload per version pin
            if not drilling and _all_full(pinned):
                types = provider.webhook_message_types(state, event, version)
                if types is not None:  # every one would be dropped: count them, build nothing
                    for kind in types:
                        for sub in pinned:
                            if sub.wants(kind):
                                sub.dropped += 1
                    continue
            self._offer(provider.webhook_messages_for(state, event, version), pinned, event)

    def _offer(self, messages: list[WebhookMessage], subs: list[Subscription], event: Event) -> None:
        """Each message to each of `subs` that wants its type."""
        for message in messages:
            body = orjson.dumps(message.payload)
            for sub in subs:
                if sub.wants(message.type):
                    outbox = Outbox(sub, message, body)
                    self._accept(Pending(outbox, 1, event.at))
                    if self.drills is not None and self.drills.pending:
                        self._drill(outbox, event.at)

    def _drill(self, outbox: Outbox, at: datetime) -> None:
        """The extra deliveries a webhook drill adds (sandbox/drills.py), flagged by a header."""
        assert self.drills is not None
        sub = outbox.subscription
        for kind, message in self.drills.webhook(self.providers[sub.provider], sub.tenant, sub.url, outbox.message):
            extra = outbox if message is outbox.message else Outbox(sub, message, orjson.dumps(message.payload))
            self._accept(Pending(extra, 1, at, marks=(("x-sandbox-drill", kind),)))

    def _accept(self, pending: Pending) -> None:
        """A new message (or a redelivery) for its subscription, unless that one is full."""
        copies = 2 if pending.outbox.subscription.duplicate and pending.retries else 1
        sub = pending.outbox.subscription
        if sub.unsettled + copies > QUEUE_LIMIT:
            sub.dropped += 1
            return
        sub.unsettled += copies
        for _ in range(copies):
            self._queue(pending)

    def _queue(self, pending: Pending) -> None:
        sub_id = pending.outbox.subscription.id
        if self.closed or sub_id not in self.subscriptions:
            return
        self.queues.setdefault(sub_id, deque()).append(pending)
        if self.sender is not None:
            self.sender.call(functools.partial(self._start, sub_id))

    def redeliver(self, attempt_id: int, now: datetime) -> Attempt | None:
        """Send an attempt's message again, with its message id, as one more attempt (no retries)."""
        original = next((a for a in self.log if a.id == attempt_id), None)
        if original is None or original.subscription_id not in self.subscriptions:
            return None
        self._accept(Pending(original.outbox, 1, now, retries=False))
        return original

    # -- sending ------------------------------------------------------------------------------
    def start(self, sender: Sender) -> None:
        """Deliver from now on through `sender` (the app's lifespan calls this on every world)."""
        self.sender = sender
        for sub_id in list(self.queues):
            sender.call(functools.partial(self._start, sub_id))

    def close(self) -> None:
        """This world is gone: nothing more is queued or sent, and sends in flight are cancelled."""
        self.closed = True
        self.queues.clear()
        self.detach()

    def detach(self) -> None:
        """The app stops (its lifespan ends): sends in flight are cancelled, queues wait for the
        next `start` (the same sandbox may be served again)."""
        sender, self.sender = self.sender, None
        workers, self._workers = list(self._workers.values()), {}
        if sender is not None:
            for worker in workers:
                sender.call(worker.cancel)

    def queued(self) -> int:
        return sum(len(q) for q in self.queues.values())

    def _start(self, sub_id: str) -> None:
        sender = self.sender
        if self.closed or sender is None or sub_id in self._workers or not self.queues.get(sub_id):
            return
        self._workers[sub_id] = sender.loop.create_task(self._drain(sub_id, sender))

    async def _drain(self, sub_id: str, sender: Sender) -> None:
        """One subscription's sender: its queue in order, one attempt at a time; an `out_of_order`
        subscription takes everything queued at once and sends it newest first."""
        queue = self.queues.get(sub_id)
        try:
            while queue and not self.closed:
                sub = self.subscriptions.get(sub_id)
                if sub is None:
                    return
                batch: Iterable[Pending] = [queue.popleft()] if not sub.out_of_order else _newest_first(queue)
                for pending in batch:
                    if self.closed or self.sender is not sender or sub_id not in self.subscriptions:
                        return
                    await self._send(pending, sender)
        finally:
            if self._workers.get(sub_id) is asyncio.current_task():
                del self._workers[sub_id]
            if queue is not None and not queue and self.queues.get(sub_id) is queue:
                del self.queues[sub_id]

    async def _send(self, pending: Pending, sender: Sender) -> None:
        outbox = pending.outbox
        sub, message = outbox.subscription, outbox.message
        provider = self.providers[sub.provider]
        fault = None
        if self.faults is not None and self.faults.pending:
            fault = self.faults.take(sub.provider, sub.url, lambda: sub.tenant, target="webhooks")
        wait = fault.delay() if fault is not None and fault.kind == "latency" else 0.0
        if wait:
            await asyncio.sleep(wait)
        headers = {
            "content-type": "application/json",
            "user-agent": "dispute-sandbox-webhooks",
            "accept-encoding": "identity",  # the excerpt is read raw: no decompression bomb
            **provider.webhook_sign(self.states[sub.provider], sub, message, outbox.body, datetime.now(UTC)),
            **dict(pending.marks),
        }
        outbox.sent += 1
        attempt = Attempt(self._next_attempt, sub.id, message.message_id, message.type, outbox.sent,
                          pending.due_at, sub.url, headers, outbox)
        self._next_attempt += 1
        self.log.append(attempt)
        if fault is not None:
            attempt.fault = f"{fault.kind} {round(wait * 1000)} ms" if fault.kind == "latency" else fault.kind
            if fault.kind in ("drop", "status"):
                self._faulted(pending, attempt, (fault.status or 503) if fault.kind == "status" else 0)
                return
            if fault.kind == "duplicate":  # sent now, and once more with the same message id
                self._accept(Pending(outbox, 1, pending.due_at, retries=False, marks=(("x-sandbox-fault", "duplicate"),)))
        started = time.perf_counter()
        import httpx  # loaded by sender.client() at the latest

        ok = False
        try:
            async with asyncio.timeout(sub.timeout):
                target = await sender.allow.resolve(sub.url)
                sent_headers = {**headers, "host": target.host_header} if target.host_header else headers
                extensions = {"sni_hostname": target.sni} if target.sni else None
                request = sender.client().build_request(
                    "POST", target.url, content=outbox.body, headers=sent_headers, extensions=extensions
                )
                response = await sender.client().send(request, stream=True)
                try:
                    excerpt = b""
                    async for chunk in response.aiter_raw():
                        excerpt += chunk[: REPLY_EXCERPT - len(excerpt)]
                        if len(excerpt) >= REPLY_EXCERPT:
                            break
                finally:
                    await response.aclose()
            attempt.response = {"status": response.status_code, "body": excerpt.decode("utf-8", "replace")}
            ok = 200 <= response.status_code < 300
            attempt.error = None if ok else f"receiver answered {response.status_code}"
        except Refused as exc:
            attempt.state, attempt.error = "refused", str(exc)
        except (TimeoutError, httpx.TimeoutException):
            attempt.error = f"timed out after {sub.timeout}s"
        except httpx.HTTPError as exc:
            attempt.error = f"{type(exc).__name__}: {exc}"
        except asyncio.CancelledError:
            attempt.state, attempt.error = "cancelled", "cancelled: the subscription or its world is gone"
            raise
        finally:
            attempt.duration_ms = round((time.perf_counter() - started) * 1000, 2)
        if attempt.state == "pending":
            attempt.state = "succeeded" if ok else "failed"
        attempt_logger.info("webhook %s %s attempt %d to %s: %s%s (%.1f ms)", sub.provider, message.type,
                            attempt.attempt, sub.url, attempt.state,
                            f", {attempt.error}" if attempt.error else "", attempt.duration_ms or 0)
        self._settle(pending, retry=attempt.state == "failed")

    def _faulted(self, pending: Pending, attempt: Attempt, status: int) -> None:
        """An attempt a fault stops before it is sent: dropped (never retried), or failed as if
        the receiver had answered `status` (the provider's retry schedule runs)."""
        attempt.duration_ms = 0.0
        if status:
            attempt.state, attempt.error = "failed", f"forced fault: receiver answered {status} (not sent)"
            attempt.response = {"status": status, "body": ""}
        else:
            attempt.state, attempt.error = "dropped", "forced fault: dropped, never sent and not retried"
        attempt_logger.info("webhook %s %s attempt %d to %s: %s, %s", pending.outbox.subscription.provider,
                            attempt.type, attempt.attempt, attempt.url, attempt.state, attempt.error)
        self._settle(pending, retry=bool(status))

    def _settle(self, pending: Pending, retry: bool) -> None:
        """After an attempt: schedule the provider's next retry, or the message is settled."""
        outbox, chain = pending.outbox, pending.chain
        delays = self.providers[outbox.subscription.provider].webhook_retry_delays
        if not (retry and pending.retries and chain <= len(delays)) or self.closed:
            outbox.subscription.unsettled -= 1
            return
        retry_at = pending.due_at + delays[chain - 1]
        following = Pending(outbox, chain + 1, retry_at, marks=pending.marks)
        if retry_at <= self.now():  # the clock moved past it while we were sending
            self._queue(following)
        else:
            self.scheduler.at(retry_at, lambda _at: self._queue(following))


def _all_full(subs: list[Subscription]) -> bool:
    """No subscription of `subs` has room for one more message (`Dispatcher._accept`)."""
    for s in subs:  # a plain loop: cheaper than any() over a generator, per event of a move
        if s.unsettled + (2 if s.duplicate else 1) <= QUEUE_LIMIT:
            return False
    return True


def _newest_first(queue: deque[Pending]) -> list[Pending]:
    batch = list(queue)[::-1]
    queue.clear()
    return batch
