"""The `/_sandbox` control plane: health, scenario, reset, clock, events (faults and drills:
`sandbox/drill_routes.py`).

JSON in, JSON out, errors as `{"error": "..."}` (the contract in README.md, "Control plane").
Every body is validated against a pydantic model before anything is stored: a wrong type, an
unknown key or an out-of-range number is a 400 naming the field, and the state is untouched.
Handlers raise `ControlError`; the app renders it once, like any provider's error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, Self, TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount

from .access import sandbox_of
from .errors import ProviderError
from .jsonresp import JSON
from .oplog import export_document
from .params import ascii_int
from .providers import REGISTRY
from .routing import Route
from .runtime import Sandbox, WorldReplaced
from .scenario import MAX_SEED, ScenarioError, parse_scenario, shipped_scenario, shipped_scenarios
from .settings import settings_of
from .timefmt import LATEST, MAX_DURATION, check_range, iso_millis, parse_duration, parse_instant


def error(message: str, status: int = 400, **extra: Any) -> JSON:
    return JSON({"error": message, **extra}, status_code=status)


class ControlError(ProviderError):
    """A refused control-plane call: `{"error": message, **extra}` with `status`."""

    def __init__(self, message: str, status: int = 400, **extra: Any) -> None:
        super().__init__(message)
        self.message, self.status, self.extra = message, status, extra
        self.reason = message

    def response(self) -> Response:
        return error(self.message, self.status, **self.extra)


def validation_problems(exc: ValidationError) -> list[str]:
    """`path.to.field: message` for each problem pydantic found in a control-plane body."""
    return [f"{'.'.join(map(str, e['loc'])) or '(body)'}: {e['msg']}" for e in exc.errors()]


async def read_json(request: Request) -> dict[str, Any]:
    """The request body as a JSON object; `{}` when empty. Raises ValueError otherwise."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("body must be a JSON object")
    return data


class Body(BaseModel):
    """A control-plane body: JSON types as sent (no "5" for 5), unknown keys refused."""

    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)  # built on first use, not at start


M = TypeVar("M", bound=BaseModel)


