"""The control plane's OpenAPI document (`GET /_sandbox/openapi.json`).

Request bodies are the pydantic models the handlers validate with (`read_body(request, Model)`);
answers the handlers build as dicts (`to_json()`) are described by the small models below, which
the contract test (`tests/test_openapi_contracts.py`) checks against every answer it fuzzes, so a
drift fails CI. Each part of the core adds its routes in one function (`PARTS`), then each
served provider its own `control_routes` (`Provider.openapi_control`). The dashboard's HTML pages
(`/_sandbox/ui`) are named in the description only.
Reference: https://spec.openapis.org/oas/v3.1.0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .control import ClockAdvance, ClockSet, LoadByName
from .drill_routes import DrillSpec, FaultSpec
from .journal_routes import KNOWN, LIST_LIMIT
from .openapi import Document, Param, Reply, Schema
from .provider import Provider
from .scenario import SubscriptionSpec


class Out(BaseModel):
    """An answer's shape, exactly: no key it does not show."""

    model_config = ConfigDict(extra="forbid")


class ControlErrorBody(BaseModel):
    """Every refusal of the control plane: `{"error": message}`; an invalid scenario adds
    `problems` (`file:line: path: message` each); a provider's control may add its own keys."""

    model_config = ConfigDict(extra="allow")
    error: str
    problems: list[str] | None = None


class Health(Out):
    status: Literal["ok"]


class CredentialOut(Out):
    header: str
    value: str = Field(description="the full header value, e.g. `Bearer …`")
    scopes: list[str]


class TenantOut(BaseModel):
    """A tenant: its `id`, the provider's extra fields (store domain, apps, …) and credentials."""

    model_config = ConfigDict(extra="allow")
    id: str
    credentials: list[CredentialOut]


class ProviderOut(Out):
    base_path: str
    tenants: list[TenantOut]


class ScenarioOut(Out):
    name: str
    description: str
    file: str
    seed: int
    now: str = Field(description="the sandbox clock, ISO 8601 with milliseconds")
    start: str
    providers: dict[str, ProviderOut]


class ResetOut(Out):
    status: Literal["reset"]
    now: str


class ClockOut(Out):
    now: str


class EventOut(Out):
    seq: int
    provider: str
    type: str
    object_id: str
    tenant: str
    at: str
    data: dict[str, Any]


class ClockMoveOut(Out):
    """The new `now` and the domain events the move caused (bounded; `events_truncated`)."""

    now: str
    events: list[EventOut]
    events_total: int
    events_truncated: bool


class EventsOut(Out):
    events: list[EventOut]


class FaultOut(Out):
    """A pending fault: today's five keys, then the others only where not their default."""

    provider: str
    status: int | None
    count: int | None = Field(description="matches left; null: a `probability` fault")
    path: str
    retry_after: int
    kind: str = "status"
    target: Literal["api", "webhooks"] = "api"
    tenant: str | None = None
    probability: float | None = None
    ms: int | None = None
    min_ms: int | None = None
    max_ms: int | None = None
    seconds: float | None = None


class FaultsOut(Out):
    faults: list[FaultOut]


class DrillOut(Out):
    id: int = Field(description="its place among the drills added since the last reset")
    provider: str
    kind: str
    tenant: str | None
    path: str
    share: float
    count: int | None
    value: str | int | None
    field: str | None
    drilled: int = Field(description="answers drilled so far")


class DrillsOut(Out):
    drills: list[DrillOut]


class SubscriptionOut(SubscriptionSpec):
    """A subscription as listed: its spec with the defaults filled in, and its delivery counters."""

    model_config = ConfigDict(extra="forbid", strict=False)
    id: str
    secret: str | None = Field(description="the signing secret (generated when none was given)")
    not_provider_feature: bool = Field(description="true where the provider has no webhooks of its own")
    unsettled: int
    dropped: int


class SubscriptionsOut(Out):
    subscriptions: list[SubscriptionOut]


class SentRequest(Out):
    url: str
    headers: dict[str, str]
    body: str | None


class AttemptOut(Out):
    id: int
    subscription_id: str
    message_id: str
    type: str
    attempt: int
    due_at: str
    state: Literal["pending", "succeeded", "failed", "refused", "cancelled"]
    request: SentRequest
    response: dict[str, Any] | None
    error: str | None
    duration_ms: float | None


class DeliveriesOut(Out):
    deliveries: list[AttemptOut]
    queued: int


class RedeliverOut(Out):
    redelivering: str
    subscription_id: str


