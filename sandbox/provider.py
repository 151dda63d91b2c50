"""What a provider folder gives the core. The core only ever talks to providers through this.

A provider is one object (`sandbox/providers/<name>/__init__.py: provider`) with:
- `key`, `prefix` (path-mode mount, e.g. `/whop`), `host_patterns` (host mode), optionally
  `root_paths`: documented paths also served from the sandbox root in path mode (Riverty's
  relative attachment URL `/Complaints/…`), so a relative link in an answer resolves;
- `probe_path`, `probe_host`: its main list call and real host, for the contract tests;
- `Section`: the pydantic model of its part of a scenario, and `check(section)` for semantics;
  `record_count(section)` (optional) says where and how many records a section generates, checked
  against `--max-records` before the build (default: every `count` field);
- `build(section, ctx)`: a fresh state object (its backend) from a validated section;
- `routes`: Starlette routes relative to `prefix`, handlers find their state with
  `sandbox_of(request).state(key)`;
- `control_routes`: extra `/_sandbox/<key>/...` routes (forced outcomes, customer simulation);
- `tenants(state)`: the `/_sandbox/scenario` listing with credentials;
- `fault_response(status, retry_after)`: its own error body for a forced fault;
- `unknown_path(request)`: the error (a `ProviderError`) its API gives a path it does not serve;
  the core mounts the catch-all route after the provider's own routes and raises it;
- optionally `method_not_allowed(request, allowed)`: the answer to a method its routes do not
  serve on a path they do (default: a 405 in its `fault_response` shape with `Allow`);
- optionally `webhook_types`, `webhook_messages(state, event)`, `webhook_headers(...)` and
  `webhook_retry_delays`: its webhooks, which the core delivers on the sandbox clock;
- `openapi_documents()`: name → builder of an OpenAPI document of what it serves, built with
  `sandbox.openapi.Document` from its wire models (served at `/_sandbox/openapi/{name}.json`);
- optionally `drill_targets`: a `DrillTargets` saying, as data, where in its JSON answers and
  webhook payloads forward-compatibility drills (`/_sandbox/drills`, `sandbox/drills.py`) act;
- optionally `dashboard_path`: where its `Dashboard` is (`"package.module:NAME"`, imported when
  the dashboard (`sandbox/ui`) first asks): record rows, status counts, one record with its
  controls, and pending deadlines, read from the provider's state.

A provider folder binds its own modules' functions to these names (`build = staticmethod(State)`,
`fault_response = staticmethod(errors.fault_response)`, …): the methods below are the defaults.
A part no first request needs is declared by name and imported on first use (`sandbox/lazy.py`:
control routes' endpoints, the dashboard), so that start-up loads only what serving needs.
"""

from __future__ import annotations

import base64
import functools
import logging
import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from .errors import ProviderError
from .events import Event, EventLog
from .generate import FakePools, fake_pools
from .lazy import resolve
from .scenario import Loc, Problem, count_fields
from .scheduler import Scheduler
from .timefmt import resolve_time

logger = logging.getLogger("sandbox.timeline")


@dataclass
class BuildContext:
    """Everything a provider needs to build its state, and to act later on the clock."""

    seed: int
    start: datetime
    scheduler: Scheduler
    events: EventLog
    now: Callable[[], datetime]
    pools: FakePools = field(init=False)
    provider_key: str = ""

    def __post_init__(self) -> None:
        self.pools = fake_pools()

    def time(self, value: str | datetime) -> datetime:
        """Resolve a scenario time (`-3d`, `+1h`, ISO) against the clock start."""
        return resolve_time(value, self.start)

    def emit(self, type: str, object_id: str, tenant: str, at: datetime, **data: Any) -> None:
        self.events.emit(self.provider_key, type, object_id, tenant, at, **data)

    def timeline_refused(self, object_id: str, tenant: str, at: datetime, action: str, reason: str) -> None:
        """A scenario timeline action the record refused when it fell due: a visible event
        (`sandbox.timeline_refused`) and a log line, never a silent drop."""
        logger.warning("%s timeline %s on %s refused at %s: %s", self.provider_key, action, object_id,
                       at.isoformat(), reason)
        self.emit("sandbox.timeline_refused", object_id, tenant, at, action=action, reason=reason)