def parse_body(model: type[M], data: object) -> M:
    """`data` as `model`, or a ControlError naming every bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ControlError("; ".join(validation_problems(exc))) from None


async def read_body(request: Request, model: type[M]) -> M:
    try:
        data = await read_json(request)
    except ValueError as exc:
        raise ControlError(str(exc)) from None
    return parse_body(model, data)


RecordHandler = Callable[[Request, Any, Any, Any, dict[str, Any]], Awaitable[Response]]


def record_action(
    provider: str, collection: str, label: str, normalise: Callable[[str], str] = str
) -> Callable[[RecordHandler], Callable[[Request], Awaitable[Response]]]:
    """For `/_sandbox/<provider>/<things>/{id}/...` controls: finds the record (404 naming it when
    unknown) and reads the JSON body (400 when it is not an object), then calls
    `handler(request, sandbox, state, record, body)`."""

    def wrap(handler: RecordHandler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            sandbox = sandbox_of(request)
            state = sandbox.state(provider)
            record_id = request.path_params["id"]
            record = getattr(state, collection).get(normalise(record_id))
            if record is None:
                raise ControlError(f"no {label} {record_id!r}", 404)
            try:
                body = await read_json(request)
            except ValueError as exc:
                raise ControlError(str(exc)) from None
            return await handler(request, sandbox, state, record, body)

        return endpoint

    return wrap


async def health(request: Request) -> JSON:
    return JSON({"status": "ok"})


async def scenario_info(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    scenario, start = sandbox.scenario, sandbox.start
    assert scenario is not None and start is not None  # the app serves only a loaded sandbox
    providers = {}
    for provider in sandbox.providers:
        state = sandbox.state(provider.key)
        providers[provider.key] = {
            "base_path": provider.base_path,
            "tenants": [t.to_json() for t in provider.tenants(state)],
        }
    return JSON(
        {
            "name": scenario.name,
            "description": scenario.description,
            "file": scenario.file,
            "seed": scenario.seed,
            "now": iso_millis(sandbox.now()),
            "start": iso_millis(start),
            "providers": providers,
        }
    )


class LoadByName(Body):
    """`{"name": "expiring-disputes", "seed": 7}`: a shipped scenario, by name only."""

    name: str = Field(min_length=1, max_length=200)
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED)


_NAME_FORM_KEYS = frozenset(LoadByName.model_fields)


def _by_name(raw: bytes, content_type: str) -> object | None:
    """The `{"name": ...}` form when the body is one, else None (a YAML scenario).

    A JSON content type always means this form. Without one (curl's `-d` sends a form type) a
    body that parses as a JSON object of only `name`/`seed` is this form too: as YAML it would
    load an empty scenario of that name, which is never what was meant."""
    if "json" in content_type:
        try:
            parsed: object = orjson.loads(raw)
            return parsed
        except orjson.JSONDecodeError as exc:
            raise ControlError(f"body is not JSON: {exc}") from None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if isinstance(data, dict) and "name" in data and data.keys() <= _NAME_FORM_KEYS:
        return data
    return None


async def load_scenario(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    settings = settings_of(request)
    raw = await request.body()
    if not raw.strip():
        shipped = ", ".join(shipped_scenarios())
        raise ControlError(f'empty body: send a scenario as YAML, or {{"name": ...}} of a shipped one ({shipped})')
    by_name = _by_name(raw, request.headers.get("content-type", ""))
    try:
        if by_name is not None:
            spec = parse_body(LoadByName, by_name)
            scenario = shipped_scenario(spec.name, sandbox.providers, settings.limits)
            seed = spec.seed if spec.seed is not None else settings.seed
        else:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ControlError("scenario body must be UTF-8 YAML") from None
            scenario = parse_scenario(text, "<request>", sandbox.providers, settings.limits)
            seed = settings.seed
        await sandbox.aload(scenario, seed)
    except ScenarioError as exc:
        raise ControlError("invalid scenario", problems=exc.lines) from None
    return await scenario_info(request)


async def reset(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    await sandbox.areset()
    return JSON({"status": "reset", "now": iso_millis(sandbox.now())})


async def clock_get(request: Request) -> JSON:
    return JSON({"now": iso_millis(sandbox_of(request).now())})


class ClockAdvance(Body):
    """`{"seconds": N}` or `{"duration": "3d12h"}`, at most MAX_DURATION."""

    seconds: float | None = Field(default=None, ge=0, le=MAX_DURATION.total_seconds(), allow_inf_nan=False)
    duration: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if (self.seconds is None) == (self.duration is None):
            raise ValueError('give {"seconds": N} or {"duration": "3d12h"}')
        return self

    def delta(self) -> timedelta:
        if self.seconds is not None:
            return timedelta(seconds=self.seconds)
        try:
            return parse_duration(self.duration or "")
        except ValueError as exc:
            raise ControlError(f"duration: {exc}") from None


class ClockSet(Body):
    """`{"now": "2026-01-01T00:00:00Z"}`."""

    now: str = Field(max_length=64)

    def instant(self) -> Any:
        try:
            return check_range(parse_instant(self.now), "now")
        except ValueError as exc:
            raise ControlError(f"now must be an ISO 8601 instant: {exc}") from None


def _check_target(sandbox: Sandbox, delta: timedelta, field: str) -> None:
    if sandbox.now() + delta > LATEST:
        raise ControlError(f"{field}: moves the clock past {LATEST.year}-01-01, the sandbox's last instant")


async def clock_advance(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    body = await read_body(request, ClockAdvance)
    delta = body.delta()
    _check_target(sandbox, delta, "seconds" if body.seconds is not None else "duration")
    try:
        move = await sandbox.move_clock(by=delta)
    except (ValueError, OverflowError) as exc:  # ClockError is a ValueError
        return error(str(exc))
    except WorldReplaced as exc:
        return error(str(exc), 409)
    return JSON(move.to_json())


async def clock_set(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    when = (await read_body(request, ClockSet)).instant()
    try:
        move = await sandbox.move_clock(to=when)
    except (ValueError, OverflowError) as exc:  # ClockError (backwards) is a ValueError
        return error(str(exc))
    except WorldReplaced as exc:
        return error(str(exc), 409)
    return JSON(move.to_json())


async def events(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    params = request.query_params
    provider = params.get("provider")
    known = [*REGISTRY, *(k for k in sandbox.by_key if k not in REGISTRY)]  # a registered one not served: []
    if provider is not None and provider not in known:
        raise ControlError(f"provider: unknown provider {provider!r} (known: {', '.join(known)})")
    since = ascii_int(params.get("since", "0"))
    if since is None:
        raise ControlError("since must be an integer event seq")
    found = sandbox.events.query(provider, params.get("id"), since)
    return JSON({"events": [e.to_json() for e in found]})


async def export(request: Request) -> Response:
    """The namespace's state as a scenario YAML (sandbox/oplog.py): loaded anywhere, it answers
    every provider request as this sandbox does now."""
    try:
        text = export_document(sandbox_of(request))
    except OverflowError as exc:
        raise ControlError(f"cannot export: {exc}", 409) from None
    name = sandbox_of(request).scenario.name
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in name)[:60] or "scenario"
    return Response(text, media_type="application/yaml",
                    headers={"Content-Disposition": f'attachment; filename="{safe}-export.yaml"'})


def control_routes(extra_routes: Sequence[BaseRoute]) -> Mount:
    return Mount(
        "/_sandbox",
        routes=[
            Route("/health", health),
            Route("/scenario", scenario_info, methods=["GET"]),
            Route("/scenario", load_scenario, methods=["POST"]),
            Route("/reset", reset, methods=["POST"]),
            Route("/clock", clock_get, methods=["GET"]),
            Route("/clock/advance", clock_advance, methods=["POST"]),
            Route("/clock/set", clock_set, methods=["POST"]),
            Route("/events", events, methods=["GET"]),
            Route("/export", export, methods=["GET"]),
            *extra_routes,
        ],
    )