class DeletedOut(Out):
    deleted: str


class EntryOut(Out):
    """One journaled request, secrets masked."""

    seq: int
    at: str
    sandbox_at: str
    provider: str
    tenant: str | None
    method: str
    path: str
    query: str
    route: str | None
    headers: dict[str, str]
    body: str
    body_size: int
    body_truncated: bool
    status: int
    ms: float
    reason: str | None


class RequestsOut(Out):
    requests: list[EntryOut]
    total: int
    truncated: bool
    size: int
    dropped: int
    next_seq: int


class RequestsCleared(Out):
    requests: list[EntryOut]
    total: int


class DocumentsOut(Out):
    documents: dict[str, str] = Field(description="document name → its absolute URL")


OPENAPI_OBJECT: Schema = {"type": "object", "required": ["openapi", "info", "paths"]}
BAD = Reply(ControlErrorBody, "refused: the message names the field or rule")
NOT_FOUND = Reply(ControlErrorBody, "no such record")
MOVE_RACE = Reply(ControlErrorBody, "a reset or scenario load replaced the world during the move",
                  extensions={"x-sandbox-not-fuzzed": "needs a reset racing a clock move"})


def core_control(doc: Document, served: Sequence[Provider]) -> None:
    """`sandbox/control.py`: health, scenario, reset, clock, events."""
    providers = [p.key for p in served]
    tags = ["control"]
    doc.operation("GET", "/health", operation_id="health", tags=tags, security=[],
                  summary="Ready (open even behind --control-token)", responses={200: Reply(Health)})
    doc.operation("GET", "/scenario", operation_id="getScenario", tags=tags,
                  summary="The loaded scenario and every tenant's credentials",
                  responses={200: Reply(ScenarioOut)})
    doc.operation(
        "POST", "/scenario", operation_id="loadScenario", tags=tags,
        summary="Load a scenario: YAML text, or {\"name\": …} of a shipped one; a bad one changes nothing",
        bodies={"application/json": LoadByName, "application/yaml": {"type": "string", "maxLength": 4096}},
        responses={200: Reply(ScenarioOut), 400: BAD},
        extensions=examples({"body": {"name": "default"}, "media_type": "application/json", "status": 200}),
    )
    doc.operation("POST", "/reset", operation_id="reset", tags=tags,
                  summary="Rebuild the state from the scenario and put the clock back",
                  responses={200: Reply(ResetOut)})
    doc.operation("GET", "/clock", operation_id="getClock", tags=tags, responses={200: Reply(ClockOut)})
    doc.operation("POST", "/clock/advance", operation_id="advanceClock", tags=tags, body=ClockAdvance,
                  summary="Move the clock forward; deadlines that pass take effect",
                  responses={200: Reply(ClockMoveOut), 400: BAD, 409: MOVE_RACE})
    doc.operation("POST", "/clock/set", operation_id="setClock", tags=tags, body=ClockSet,
                  summary="Move the clock to an instant (never backwards)",
                  responses={200: Reply(ClockMoveOut), 400: BAD, 409: MOVE_RACE},
                  extensions=examples({"body": {"now": "2031-01-01T00:00:00Z"}, "status": 200},
                                      {"body": {"now": "2001-01-01T00:00:00Z"}, "status": 400}))
    doc.operation(
        "GET", "/events", operation_id="listEvents", tags=tags, summary="Domain events, oldest first",
        params=[
            Param("provider", "query", {"type": "string", "enum": list(providers)}),
            Param("id", "query", {"type": "string"}, description="the record's id"),
            Param("since", "query", {"type": "integer", "minimum": 0, "default": 0},
                  description="events after this seq"),
        ],
        responses={200: Reply(EventsOut), 400: BAD},
        extensions=examples({"query": {"since": "1_0"}, "status": 400}),
    )