@dataclass(frozen=True)
class WebhookMessage:
    """One webhook a domain event produces. `message_id` stays the same across retries and
    redeliveries (receivers dedupe on it); `payload` is serialised once, then signed per attempt."""

    type: str
    message_id: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Credential:
    """One way to authenticate as a tenant: the header a client sends, as `/_sandbox/scenario` lists it."""

    header: str
    value: str
    scopes: Sequence[str] = ()

    def to_json(self) -> dict[str, Any]:
        return {"header": self.header, "value": self.value, "scopes": list(self.scopes)}


@dataclass(frozen=True)
class Tenant:
    """One account of a provider's scenario (a company, a shop, a store), for the `/_sandbox/scenario`
    listing."""

    id: str
    credentials: Sequence[Credential]
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, **self.extra, "credentials": [c.to_json() for c in self.credentials]}


@dataclass(frozen=True)
class RecordRow:
    """One record as the dashboard lists it: display values only."""

    id: str
    tenant: str
    status: str
    amount: str = ""
    due: datetime | None = None  # the deadline its current status runs, if any
    created: datetime | None = None


@dataclass(frozen=True)
class RecordPage:
    """One page of dashboard rows, from `Dashboard.records` or `Dashboard.pending_deadlines`."""

    rows: list[RecordRow]
    total: int  # matching records across all pages
    partial: bool = False  # True when a bound on the work done left matches out


@dataclass(frozen=True)
class RecordControl:
    """A button on the record page: POST `body` (JSON) to `path` (a `/_sandbox/...` control)."""

    label: str
    path: str
    body: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordDetail:
    """One record as the dashboard's record page shows it (`Dashboard.record`)."""

    row: RecordRow
    document: Any  # the record as the provider's API shows it (its history included), JSON-able
    controls: list[RecordControl]


class Dashboard:
    """Read-only views of a provider's records for the dashboard; the default shows none.
    Reads must stay bounded (paged, capped) so the page is usable at 200k records a tenant."""

    statuses: Sequence[str] = ()  # every status label the records can have, in display order

    def records(self, state: Any, tenant: str, query: str, status: str, offset: int, limit: int) -> RecordPage:
        return RecordPage([], 0)

    def status_counts(self, state: Any, tenant: str) -> dict[str, int]:
        return {}

    def record(self, state: Any, record_id: str) -> RecordDetail | None:
        return None

    def pending_deadlines(self, state: Any, until: datetime, limit: int) -> RecordPage:
        """Deadlines at or before `until`, nearest first, at most `limit`."""
        return RecordPage([], 0)


@dataclass(frozen=True)
class DrillFamily:
    """One family of a provider's JSON answers, for `sandbox/drills.py`. `path`: a regex searched
    in the request path. `records`: where its record objects sit, tried in order until one is
    there: dotted keys, `[]` for every item of a list (`data[]`, `edges[].node`, `data.items[]`,
    `[]` for a top-level array, `""` for the body itself). `enums`: documented-enum fields of a
    record (dotted) → a value outside the documented set. `optional`: optional fields of a record.
    `page_size`: for cursor paging, the page-size query parameter and its default; a short page
    then asks the provider for fewer (its own cursors stay right); without it the list's tail is
    cut and the page-number paging fields stay as they were."""

    path: str
    records: Sequence[str]
    enums: Mapping[str, Any] = field(default_factory=dict)
    optional: Sequence[str] = ()
    page_size: tuple[str, int] | None = None


@dataclass(frozen=True)
class DrillTargets:
    """Where drills act in a provider's answers; the default declares none (every drill kind
    but `reorder_keys` and `duplicate_webhook` is then refused for it). `webhook_ids`: where a
    webhook payload names its record (dotted), for `unknown_record_webhook`."""

    families: Sequence[DrillFamily] = ()
    webhook_ids: Sequence[str] = ()


