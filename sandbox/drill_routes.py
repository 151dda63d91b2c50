"""`/_sandbox/faults` and `/_sandbox/drills`: list (GET), add (POST), clear (DELETE).

Bodies are checked with pydantic before anything is stored (a bad one is a 400 `{"error": ...}`
naming the field); the table of fields is in docs/drills-and-faults.md. Today's fault body
(`{"provider", "status", "count", "path", "retry_after"}`) means what it always did.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator
from starlette.requests import Request

from .access import sandbox_of
from .control import Body, ControlError, read_body
from .drills import Drill, not_declared
from .faults import API_KINDS, MAX_HANG_SECONDS, WEBHOOK_KINDS, Fault
from .jsonresp import JSON
from .runtime import Sandbox

MAX_LATENCY_MS = 60_000


class FaultSpec(Body):
    """`{"provider": "whop", "status": 429, "count": 1, "path": "", "retry_after": 1}`, or another
    `kind` (and `"target": "webhooks"`), fired `count` times or with a `probability`."""

    provider: str = Field(max_length=64)
    kind: Literal["status", "latency", "hang", "reset", "truncated", "not_json", "drop", "duplicate"] = "status"
    target: Literal["api", "webhooks"] = "api"
    status: int | None = Field(default=None, ge=200, le=599)
    count: int | None = Field(default=None, ge=1, le=1_000_000)
    probability: float | None = Field(default=None, ge=0, le=1, allow_inf_nan=False)
    path: str = Field(default="", max_length=2048)  # a substring of the request path (webhooks: of the URL)
    tenant: str | None = Field(default=None, min_length=1, max_length=256)
    retry_after: int = Field(default=1, ge=0, le=86_400)
    ms: int | None = Field(default=None, ge=0, le=MAX_LATENCY_MS)
    min_ms: int | None = Field(default=None, ge=0, le=MAX_LATENCY_MS)
    max_ms: int | None = Field(default=None, ge=0, le=MAX_LATENCY_MS)
    seconds: float = Field(default=MAX_HANG_SECONDS, gt=0, le=MAX_HANG_SECONDS, allow_inf_nan=False)

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        kinds = API_KINDS if self.target == "api" else WEBHOOK_KINDS
        if self.kind not in kinds:
            raise ValueError(f"kind: {self.kind} is not a fault kind of target {self.target} (those are {', '.join(kinds)})")
        needed = self.target == "api" and self.status is None
        if self.kind == "status" and (needed or (self.status is not None and self.status < 400)):
            raise ValueError("status: a status fault needs a status of 400..599")
        if self.kind == "latency" and (self.ms is None) == (self.min_ms is None or self.max_ms is None):
            raise ValueError("ms: a latency fault takes ms, or min_ms and max_ms")
        if self.min_ms is not None and self.max_ms is not None and self.min_ms > self.max_ms:
            raise ValueError("min_ms: more than max_ms")
        return self


class DrillSpec(Body):
    """`{"provider": "whop", "kind": "unknown_enum", "share": 0.5, "count": 10}`."""

    provider: str = Field(max_length=64)
    kind: Literal["unknown_enum", "extra_field", "null_optional", "absent_optional", "reorder_keys", "short_page",
                  "duplicate_webhook", "unknown_record_webhook"]
    tenant: str | None = Field(default=None, min_length=1, max_length=256)
    path: str = Field(default="", max_length=2048)
    share: float = Field(default=1.0, ge=0, le=1, allow_inf_nan=False)
    count: int | None = Field(default=None, ge=1, le=1_000_000)
    value: str | int | None = None
    field: str | None = Field(default=None, min_length=1, max_length=128)

    @model_validator(mode="after")
    def _bounded(self) -> Self:
        if isinstance(self.value, str) and len(self.value) > 256:
            raise ValueError("value: at most 256 characters")
        return self


def _provider(sandbox: Sandbox, key: str) -> None:
    if key not in sandbox.by_key:
        raise ControlError(f"provider: unknown provider {key!r} (known: {', '.join(sandbox.by_key)})")


async def faults_list(request: Request) -> JSON:
    return JSON({"faults": [f.to_json() for f in sandbox_of(request).faults.pending]})


async def faults_add(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    spec = await read_body(request, FaultSpec)
    _provider(sandbox, spec.provider)
    fields = spec.model_dump()
    if fields["count"] is None and spec.probability is None:
        fields["count"] = 1
    if fields["status"] is None:
        fields["status"] = 0
    sandbox.faults.add(Fault(**fields), sandbox.scenario.seed)
    return JSON({"faults": [f.to_json() for f in sandbox.faults.pending]}, status_code=201)


async def faults_clear(request: Request) -> JSON:
    sandbox_of(request).faults.clear()
    return JSON({"faults": []})


async def drills_list(request: Request) -> JSON:
    return JSON({"drills": [d.to_json() for d in sandbox_of(request).drills.pending]})


async def drills_add(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    spec = await read_body(request, DrillSpec)
    _provider(sandbox, spec.provider)
    problem = not_declared(spec.kind, sandbox.by_key[spec.provider])
    if problem is not None:
        raise ControlError(f"kind: {problem}")
    sandbox.drills.add(Drill(**spec.model_dump()), sandbox.scenario.seed)
    return JSON({"drills": [d.to_json() for d in sandbox.drills.pending]}, status_code=201)


async def drills_clear(request: Request) -> JSON:
    sandbox_of(request).drills.clear()
    return JSON({"drills": []})