def drill_control(doc: Document, served: Sequence[Provider]) -> None:
    """`sandbox/drill_routes.py`: faults and drills (docs/drills-and-faults.md)."""
    tags = ["faults and drills"]
    providers = [p.key for p in served]
    doc.operation("GET", "/faults", operation_id="listFaults", tags=tags, responses={200: Reply(FaultsOut)})
    doc.operation("POST", "/faults", operation_id="addFault", tags=tags, body=FaultSpec,
                  summary="Make the provider's next matching answers (or webhook deliveries) fail: a status in "
                          "its own error shape, latency, a hang, a reset, a truncated or non-JSON body",
                  responses={201: Reply(FaultsOut), 400: BAD},
                  extensions=examples(*[{"body": {"provider": key, "status": 503, "path": "/no-such-path"}, "status": 201}
                                        for key in providers[:1]]))
    doc.operation("DELETE", "/faults", operation_id="clearFaults", tags=tags, responses={200: Reply(FaultsOut)})
    doc.operation("GET", "/drills", operation_id="listDrills", tags=tags, responses={200: Reply(DrillsOut)})
    doc.operation("POST", "/drills", operation_id="addDrill", tags=tags, body=DrillSpec,
                  summary="Change the provider's valid answers the way a newer API would (unknown enum value, "
                          "extra field, null or absent optional, reordered keys, short page, webhook drills); "
                          "drilled answers carry X-Sandbox-Drill",
                  responses={201: Reply(DrillsOut), 400: BAD},
                  extensions=examples(*[{"body": {"provider": key, "kind": "reorder_keys", "path": "/no-such-path"},
                                         "status": 201} for key in providers[:1]]))
    doc.operation("DELETE", "/drills", operation_id="clearDrills", tags=tags, responses={200: Reply(DrillsOut)})


def webhook_control(doc: Document, served: Sequence[Provider]) -> None:
    """`sandbox/webhook_routes.py`: subscriptions, deliveries, redelivery."""
    tags = ["webhooks"]
    hooked = [p.key for p in served if p.webhook_types][:1]
    made = [{"operation_id": "createSubscription", "status": 201,
             "body": {"provider": key, "tenant": f"$tenant:{key}", "url": "http://127.0.0.1:9/hook"}}
            for key in hooked]  # port 9 (discard): deliveries fail at once, nothing leaves the host
    by_id = {"path_parameters": {"id": "$last#/id"}}  # the subscription the example before made
    gone = {"path_parameters": {"id": "sub_none"}, "status": 404}
    sub_id = Param("id", "path", {"type": "string"})
    get_link = {"getSubscription": {"operationId": "getSubscription", "parameters": {"id": "$response.body#/id"}}}
    doc.operation("GET", "/webhooks", operation_id="listSubscriptions", tags=tags,
                  responses={200: Reply(SubscriptionsOut)})
    doc.operation("POST", "/webhooks", operation_id="createSubscription", tags=tags, body=SubscriptionSpec,
                  summary="Subscribe a receiver to a provider tenant's webhooks (--webhook-allow applies)",
                  responses={201: Reply(SubscriptionOut, links=get_link), 400: BAD})
    doc.operation(
        "GET", "/webhooks/deliveries", operation_id="listDeliveries", tags=tags,
        summary="Delivery attempts, oldest first, and how many messages are queued",
        params=[Param("subscription", "query", {"type": "string"}), Param("message_id", "query", {"type": "string"}),
                Param("type", "query", {"type": "string"})],
        responses={200: Reply(DeliveriesOut)},
    )
    doc.operation(
        "POST", "/webhooks/deliveries/{id}/redeliver", operation_id="redeliver", tags=tags,
        summary="Send an attempt's message again (same message id)",
        params=[Param("id", "path", {"type": "integer", "minimum": 1})],
        responses={202: Reply(RedeliverOut, extensions={"x-sandbox-not-fuzzed": "needs a delivered webhook "
                                                         "(tests/test_webhook_delivery.py)"}),
                   404: NOT_FOUND},
    )
    doc.operation("GET", "/webhooks/{id}", operation_id="getSubscription", tags=tags, params=[sub_id],
                  responses={200: Reply(SubscriptionOut), 404: NOT_FOUND},
                  extensions=examples(*made, *[{**by_id, "status": 200} for _ in made], gone))
    doc.operation("PATCH", "/webhooks/{id}", operation_id="updateSubscription", tags=tags, params=[sub_id],
                  body=_optional(SubscriptionSpec),
                  summary="Change url, events, timeout, secret, or toggle duplicate / out_of_order",
                  responses={200: Reply(SubscriptionOut), 400: BAD, 404: NOT_FOUND},
                  extensions=examples(*made, *[{**by_id, "body": {"duplicate": True}, "status": 200} for _ in made],
                                      *made, *[{**by_id, "body": {"url": "http://192.0.2.1/"}, "status": 400} for _ in made],
                                      gone))
    doc.operation("DELETE", "/webhooks/{id}", operation_id="deleteSubscription", tags=tags, params=[sub_id],
                  responses={200: Reply(DeletedOut), 404: NOT_FOUND},
                  extensions=examples(*made, *[{**by_id, "status": 200} for _ in made], gone))