REQUIRED_ATTRIBUTES = ("key", "title", "prefix", "base_path", "Section", "routes", "probe_path", "probe_host")
REQUIRED_METHODS = ("build", "tenants", "fault_response", "unknown_path")


class ProviderContractError(TypeError):
    """A provider class lacks a part the core needs; raised when its module is imported."""


class Provider:
    """Base class: subclasses set the class attributes and override the methods."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Refuse, at import, a provider that lacks a required part, naming each missing one."""
        super().__init_subclass__(**kwargs)
        missing = [name for name in REQUIRED_ATTRIBUTES if not hasattr(cls, name)]
        missing += [name for name in REQUIRED_METHODS if getattr(cls, name, None) is getattr(Provider, name)]
        if missing:
            raise ProviderContractError(f"provider {cls.__name__} lacks {', '.join(missing)}")

    key: ClassVar[str]
    title: ClassVar[str]
    prefix: ClassVar[str]  # path-mode mount; host mode maps the real host onto it
    base_path: ClassVar[str]  # what a client uses as base URL, relative to the sandbox root
    host_patterns: ClassVar[Sequence[str]] = ()  # regexes on the Host header (no port)
    root_paths: ClassVar[Sequence[str]] = ()  # path prefixes served at the sandbox root too
    Section: ClassVar[type[BaseModel]]
    # The provider's main read-only list call, relative to the sandbox root, and its real host name;
    # `{tenant}` and the tenant's extra fields (`{domain}`, …) are filled from `tenants(state)`.
    # Contract tests (tests/test_provider_contract.py) and the bench use them.
    probe_path: ClassVar[str]
    probe_host: ClassVar[str]

    def check(self, section: Any) -> list[Problem]:
        return []

    def record_count(self, section: Any) -> Iterable[tuple[Loc, int]]:
        """(path in the section, records) for each generated batch; override where a provider's
        generation is not spelled `count`."""
        return count_fields(section)

    def build(self, section: Any, ctx: BuildContext) -> Any:
        raise NotImplementedError

    routes: ClassVar[Sequence[BaseRoute]]
    # request headers (lower-case) a stored read answer depends on besides path, query and Host:
    # the credential, version headers (sandbox/answers.py); empty: the provider stores none
    answer_headers: ClassVar[tuple[bytes, ...]] = ()
    control_routes: ClassVar[Sequence[BaseRoute]] = ()

    def tenants(self, state: Any) -> list[Tenant]:
        return []

    # -- webhooks (optional): the core dispatcher delivers, retries and journals ----------------
    webhook_types: ClassVar[Sequence[str]] = ()  # subscribable event names, the provider's own
    # what a subscription listing no events gets (empty: every type); a provider whose types hold
    # alternatives (OrderProtection's two payload dialects) names its default set here
    webhook_default_events: ClassVar[Sequence[str]] = ()
    webhook_retry_delays: ClassVar[Sequence[timedelta]] = ()  # after a failed attempt, in order
    webhook_opt_in: ClassVar[bool] = False  # True: not the provider's own feature, flagged as such
    webhook_timeout: ClassVar[float] = 5.0  # real seconds a receiver gets before the attempt fails
    dashboard_path: ClassVar[str] = ""  # "package.module:NAME" of its Dashboard (optional)
    drill_targets: ClassVar[DrillTargets] = DrillTargets()  # where drills act (optional)

    def webhook_messages(self, state: Any, event: Event) -> list[WebhookMessage]:
        """The webhooks (zero or more) that a domain event sends, payloads in the provider's shape."""
        return []

    def webhook_messages_for(self, state: Any, event: Event, version: str | None) -> list[WebhookMessage]:
        """The messages for subscriptions pinned to payload `version` (None: unpinned). Providers
        whose payloads have no versions keep the default."""
        return self.webhook_messages(state, event)

    def webhook_message_types(self, state: Any, event: Event, version: str | None) -> list[str] | None:
        """The types of the messages `webhook_messages_for` would make, without building them (None:
        unknown, build them). The dispatcher asks when every subscription is full, to count each
        message it drops without serialising a payload nobody keeps."""
        return None

    def webhook_version_problem(self, version: str) -> str | None:
        """Why a subscription may not pin payloads to `version` (None: it may)."""
        return f"{self.key} webhooks have no payload versions"

    def webhook_new_secret(self, rng: random.Random) -> str:
        """A signing secret for a new subscription; Standard Webhooks style unless overridden."""
        return "whsec_" + base64.b64encode(rng.randbytes(24)).decode()

    def webhook_headers(
        self, secret: str, message: WebhookMessage, body: bytes, at: datetime
    ) -> dict[str, str]:
        """Signature headers for one delivery attempt at sandbox instant `at`."""
        return {}

    def webhook_sign(
        self, state: Any, subscription: Any, message: WebhookMessage, body: bytes, at: datetime
    ) -> dict[str, str]:
        """`webhook_headers` for one subscription; override where a subscription picks its scheme
        (Pandabase's per-endpoint `signatureVersion`)."""
        return self.webhook_headers(subscription.secret, message, body, at)

    @functools.cached_property
    def dashboard(self) -> Dashboard:
        """Its records for sandbox/ui, imported on the dashboard's first look (no request to the
        provider needs them)."""
        return resolve(self.dashboard_path) if self.dashboard_path else Dashboard()

    def openapi_documents(self) -> Mapping[str, Callable[[], dict[str, Any]]]:
        """Name → builder of an OpenAPI 3.1 document (`sandbox.openapi.Document(...).to_json()`),
        one per version family; the first name is the provider's key. Served by the core at
        `/_sandbox/openapi/{name}.json`."""
        return {}

    def openapi_control(self, doc: Any) -> None:
        """Add its `control_routes` (`/_sandbox/<key>/...`) to the control plane's document
        (`doc`: a `sandbox.openapi.Document` whose servers are `/_sandbox`)."""

    def fault_response(self, status: int, retry_after: int) -> Response:
        """The provider's own error body for a forced fault (`/_sandbox/faults`)."""
        raise NotImplementedError

    def unknown_path(self, request: Request) -> ProviderError:
        """The error for a path under `prefix` that no route serves (checked after auth, where the
        provider's API authenticates first)."""
        raise NotImplementedError

    def method_not_allowed(self, request: Request, allowed: Sequence[str]) -> Response | ProviderError:
        """The answer to a method no route serves on a path some route does (`allowed`: their
        methods). Default: what `unknown_path` checks first (a provider whose API authenticates
        before routing raises its 401 there), then a 405 in `fault_response`'s shape with `Allow`
        (RFC 9110 §15.5.6). A provider whose framework answers such a request as an unknown route
        binds `Provider.unserved_method_is_unknown_path` instead."""
        self.unknown_path(request)
        response = self.fault_response(405, 0)
        response.status_code = 405
        response.headers["Allow"] = ", ".join(allowed)
        return response

    def unserved_method_is_unknown_path(self, request: Request, allowed: Sequence[str]) -> ProviderError:
        """A `method_not_allowed` for an API whose framework routes on method and path together
        (Express/NestJS, Fastify): a method not served on a served path is an unknown route, its
        404. Bind it: `method_not_allowed = Provider.unserved_method_is_unknown_path`."""
        return self.unknown_path(request)

    @staticmethod
    def every_method(route: Route) -> Route:
        """`route` taking every HTTP method (TRACE, CONNECT, any token), for a handler that answers
        the methods it does not serve itself; Starlette reads a function endpoint's `methods=None`
        as GET."""
        route.methods = None
        return route

    def host_match(self, host: str) -> re.Match[str] | None:
        for pattern in self.host_patterns:
            match = re.fullmatch(pattern, host, flags=re.IGNORECASE)
            if match:
                return match
        return None