def journal_control(doc: Document, served: Sequence[Provider]) -> None:
    """`sandbox/journal_routes.py`: the request journal."""
    providers = [p.key for p in served]
    text = {"type": "string", "minLength": 1, "maxLength": 2048}
    params = [
        Param("provider", "query", {"type": "string", "enum": list(providers)}),
        Param("tenant", "query", {"type": "string", "maxLength": 2048}),
        Param("method", "query", {"type": "string", "pattern": "^[A-Za-z]{1,16}$"}),
        Param("path", "query", text, description="a substring of the path"),
        Param("status", "query", {"type": "string", "pattern": "^(?:[1-5][0-9]{2}|[1-5][xX]{2})$"},
              description="a status (404) or a class (4xx)"),
        Param("since", "query", {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "format": "date-time"}]},
              description="an entry seq (entries after it) or an ISO 8601 instant"),
        Param("limit", "query", {"type": "integer", "minimum": 1, "maximum": LIST_LIMIT, "default": LIST_LIMIT}),
    ]
    assert [p.name for p in params] == list(KNOWN)  # one list of filters: the handler's
    doc.operation("GET", "/requests", operation_id="listRequests", tags=["journal"], params=params,
                  summary="Requests to provider routes, with status and refusal reason; an unknown filter is a 400",
                  responses={200: Reply(RequestsOut), 400: BAD},
                  extensions=examples({"query": {"limit": "0"}, "status": 400}))
    doc.operation("DELETE", "/requests", operation_id="clearRequests", tags=["journal"],
                  responses={200: Reply(RequestsCleared)})


def openapi_control(doc: Document, served: Sequence[Provider]) -> None:
    """`sandbox/openapi_routes.py`: these documents."""
    tags = ["openapi"]
    names = [name for p in served for name in p.openapi_documents()]
    found = Reply(OPENAPI_OBJECT, extensions={} if names else {"x-sandbox-not-fuzzed": "no served provider has one"})
    doc.operation("GET", "/openapi", operation_id="listDocuments", tags=tags, responses={200: Reply(DocumentsOut)})
    doc.operation("GET", "/openapi.json", operation_id="getControlDocument", tags=tags,
                  responses={200: Reply(OPENAPI_OBJECT)})
    doc.operation("GET", "/openapi/{name}.json", operation_id="getDocument", tags=tags,
                  params=[Param("name", "path", {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"})],
                  responses={200: found, 404: NOT_FOUND},
                  extensions=examples(*[{"path_parameters": {"name": n}, "status": 200} for n in names[:1]]))


Part = Callable[[Document, Sequence[Provider]], None]
PARTS: list[Part] = [core_control, drill_control, webhook_control, journal_control, openapi_control]


def control_document(providers: Sequence[Provider]) -> dict[str, Any]:
    """The control plane's document for a sandbox serving `providers`."""
    doc = Document(
        "Dispute Sandbox control plane", "1", servers=["/_sandbox"],
        description="Test controls of the sandbox: scenario, reset, clock, events, faults, drills, webhooks, request "
                    "journal, these documents, and each provider's own controls. JSON in, JSON out, errors "
                    "as {\"error\": …}. Behind --control-token every call but /health needs "
                    "`Authorization: Bearer <token>` (else 401). The dashboard is HTML at /_sandbox/ui.",
        security_schemes={"controlToken": {"type": "http", "scheme": "bearer",
                                           "description": "only when the server runs with --control-token"}},
        security=[{}, {"controlToken": []}],
    )
    for part in PARTS:
        part(doc, providers)
    for provider in providers:
        provider.openapi_control(doc)
    return doc.to_json()


def examples(*requests: dict[str, Any]) -> dict[str, Any]:
    """An operation's `x-sandbox-examples` (sandbox/openapi.py, EXTENSIONS): targeted requests on the
    default scenario, in order; `operation_id` sends one to another operation (to make a record
    first); `$tenant:<provider>` is that provider's first tenant's id and
    `$last#<JSON pointer>` a value of the previous example's answer (what tests/test_openapi_contracts.py
    fills in)."""
    return {"x-sandbox-examples": list(requests)} if requests else {}


def _optional(model: type[BaseModel]) -> Schema:
    """`model`'s fields, none required (a PATCH body); the handler merges them over the record."""
    schema = model.model_json_schema()
    schema.pop("required", None)
    schema.pop("title", None)
    return schema
